"""Finding the cheapest design that meets a requirement: a sequential feasibility
search over a design space, under common random numbers.

The requirement is ``P(metric >= at_least) >= confidence``. Costs are known exactly;
only feasibility is uncertain, so the search is a feasibility check (Batur and Kim,
2010, "Finding feasible systems in the presence of constraints on multiple
performance measures", ACM TOMACS 20(3):13) ordered by cost:

* designs are taken cheapest first, ``width`` at a time, and each is advanced through
  *looks* at 1, 2, 4, ... times its first block count, up to the last look;
* at each look, exact one-sided Clopper-Pearson bounds of P(metric >= at_least), each
  at level ``1 - error / looks``, decide it: it *meets* when the lower bound is at least
  ``confidence``, it *fails* when the upper bound is below; a design still open at the
  last look is *undecided*. By the union bound over the looks, a design whose true
  P(meet) is at least ``confidence`` is judged to fail with probability at most
  ``error``, and one below it is judged to meet with probability at most ``error``
  (Wilson's score bounds are too tight near 1 for this: at ``confidence`` = 0.999
  their wrong-fail rate over the looks reaches twice ``error``);
* with ``monotone`` knobs (along whose values the metric never gets worse), a design
  that fails implies that every design it dominates fails too: they are not run;
* the search ends when the cheapest design that meets has no cheaper design open:
  that is the pick. Designs dearer than the cheapest one known to meet are not run
  further (some may have run while it was not yet known, ``width`` at a time).

The pick is wrong only if some cheaper design that truly meets was judged to fail
(or implied to, from a design judged to fail): at most ``error`` for each such
design. Trials where the metric is undefined (NaN) are left out, as the decision
table of a run leaves them out.

Every design of a campaign draws block ``b``'s random numbers from the same seed, so
two designs are compared on the same trials (common random numbers): the evidence
for the pick includes its paired difference against the best of the cheaper designs.
Verdicts depend on each design's own trials only, so the search depends on the seed,
the block size and the ``[optimize]`` settings, not on the workers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from reliability.campaign import Design, draws_power
from reliability.stats import Estimate, mean_ci, proportion_bounds

__all__ = ["Search", "design_cost", "design_units", "look_schedule"]


def _flown(design: Design) -> tuple[float, float, float]:
    """Leaf units flown by a design: (slots and warm on-board spares, which draw power;
    cold on-board spares; units carried by spare groups, e.g. spare satellites, which
    run no compute until they take a failed group's place)."""
    levels = design.levels
    drawing = float(design.n_units)
    cold = carried = 0.0
    n_groups = 1  # groups of the level at hand
    for d, lv in enumerate(levels):
        if lv.spares is not None:
            if lv.spares.kind == "cold":
                cold += lv.spares.count * n_groups
            else:
                drawing += lv.spares.count * n_groups
        if lv.group_spares is not None:
            # a spare group carries what one member of this level carries
            inside, below = 0.0, 1
            for e in levels[d + 1 :]:
                inside += (e.spares.count if e.spares is not None else 0) * below
                below *= e.n
            carried += lv.group_spares.count * n_groups * (inside + below)
        n_groups *= lv.n
    return drawing, cold, carried


def design_units(design: Design) -> float:
    """Units flown by a design: every unit slot, every on-board spare, and the units
    carried by spare groups (spare satellites)."""
    return float(sum(_flown(design)))


def design_cost(design: Design) -> dict[str, float]:
    """Cost of one design per measure: every unit slot, every on-board spare and every
    unit a spare group (satellite) carries, but a measure of power (its name starts
    with ``power``, e.g. ``power_w``) counts only the units that draw it: the slots and
    warm spares, not cold ones (switched off) nor those of spare satellites.

    Examples
    --------
    >>> from reliability.campaign import parse_campaign
    >>> c = parse_campaign('''
    ... [campaign]
    ... name = "x"
    ... mission = "1 y"
    ... trials = 1
    ... seed = 1
    ... [units.gpu]
    ... failures = [{ law = "exponential", mean = "5 y" }]
    ... [cluster]
    ... gpu = { n = 8, k = 6, spares = { cold = 2 } }
    ... [cost]
    ... gpu = { mass_kg = 2.0, power_w = 700 }
    ... ''')
    >>> design_cost(c.base)
    {'mass_kg': 20.0, 'power_w': 5600.0}
    """
    levels = design.levels
    unit = levels[-1].unit or levels[-1].name
    drawing, cold, carried = _flown(design)
    costs = dict(design.costs)
    return {
        measure: value * (drawing + (0.0 if draws_power(measure) else cold + carried))
        for measure, value in costs.get(unit, ())
    }


def look_schedule(first_blocks: int, max_blocks: int) -> list[int]:
    """Blocks run by each look: ``first_blocks``, doubling, ending at ``max_blocks``.

    Examples
    --------
    >>> look_schedule(1, 16), look_schedule(3, 20)
    ([1, 2, 4, 8, 16], [3, 6, 12, 20])
    """
    if not 1 <= first_blocks <= max_blocks:
        raise ValueError(f"need 1 <= first_blocks <= max_blocks, got {first_blocks}, {max_blocks}")
    out = [first_blocks]
    while out[-1] < max_blocks:
        out.append(min(2 * out[-1], max_blocks))
    return out


@dataclass
class DesignState:
    """Where one design stands: trials run, the interval of P(meet), the verdict."""

    looks: int = 0
    trials: int = 0
    successes: int = 0
    p_meet: Estimate | None = None
    status: str = "not run"  # not run | open | meets | fails | implied | undecided
    implied_by: int | None = None
    metric: np.ndarray = field(default_factory=lambda: np.zeros(0))


class Search:
    """The state of one search (see the module docstring).

    Parameters
    ----------
    costs : sequence of float
        The ranking cost of each design.
    index : sequence of tuple of int
        Each design's position along every knob.
    monotone : sequence of bool
        Per knob: does the metric never get worse along its values?
    at_least, confidence : float
        The requirement ``P(metric >= at_least) >= confidence``.
    schedule : list of int
        Blocks run by each look (:func:`look_schedule`).
    width : int
        Designs advanced together.
    error : float
        Chance that a design's verdict is wrong, over all its looks.
    """

    def __init__(
        self,
        costs: list[float],
        index: list[tuple[int, ...]],
        monotone: list[bool],
        *,
        at_least: float,
        confidence: float,
        schedule: list[int],
        width: int,
        error: float = 0.05,
    ) -> None:
        self.costs, self.index, self.monotone = list(costs), list(index), list(monotone)
        self.at_least, self.confidence = at_least, confidence
        self.schedule, self.width, self.error = schedule, width, error
        self.alpha = error / len(schedule)  # each one-sided bound, at each look
        self.level = 1.0 - self.alpha
        self.order = sorted(range(len(costs)), key=lambda d: (costs[d], d))
        self.states = [DesignState() for _ in costs]
        self.rounds = 0

    def _key(self, d: int) -> tuple[float, int]:
        return (self.costs[d], d)

    @property
    def pick(self) -> int | None:
        """The cheapest design that meets the requirement (so far)."""
        meets = [d for d in self.order if self.states[d].status == "meets"]
        return meets[0] if meets else None

    def batch(self) -> list[tuple[int, int]]:
        """The designs to advance next and the blocks each will then have run: the
        ``width`` cheapest still to be decided that are cheaper than the pick so far
        (empty when the search is over)."""
        best = self.pick
        bound = self._key(best) if best is not None else (math.inf, 0)
        todo = [
            d
            for d in self.order
            if self.states[d].status in ("not run", "open") and self._key(d) < bound
        ]
        return [(d, self.schedule[self.states[d].looks]) for d in todo[: self.width]]

    def record(self, d: int, metric: np.ndarray) -> None:
        """Design ``d``'s metric over all its trials so far, at its next look (nothing
        for a design already settled: one implied to fail earlier in the round)."""
        st = self.states[d]
        if st.status not in ("not run", "open"):
            return
        st.looks += 1
        st.metric = np.asarray(metric, dtype=float)
        valid = st.metric[~np.isnan(st.metric)]
        st.trials = int(valid.size)
        st.successes = int((valid >= self.at_least).sum())
        if st.trials == 0:  # the metric is undefined for this design
            st.p_meet, st.status = None, "undecided"
            return
        st.p_meet = proportion_bounds(st.successes, st.trials, self.alpha)
        if st.p_meet.low >= self.confidence:
            st.status = "meets"
        elif st.p_meet.high < self.confidence:
            st.status = "fails"
            self._imply(d)
        else:
            st.status = "undecided" if st.looks == len(self.schedule) else "open"

    def _imply(self, failed: int) -> None:
        """Every design ``failed`` dominates fails too (monotone knobs only)."""
        x = self.index[failed]
        for y, st in enumerate(self.states):
            if st.status not in ("not run", "open") or y == failed:
                continue
            iy = self.index[y]
            if all(
                (a <= b) if mono else (a == b)
                for a, b, mono in zip(iy, x, self.monotone, strict=True)
            ):
                st.status, st.implied_by = "implied", failed

    def paired(self, a: int, b: int) -> tuple[Estimate, Estimate] | None:
        """Design ``b`` less design ``a`` on their common trials (common random numbers):
        the mean difference of the metric and of the indicator of meeting ``at_least``."""
        x, y = self.states[a].metric, self.states[b].metric
        n = min(x.size, y.size)
        both = ~(np.isnan(x[:n]) | np.isnan(y[:n]))
        x, y = x[:n][both], y[:n][both]
        if x.size < 2:
            return None
        return (
            mean_ci(y - x),
            mean_ci((y >= self.at_least).astype(float) - (x >= self.at_least)),
        )

    @property
    def trials_run(self) -> int:
        """Trials of every design together."""
        return sum(st.trials for st in self.states)
