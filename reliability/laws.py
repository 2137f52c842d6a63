"""Probability laws of lives and durations, as campaigns give them and the engine draws.

A :class:`Law` keeps the engine's parameters ``p1``/``p2`` (see
:class:`reliability.engine.spec.LawKind`): exponential (mean, -), Weibull (scale,
shape), lognormal (mu of ln h, sigma), fixed (value, -). Campaign reading, the
radiation model and the plan compiler all share it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reliability.units import hours_text

__all__ = ["LAWS", "Law"]

#: Distribution laws for lives and restoration durations.
LAWS = ("exponential", "weibull", "lognormal", "fixed")


@dataclass(frozen=True, slots=True, kw_only=True)
class Law:
    """A probability law for a life or a duration, in hours.

    ``p1``/``p2`` are the engine's parameters: exponential (mean, –), Weibull
    (scale, shape), lognormal (mu of ln h, sigma), fixed (value, –).

    Examples
    --------
    >>> round(Law(law="weibull", p1=1000.0, p2=2.0).mean_h, 3)
    886.227
    """

    law: str
    p1: float
    p2: float = 0.0

    @property
    def mean_h(self) -> float:
        """Mean of the law in hours."""
        if self.law == "weibull":
            return self.p1 * math.gamma(1.0 + 1.0 / self.p2)
        if self.law == "lognormal":
            return math.exp(self.p1 + 0.5 * self.p2**2)
        return self.p1

    def describe(self) -> str:
        """Short human-readable form, e.g. ``weibull(shape=1.5, mean=1000 h)``."""
        if self.law == "weibull":
            return f"weibull(shape={self.p2:g}, mean={hours_text(self.mean_h)})"
        if self.law == "lognormal":
            return f"lognormal(median={hours_text(math.exp(self.p1))}, sigma={self.p2:g})"
        return f"{self.law}({hours_text(self.p1)})"
