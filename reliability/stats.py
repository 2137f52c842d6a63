"""Confidence intervals for Monte Carlo estimates.

Trials are i.i.d., so a mission-level metric gets a Student-t interval on the
per-trial values; a probability (mission reliability, point availability) gets a
Wilson score interval, which does not collapse when no trial failed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["Estimate", "mean_ci", "proportion_ci"]


@dataclass(frozen=True, slots=True)
class Estimate:
    """A Monte Carlo estimate with its standard error and confidence interval."""

    value: float
    se: float
    low: float
    high: float
    n: int
    confidence_level: float


def _validate_confidence(confidence_level: float) -> None:
    if not 0.0 < confidence_level < 1.0:
        raise ValueError(f"`confidence_level` must be in (0, 1), got {confidence_level}")


def mean_ci(x: np.ndarray, confidence_level: float = 0.95) -> Estimate:
    """Mean of per-trial values with a Student-t confidence interval.

    Parameters
    ----------
    x : array_like
        Per-trial values (finite).
    confidence_level : float, optional
        Two-sided confidence level.

    Returns
    -------
    Estimate

    Examples
    --------
    >>> e = mean_ci([1.0, 2.0, 3.0])
    >>> round(e.value, 6), round(e.se, 6)
    (2.0, 0.57735)
    """
    _validate_confidence(confidence_level)
    x = np.asarray(x, dtype=float).ravel()
    if x.size == 0:
        raise ValueError("`x` must hold at least one value")
    if not np.all(np.isfinite(x)):
        raise ValueError("`x` must be finite")
    n = x.size
    m = float(x.mean())
    if n < 2:
        return Estimate(m, math.inf, -math.inf, math.inf, n, confidence_level)
    se = float(x.std(ddof=1) / math.sqrt(n))
    q = float(stats.t.ppf(0.5 + confidence_level / 2, n - 1))
    return Estimate(m, se, m - q * se, m + q * se, n, confidence_level)


def proportion_ci(successes: int, n: int, confidence_level: float = 0.95) -> Estimate:
    """Proportion with a Wilson score interval (never a Wald interval).

    Examples
    --------
    >>> e = proportion_ci(0, 1000)
    >>> e.value, round(e.high, 5)
    (0.0, 0.00383)
    """
    _validate_confidence(confidence_level)
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and n > 0, got {successes} of {n}")
    p = successes / n
    ci = stats.binomtest(int(successes), int(n)).proportion_ci(
        confidence_level=confidence_level, method="wilson"
    )
    return Estimate(
        p, math.sqrt(p * (1 - p) / n), float(ci.low), float(ci.high), n, confidence_level
    )
