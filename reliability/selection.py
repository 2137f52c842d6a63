"""Finding the cheapest design that meets a requirement: a sequential feasibility
search over a design space, under common random numbers.

The requirement is ``P(metric >= at_least) >= confidence``. Costs are known exactly;
only feasibility is uncertain, so the search is a feasibility check (Batur and Kim,
2010, "Finding feasible systems in the presence of constraints on multiple
performance measures", ACM TOMACS 20(3):13) ordered by cost:

* designs are taken cheapest first, ``width`` at a time, and each is advanced through
  *looks* at 1, 2, 4, ... times its first block count, up to the last look;
* at each look a design's Wilson interval of P(metric >= at_least), at the two-sided
  level ``1 - error / looks`` (Bonferroni over the looks, so that the verdict holds at
  ``1 - error`` however many looks it took), decides it: it *meets* when the lower end
  is at least ``confidence``, it *fails* when the upper end is below; a design still
  open at the last look is *undecided*;
* with ``monotone`` knobs (along whose values the metric never gets worse), a design
  that fails implies that every design it dominates fails too: they are not run;
* the search ends when the cheapest design that meets has no cheaper design open:
  that is the pick. Designs dearer than it are never run.

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
from reliability.stats import Estimate, mean_ci, proportion_ci

__all__ = ["Search", "design_cost", "design_units", "look_schedule"]


def design_units(design: Design) -> float:
    """Units flown by a design: every unit slot and every on-board spare."""
    spares, n_groups = 0, 1
    for lv in design.levels:
        if lv.spares is not None:
            spares += lv.spares.count * n_groups
        n_groups *= lv.n
    return float(design.n_units + spares)


def design_cost(design: Design) -> dict[str, float]:
    """Cost of one design per measure: every unit slot plus every on-board spare, but
    a measure of power (its name starts with ``power``, e.g. ``power_w``) counts only
    the units that draw it: the slots and warm spares, not cold ones (switched off).

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
    slots = float(design.n_units)
    cold = warm = 0.0
    n_groups = 1  # spares: per group of the level that declares them
    for lv in levels:
        if lv.spares is not None:
            if lv.spares.kind == "cold":
                cold += lv.spares.count * n_groups
            else:
                warm += lv.spares.count * n_groups
        n_groups *= lv.n
    costs = dict(design.costs)
    return {
        measure: value * (slots + warm + (0.0 if draws_power(measure) else cold))
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
        self.level = 1.0 - error / len(schedule)
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
        """Design ``d``'s metric over all its trials so far, at its next look."""
        st = self.states[d]
        st.looks += 1
        st.metric = np.asarray(metric, dtype=float)
        st.trials = int(st.metric.size)
        st.successes = int((st.metric >= self.at_least).sum())
        st.p_meet = proportion_ci(st.successes, st.trials, self.level)
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
        if n < 2:
            return None
        return (
            mean_ci(y[:n] - x[:n]),
            mean_ci((y[:n] >= self.at_least).astype(float) - (x[:n] >= self.at_least)),
        )

    @property
    def trials_run(self) -> int:
        """Trials of every design together."""
        return sum(st.trials for st in self.states)
