"""The compiled Monte Carlo kernel over a :class:`~reliability.engine.plan.PlanArrays`.

The engine knows no TOML, no physics and no Dask: it takes a numeric plan, a random
generator and a trial count, and returns per-trial outputs by name. What it shares
with the rest of the library (plan fields, codes, event kinds, outputs) is declared
once in :mod:`reliability.engine.spec`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from reliability.engine import _excursions, _laws
from reliability.engine._block import run_block
from reliability.engine._jit import is_cached
from reliability.engine._split import initial_need, run_stage
from reliability.engine.plan import PlanArrays, new_state, output_layout, pack_plan, row_width
from reliability.engine.spec import (
    CLOCKED_EFFECTS,
    MAX_EVENTS_PER_TRIAL,
    OUTPUTS,
    LawKind,
    ProfileKind,
    WorkloadKind,
)

__all__ = [
    "ENGINES",
    "BlockResult",
    "PlanArrays",
    "counts_blocker",
    "cum_hazard",
    "excursions",
    "kernel_cached",
    "leaf_tree_up",
    "levels",
    "run_stage",
    "simulate",
    "state_bytes",
    "trial_keys",
]

#: Engines: every unit with its own failure clocks, or identical exponential units as
#: a count of those up (exact for them, O(1) per failure; see ``_counts``).
ENGINES = ("units", "counts")


class BlockResult(Mapping):
    """Per-trial outputs of one block of trials, by name (times in hours).

    The outputs, their shapes and stored types are those of
    :data:`reliability.engine.spec.OUTPUTS`: ``(n,)`` for per-trial values,
    ``(n, n_modes)`` per failure mode, ``(n, n_cells)`` per capacity-grid cell.
    They are read as items (``result["availability"]``) or attributes
    (``result.availability``).
    """

    __slots__ = ("_arrays",)

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        names = [o.name for o in OUTPUTS]
        if sorted(arrays) != sorted(names):
            missing = sorted(set(names) - set(arrays))
            extra = sorted(set(arrays) - set(names))
            raise ValueError(f"a block needs every output: missing {missing}, unknown {extra}")
        self._arrays = {name: arrays[name] for name in names}

    @classmethod
    def from_rows(cls, rows: np.ndarray, n_modes: int, n_cells: int) -> BlockResult:
        """Split the kernel's rows (float64, one per trial) into typed outputs."""
        arrays = {}
        for o, (name, offset, size) in zip(OUTPUTS, output_layout(n_modes, n_cells), strict=True):
            block = rows[:, offset : offset + size]
            arrays[name] = (block[:, 0] if o.per == "trial" else block).astype(o.dtype)
        return cls(arrays)

    def __getitem__(self, name: str) -> np.ndarray:
        return self._arrays[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrays)

    def __len__(self) -> int:
        return len(self._arrays)

    def __getattr__(self, name: str) -> np.ndarray:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._arrays[name]
        except KeyError:
            raise AttributeError(f"no output {name!r}") from None

    def __getstate__(self) -> dict[str, np.ndarray]:
        return self._arrays

    def __setstate__(self, state: dict[str, np.ndarray]) -> None:
        self._arrays = state

    @property
    def n_trials(self) -> int:
        """Trials in the block."""
        return int(self._arrays[OUTPUTS[0].name].shape[0])


def trial_keys(rng: np.random.Generator | int | None, n_trials: int) -> np.ndarray:
    """The 64-bit counter-based keys of ``n_trials`` trials drawn from ``rng``."""
    gen = np.random.default_rng(rng)
    return gen.integers(0, 2**64 - 1, size=n_trials, dtype=np.uint64, endpoint=True)


