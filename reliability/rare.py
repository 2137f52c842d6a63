"""Rare-event estimation for highly available Markovian designs: balanced failure
biasing (BFB) on the regenerative estimator.

For a design whose units fail and are repaired at exponential rates, the number of
failed units in each leaf group is a Markov chain that regenerates whenever every
unit is up. A *cycle* is the time at all-up plus the *excursion* that follows the
first failure, until all units are up again. Then

* gamma = P(the system goes down before the excursion ends), and
* unavailability U = E[downtime per cycle] / E[cycle length].

Crude Monte Carlo needs about (1.96 / eps)^2 / gamma cycles for a relative half-width
eps; balanced failure biasing (Shahabuddin 1994) gives failures together probability
``p`` in every state that also has repairs, split uniformly over the up units, and
weighs each path by its likelihood ratio. Its relative error stays bounded as the
failure rates fall (bounded relative error), which ``reliability verify`` checks on
B13 of ``shared/reference/reliability.md``. Importance sampling is used for the rare
numerator only (measure-specific IS); the cycle length is estimated crudely, and
downtime is accumulated as expected holding times (conditional Monte Carlo).

Exact references for checking: :func:`exact_gamma` and :func:`exact_unavailability`
solve the chain directly (sparse linear algebra).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import linalg as splinalg

from reliability.engine import excursions, leaf_tree_up, trial_keys
from reliability.engine.spec import MAX_EVENTS_PER_TRIAL

__all__ = [
    "MarkovDesign",
    "RareEstimate",
    "estimate_gamma",
    "estimate_unavailability",
    "exact_gamma",
    "exact_unavailability",
    "markov_design",
    "simulate_cycles",
]


@dataclass(frozen=True, slots=True)
class MarkovDesign:
    """A k-of-n tree whose leaf units fail at ``lam`` and are repaired at ``mu`` per
    hour, by ``crews`` repairers per leaf group (0: every failed unit is repaired at
    once). ``levels`` are (n, k) pairs, outermost first; units keep failing while
    their group is down (the engine's default semantics)."""

    levels: tuple[tuple[int, int], ...]
    lam: float
    mu: float
    crews: int = 0
    max_events: int = MAX_EVENTS_PER_TRIAL  # per excursion, as a crude trial's budget

    def __post_init__(self) -> None:
        if not self.levels or any(not 1 <= k <= n for n, k in self.levels):
            raise ValueError(f"`levels` must be (n, k) pairs with 1 <= k <= n: {self.levels}")
        if not (self.lam > 0 and self.mu > 0 and math.isfinite(self.lam * self.mu)):
            raise ValueError(f"`lam` and `mu` must be positive, got {self.lam}, {self.mu}")
        if self.crews < 0:
            raise ValueError(f"`crews` must be >= 0, got {self.crews}")

    @property
    def n_groups(self) -> int:
        """Leaf groups (each holds ``levels[-1][0]`` units)."""
        return math.prod(n for n, _ in self.levels[:-1])

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        n = np.array([lv[0] for lv in self.levels], dtype=np.int64)
        k = np.array([lv[1] for lv in self.levels], dtype=np.int64)
        return n, k


@dataclass(frozen=True, slots=True)
class RareEstimate:
    """An importance-sampling estimate with its diagnostics."""

    value: float
    se: float
    low: float
    high: float
    relative_error: float  # s / (sqrt(N) * mean): the relative half-width is 1.96 x this
    re_per_sample: float  # s / mean: flat as the event gets rarer (bounded relative error)
    n: int
    ess: float  # effective sample size of the likelihood ratios of the hits
    max_weight_share: float  # largest single contribution to the estimate
    hits: int


def _summary(x: np.ndarray) -> RareEstimate:
    n = x.size
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if n > 1 else math.nan
    se = sd / math.sqrt(n)
    hits = x[x > 0]
    ess = float(hits.sum() ** 2 / (hits**2).sum()) if hits.size else 0.0
    share = float(hits.max() / hits.sum()) if hits.size else math.nan
    re = se / mean if mean > 0 else math.inf
    return RareEstimate(
        mean,
        se,
        mean - 1.96 * se,
        mean + 1.96 * se,
        re,
        re * math.sqrt(n),
        n,
        ess,
        share,
        int(hits.size),
    )


def _run(design: MarkovDesign, rng, n: int, p: float, stop_at_down: bool):
    nn, kk = design.arrays()
    keys = trial_keys(rng, n)
    g, d, length = np.zeros(n), np.zeros(n), np.zeros(n)
    excursions(
        nn,
        kk,
        design.lam,
        design.mu,
        design.crews,
        p,
        keys,
        stop_at_down,
        g,
        d,
        length,
        design.max_events,
    )
    return g, d, length


def estimate_gamma(
    design: MarkovDesign, rng, n_cycles: int, *, method: str = "importance", bias: float = 0.5
) -> RareEstimate:
    """P(system down before all units are up again | one unit just failed).

    Parameters
    ----------
    design : MarkovDesign
    rng : numpy.random.Generator, int or SeedSequence
        Source of the per-cycle keys.
    n_cycles : int
    method : {"importance", "crude"}
    bias : float
        Failure probability of balanced failure biasing, in (0, 1).
    """
    _validate(method, bias, n_cycles)
    g, _, _ = _run(design, rng, n_cycles, bias if method == "importance" else 0.0, True)
    return _summary(g)


def estimate_unavailability(
    design: MarkovDesign,
    rng,
    n_cycles: int,
    *,
    method: str = "importance",
    bias: float = 0.5,
    crude_share: float = 0.1,
) -> tuple[RareEstimate, float]:
    """Steady-state unavailability by the regenerative ratio E[D] / E[C].

    The numerator runs ``n_cycles`` excursions (under BFB for ``"importance"``), the
    denominator a further ``crude_share`` of them crudely. Returns the estimate (its
    relative error from the delta method) and E[C] in hours.
    """
    _validate(method, bias, n_cycles)
    seeds = np.random.SeedSequence(np.random.default_rng(rng).integers(2**63)).spawn(2)
    _, d, _ = _run(design, seeds[0], n_cycles, bias if method == "importance" else 0.0, False)
    n_c = max(100, int(n_cycles * crude_share))
    _, _, length = _run(design, seeds[1], n_c, 0.0, False)
    return _ratio(design, d, length)


def _ratio(
    design: MarkovDesign, down: np.ndarray, length: np.ndarray
) -> tuple[RareEstimate, float]:
    """U = E[downtime per cycle] / E[cycle] with a delta-method interval, and E[cycle].

    The cycle is the exponential time at all-up (known exactly) plus the excursion,
    whose mean comes from the crude ``length`` sample."""
    total_units = design.n_groups * design.levels[-1][0]
    cycle = 1.0 / (total_units * design.lam) + float(length.mean())
    cycle_se = float(length.std(ddof=1)) / math.sqrt(length.size) if length.size > 1 else 0.0
    num = _summary(down)
    u = num.value / cycle
    se = math.sqrt((num.se / cycle) ** 2 + (num.value * cycle_se / cycle**2) ** 2)
    re = se / u if u > 0 else math.inf
    n = down.size
    est = RareEstimate(
        u,
        se,
        u - 1.96 * se,
        u + 1.96 * se,
        re,
        re * math.sqrt(n),
        n,
        num.ess,
        num.max_weight_share,
        num.hits,
    )
    return est, cycle


def _validate(method: str, bias: float, n_cycles: int) -> None:
    if method not in ("importance", "crude"):
        raise ValueError(f"`method` must be 'importance' or 'crude', got {method!r}")
    if not 0.0 < bias < 1.0:
        raise ValueError(f"`bias` must be in (0, 1), got {bias}")
    if n_cycles < 2:
        raise ValueError(f"`n_cycles` must be at least 2, got {n_cycles}")


# ----------------------------------------------------------------------------- exact


def _states(design: MarkovDesign):
    units = design.levels[-1][0]
    states = list(itertools.product(range(units + 1), repeat=design.n_groups))
    index = {s: i for i, s in enumerate(states)}
    return states, index


def _generator(design: MarkovDesign):
    states, index = _states(design)
    units = design.levels[-1][0]
    rows, cols, vals = [], [], []
    for i, s in enumerate(states):
        for g, f in enumerate(s):
            if f < units:
                t = list(s)
                t[g] += 1
                rows.append(i), cols.append(index[tuple(t)]), vals.append((units - f) * design.lam)
            if f > 0:
                t = list(s)
                t[g] -= 1
                reps = f if design.crews == 0 else min(f, design.crews)
                rows.append(i), cols.append(index[tuple(t)]), vals.append(reps * design.mu)
    m = len(states)
    q = sparse.csr_matrix((vals, (rows, cols)), shape=(m, m))
    q = q - sparse.diags(np.asarray(q.sum(axis=1)).ravel())
    return states, index, q.tocsc()


def _up_mask(design: MarkovDesign, states) -> np.ndarray:
    n, k = design.arrays()
    return np.array(
        [leaf_tree_up(np.array(s, dtype=np.int64), n, k, design.n_groups) for s in states]
    )


def exact_unavailability(design: MarkovDesign) -> float:
    """Steady-state unavailability of the chain (sparse solve; up to ~1e6 states)."""
    states, _, q = _generator(design)
    m = len(states)
    a = q.T.tolil()
    a[0, :] = 1.0  # replace one balance equation by the normalisation
    b = np.zeros(m)
    b[0] = 1.0
    pi = splinalg.spsolve(a.tocsc(), b)
    return float(pi[~_up_mask(design, states)].sum())


def exact_gamma(design: MarkovDesign) -> float:
    """P(down before all-up | one failure), averaged over where the first failure lands."""
    states, index, q = _generator(design)
    up = _up_mask(design, states)
    m = len(states)
    # h(x) = P(hit down before 0 | x): h = 1 on down states, 0 at all-up, harmonic elsewhere
    interior = [i for i in range(1, m) if up[i]]
    pos = {s: j for j, s in enumerate(interior)}
    qi = q.tocsr()
    a = sparse.lil_matrix((len(interior), len(interior)))
    b = np.zeros(len(interior))
    for j, i in enumerate(interior):
        row = qi.getrow(i)
        for c, v in zip(row.indices, row.data, strict=True):
            if c == i:
                a[j, j] += v
            elif c in pos:
                a[j, pos[c]] += v
            elif not up[c]:
                b[j] -= v
    h = splinalg.spsolve(a.tocsc(), b)
    firsts = []
    for g in range(design.n_groups):
        s = [0] * design.n_groups
        s[g] = 1
        i = index[tuple(s)]
        firsts.append(1.0 if not up[i] else h[pos[i]])
    return float(np.mean(firsts))


# ----------------------------------------------------------------------------- campaigns


def markov_design(design) -> tuple[MarkovDesign | None, str]:
    """The Markov chain of a :class:`~reliability.campaign.Design`, or None and the
    reason it has none.

    Markovian here: one failure mode or several with exponential lives and one common
    exponential (or zero) repair, no spares, servicing, rate profiles or orbit
    environment (whose time structure is not memoryless), no radiation faults or
    memory, crews (if any) on the innermost level.
    """
    levels = design.levels
    unit = design.leaf_unit
    if unit.radiation or unit.memory is not None:
        return None, "radiation faults are not modelled by the Markov chain"
    if unit.maintenance is not None:
        return None, "calendar maintenance is not memoryless"
    if design.platforms:
        return None, "platforms (group-level failures) are not in the Markov chain"
    if design.environment is not None:
        return None, "an orbit environment makes rates time-varying"
    if design.servicing or design.resupply or any(lv.spares for lv in levels):
        return None, "spares, servicing and resupply are not Markovian here"
    if any(lv.crews for lv in levels[:-1]):
        return None, "crews must sit on the innermost level"
    lam = 0.0
    repair = None
    for m in unit.failures:
        if m.life.law != "exponential" or m.profile is not None:
            return None, f"failure mode {m.name!r} is not a constant-rate exponential"
        if m.restore != "repair" or m.repair is None:
            return None, f"failure mode {m.name!r} is not repaired in place"
        if m.repair.law != "exponential" or (repair is not None and m.repair.p1 != repair):
            return None, "repairs must be exponential with one common mean"
        if not m.crew and levels[-1].crews:
            return None, "mixed crew and crew-less repairs"
        repair = m.repair.p1
        lam += 1.0 / m.life.p1
    if repair is None or repair <= 0:
        return None, "no repair"
    chain = MarkovDesign(
        levels=tuple((lv.n, lv.k) for lv in levels),
        lam=lam,
        mu=1.0 / repair,
        crews=levels[-1].crews or 0,
    )
    return chain, ""


def simulate_cycles(
    design: MarkovDesign, seed, n_cycles: int, bias: float, crude_share: float
) -> dict[str, np.ndarray]:
    """One block of the rare-event method: ``n_cycles`` BFB excursions for the downtime
    and for gamma, and ``crude_share`` as many crude excursions for the cycle length."""
    seeds = np.random.SeedSequence(np.random.default_rng(seed).integers(2**63)).spawn(3)
    _, down, _ = _run(design, seeds[0], n_cycles, bias, False)
    hit, _, _ = _run(design, seeds[1], n_cycles, bias, True)
    n_c = max(2, round(n_cycles * crude_share)) if n_cycles else 0  # 0: compile only
    _, _, length = _run(design, seeds[2], n_c, 0.0, False)
    return {"downtime": down, "hit": hit, "length": length}


def summarise(blocks: list[dict[str, np.ndarray]], design: MarkovDesign) -> dict[str, float]:
    """Unavailability (delta-method CI), gamma and the weight diagnostics of blocks."""
    down = np.concatenate([b["downtime"] for b in blocks])
    hit = np.concatenate([b["hit"] for b in blocks])
    length = np.concatenate([b["length"] for b in blocks])
    u, cycle = _ratio(design, down, length)
    g = _summary(hit)
    return {
        "unavailability": u.value,
        "unavailability_low": u.low,
        "unavailability_high": u.high,
        "relative_error": u.relative_error,
        "re_per_cycle": u.re_per_sample,
        "ess": u.ess,
        "max_weight_share": u.max_weight_share,
        "gamma": g.value,
        "gamma_se": g.se,
        "cycle_h": cycle,
    }
