"""The ``[optimize]`` table: the design space ``reliability optimize`` searches, and how.

::

    [optimize]
    space = { "cluster.gpu.spares.cold" = { min = 0, max = 10 }, "maintenance.servicing.every" = ["3 y", "2 y"] }
    monotone = true        # along each knob's values the metric never gets worse
    first_trials = 250     # trials of every design at its first look
    max_trials = 8000      # trials at the last look (a design still open there is undecided)
    width = 4              # designs advanced together, the cheapest first
    rank_by = "mass_kg"    # the [cost] measure that ranks (default: the first; "units" without [cost])
    error = 0.05           # chance that a design's verdict is wrong, over all its looks

A knob is a list of values (numbers, strings or booleans, as in ``[sweep]``) or an
integer or number range ``{ min, max, step = 1 }``. The requirement is the campaign's
``target``; the search is in :mod:`reliability.selection`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from reliability.campaign.errors import MAX_TRIALS, CampaignError
from reliability.campaign.reader import Table

__all__ = ["MAX_DESIGNS", "UNITS_MEASURE", "Optimize", "read_optimize"]

#: designs one search may hold (each is compiled to a plan before it starts)
MAX_DESIGNS = 2000
#: the measure that ranks designs when the campaign has no ``[cost]``: unit slots and
#: on-board spares flown
UNITS_MEASURE = "units"
_MAX_RANGE = 1000


@dataclass(frozen=True, slots=True, kw_only=True)
class Optimize:
    """Settings of ``reliability optimize``: the knobs and their values (in the order
    along which ``monotone`` knobs never make the metric worse), the looks, and the
    cost measure that ranks designs."""

    paths: tuple[str, ...]
    values: tuple[tuple[Any, ...], ...]
    monotone: tuple[str, ...] = ()
    first_trials: int
    max_trials: int
    width: int = 4
    rank_by: str
    error: float = 0.05

    @property
    def size(self) -> int:
        """Designs in the space."""
        return math.prod(len(v) for v in self.values)


def _knob(t: Table, path: str) -> list[Any]:
    """A knob's values: a list as given, or a ``{ min, max, step }`` range."""
    raw = t.raw(path)
    if isinstance(raw, list):
        return raw
    if not isinstance(raw, dict):
        raise t.error(path, "expected a list of values or a range { min, max, step }", raw)
    r = Table(raw, t.key(path), t.source)
    lo, hi = r.raw("min"), r.raw("max")
    step = r.raw("step", 1)
    r.finish()
    integers = all(isinstance(x, int) and not isinstance(x, bool) for x in (lo, hi, step))
    lo, hi = r.number("min"), r.number("max")
    step = r.number("step", 1, positive=True)
    if hi < lo:
        raise r.error("max", f"must be at least min = {lo:g}", raw["max"])
    count = math.floor((hi - lo) / step + 1e-9) + 1
    if count > _MAX_RANGE:
        raise t.error(path, f"gives {count} values; at most {_MAX_RANGE}", raw)
    if integers:
        return [int(raw["min"]) + i * int(raw.get("step", 1)) for i in range(count)]
    return [round(lo + i * step, 12) for i in range(count)]


def read_optimize(
    raw: Any, source: str, *, has_target: bool, measures: tuple[str, ...]
) -> Optimize:
    """Read ``[optimize]`` (see the module docstring); ``measures`` are the ``[cost]``
    measures of the baseline design. Paths and values are checked as ``[sweep]``'s
    are, by the caller."""
    t = Table(raw, "optimize", source)
    if not has_target:
        raise CampaignError(
            "needs a requirement to meet: campaign.target = "
            '{ metric = "availability", at_least = 0.99, confidence = 0.9 }',
            source=source,
            path="optimize",
        )
    st = t.table("space", required=True)
    assert st is not None
    if not st.data:
        raise t.error("space", "give at least one key path and its values", st.data)
    paths = tuple(st.data)
    values = tuple(tuple(_knob(st, p)) for p in paths)
    st.finish()
    mono = t.raw("monotone", False)
    if isinstance(mono, bool):
        monotone = paths if mono else ()
    elif isinstance(mono, list) and all(isinstance(p, str) for p in mono):
        for p in mono:
            if p not in paths:
                raise t.error("monotone", f"{p!r} is not a key path of optimize.space", mono)
        monotone = tuple(p for p in paths if p in mono)
    else:
        raise t.error("monotone", "expected true, false or a list of key paths", mono)
    first = t.integer("first_trials", 250, minimum=1, maximum=MAX_TRIALS)
    last = t.integer("max_trials", min(16 * first, MAX_TRIALS), minimum=first, maximum=MAX_TRIALS)
    choices = (*measures, UNITS_MEASURE)
    out = Optimize(
        paths=paths,
        values=values,
        monotone=monotone,
        first_trials=first,
        max_trials=last,
        width=t.integer("width", 4, minimum=1, maximum=MAX_DESIGNS),
        rank_by=t.string("rank_by", choices[0], choices=choices),
        error=t.number("error", 0.05, minimum=1e-6, maximum=0.5),
    )
    t.finish()
    return out