def counts_blocker(plan: PlanArrays, labels: Sequence[str] = ()) -> str | None:
    """Why the counts engine cannot run ``plan`` exactly, or None when it can.

    It needs every simulated failure mode to be exponential with a constant rate, and
    no training job (whose members are particular accelerators). ``labels`` name the
    failure modes in the answer (default: their numbers).

    Examples
    --------
    >>> from reliability.campaign import parse_campaign
    >>> from reliability.system import compile_plan
    >>> text = '''
    ... [campaign]
    ... name = "x"
    ... mission = "100 h"
    ... trials = 1
    ... seed = 1
    ... [units.node]
    ... failures = [{ LIFE, mean = "10 h", repair = "1 h" }]
    ... [cluster]
    ... node = { n = 4, k = 3 }'''
    >>> plan = lambda life: compile_plan(parse_campaign(text.replace("LIFE", life)).base).arrays
    >>> counts_blocker(plan('law = "exponential"')) is None
    True
    >>> counts_blocker(plan('law = "weibull", shape = 2'))
    'failure mode 0 is not exponential'
    """
    for m in range(plan.n_modes):
        name = labels[m] if m < len(labels) else m
        if plan.mode_effect[m] not in CLOCKED_EFFECTS:  # no clock: never drawn
            continue
        if plan.mode_law[m] != LawKind.EXPONENTIAL:
            return f"failure mode {name} is not exponential"
        if plan.dom_kind[plan.mode_dom[m]] != ProfileKind.CONSTANT:
            return f"failure mode {name} has a rate that varies over the mission"
    if plan.wl_kind == WorkloadKind.TRAINING:
        return "a training job follows particular accelerators"
    if np.any(plan.unit_gate):
        return "platforms carry particular groups of units"
    if np.size(plan.pw_t):
        return "power limits act on particular satellites"
    return None


def _cumulative_rates(plan: PlanArrays) -> np.ndarray:
    clocked = np.isin(plan.mode_effect, CLOCKED_EFFECTS)
    rates = np.where(clocked, 1.0 / plan.mode_p1, 0.0)
    return np.cumsum(rates)


def simulate(
    plan: PlanArrays,
    rng: np.random.Generator | int | None,
    n_trials: int,
    *,
    engine: str = "units",
) -> BlockResult:
    """Simulate ``n_trials`` independent trials of one scenario.

    Parameters
    ----------
    plan : PlanArrays
        The numeric plan (see :func:`reliability.system.compile_plan`).
    rng : numpy.random.Generator, int, SeedSequence or None
        Source of the trial keys (anything :func:`numpy.random.default_rng` takes).
        Trial ``i`` depends only on the ``i``-th key, so two plans simulated with
        the same ``rng`` seed share random numbers slot by slot.
    n_trials : int
        Number of trials.
    engine : {"units", "counts"}
        ``"units"``: every unit keeps its own clocks, and every random number is tied
        to a unit slot (common random numbers slot by slot across designs).
        ``"counts"``: identical exponential units as a count of those up, one failure
        stream per trial; exact only where :func:`counts_blocker` finds nothing.

    Returns
    -------
    BlockResult
    """
    _validate_simulate(plan, n_trials, engine)
    keys = trial_keys(rng, n_trials)
    pi, pf = pack_plan(plan)
    si, sf, su = new_state(plan)
    rows = np.zeros((n_trials, row_width(plan.n_modes, plan.n_cells)))
    cum_rate = _cumulative_rates(plan) if engine == "counts" else np.zeros(0)
    run_block(pi, pf, si, sf, su, keys, rows, cum_rate)
    return BlockResult.from_rows(rows, plan.n_modes, plan.n_cells)


#: The compiled entry points each method calls from Python.
_ENTRIES = {
    "crude": (run_block,),
    "splitting": (initial_need, run_stage),
    "importance": (_excursions.run,),
}


def kernel_cached(method: str = "crude") -> bool:
    """Is the kernel that ``method`` runs ("crude", "splitting", "importance") already
    compiled on this machine (in numba's on-disk cache), so that a process loads it in
    about a second instead of compiling it?"""
    return all(is_cached(f) for f in _ENTRIES[method])


def cum_hazard(law: int, p1: float, p2: float, age: float) -> float:
    """Cumulative hazard at ``age`` of a life law as the kernel draws it (a
    ``LawKind`` with its parameters ``p1``, ``p2``): the expected failures by ``age``
    of a mode repaired to its age each time (minimal repair). Plain Python: no compile.

    Examples
    --------
    >>> from reliability.engine.spec import LawKind
    >>> cum_hazard(LawKind.WEIBULL, 100.0, 2.0, 300.0)
    9.0
    """
    return float(_laws.cum_hazard.py_func(int(law), float(p1), float(p2), float(age)))


def levels(plan: PlanArrays) -> int:
    """Failures needed to bring the all-up system down (the kernel's own importance
    function at the start of a trial): the number of splitting stages.

    Each group needs (n - k + 1) of its children down, each as costly as the next, and
    a group with its own spare pool also needs its spares used up.

    Examples
    --------
    >>> from reliability.campaign import parse_campaign
    >>> from reliability.system import compile_plan
    >>> text = '''
    ... [campaign]
    ... name = "x"
    ... mission = "1 y"
    ... trials = 1
    ... seed = 1
    ... [units.acc]
    ... failures = [{ law = "weibull", shape = 2, mean = "9 y" }]
    ... [cluster]
    ... sat = { n = 4, k = 3 }
    ... acc = { n = 8, k = 6, spares = { cold = 2, swap = "1 d" } }'''
    >>> levels(compile_plan(parse_campaign(text).base).arrays)  # 2 x (8 - 6 + 1 + 2)
    10
    """
    pi, pf = pack_plan(plan)
    si, sf, su = new_state(plan)
    return int(initial_need(pi, pf, si, sf, su))


def state_bytes(plan: PlanArrays) -> int:
    """Bytes of one saved kernel state of ``plan``."""
    si, sf, su = new_state(plan)
    return si.nbytes + sf.nbytes + su.nbytes


def excursions(
    n: np.ndarray,
    k: np.ndarray,
    lam: float,
    mu: float,
    crews: int,
    p: float,
    keys: np.ndarray,
    stop_at_down: bool,
    gamma_out: np.ndarray,
    down_out: np.ndarray,
    len_out: np.ndarray,
    max_events: int = MAX_EVENTS_PER_TRIAL,
) -> None:
    """Regenerative excursions of a Markovian k-of-n tree (``n``, ``k`` per level,
    outermost first), one per key, under balanced failure biasing ``p`` (0: crude);
    see :mod:`reliability.engine._excursions` and :mod:`reliability.rare`. An
    excursion past ``max_events`` events raises ``EventBudgetError``, as a trial past
    its plan's ``max_events`` does."""
    n_groups = int(np.prod(n[:-1]))
    scratch = np.zeros((4, n_groups))
    _excursions.run(
        n,
        k,
        lam,
        mu,
        crews,
        p,
        keys,
        stop_at_down,
        scratch,
        gamma_out,
        down_out,
        len_out,
        int(max_events),
    )


def leaf_tree_up(f: np.ndarray, n: np.ndarray, k: np.ndarray, n_groups: int) -> bool:
    """Is a k-of-n tree up with ``f[g]`` failed units in leaf group ``g``?"""
    return bool(_excursions.tree_up(f, n, k, n_groups, np.zeros(n_groups)))


def _validate_simulate(plan: PlanArrays, n_trials: int, engine: str) -> None:
    if n_trials < 0:
        raise ValueError(f"`n_trials` must be >= 0, got {n_trials}")
    if engine not in ENGINES:
        raise ValueError(f"`engine` must be one of {ENGINES}, got {engine!r}")
    if engine == "counts" and (why := counts_blocker(plan)) is not None:
        raise ValueError(f"`engine` = 'counts' cannot run this plan exactly: {why}")
