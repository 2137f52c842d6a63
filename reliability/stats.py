"""Confidence intervals for Monte Carlo estimates.

Trials are i.i.d., so a mission-level metric gets a Student-t interval on the
per-trial values; a probability (mission reliability, point availability) gets a
Wilson score interval, which does not collapse when no trial failed. Counts per
mission (outages, spares, launches) get a Poisson-rate interval widened by their
observed over-dispersion, and other non-negative, right-skewed quantities
(downtime hours) an interval on the log scale: neither ever goes below zero. A
share of a total summed over trials (a cause's share of the downtime) is a ratio of
means, with a delta-method interval kept inside [0, 1].
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = [
    "Estimate",
    "count_ci",
    "mean_ci",
    "nonnegative_ci",
    "proportion_bounds",
    "proportion_ci",
    "share_ci",
]


@dataclass(frozen=True, slots=True)
class Estimate:
    """A Monte Carlo estimate with its standard error and confidence interval."""

    value: float
    se: float
    low: float
    high: float
    n: int
    confidence_level: float

    def interval(self, spec: str = ".6g") -> str:
        """``[low, high]`` formatted with ``spec``, or why there is none (a mean from
        one trial has no spread to go on).

        Examples
        --------
        >>> mean_ci([0.5, 0.7]).interval(".2f")
        '[-0.67, 1.87]'
        >>> mean_ci([0.5]).interval()
        'n/a (1 trial)'
        """
        if not (math.isfinite(self.low) and math.isfinite(self.high)):
            return f"n/a ({self.n} trial{'s' if self.n != 1 else ''})"
        return f"[{self.low:{spec}}, {self.high:{spec}}]"


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
    x = _values(x, confidence_level)
    n = x.size
    m = float(x.mean())
    if n < 2:
        return Estimate(m, math.inf, -math.inf, math.inf, n, confidence_level)
    se = float(x.std(ddof=1) / math.sqrt(n))
    q = float(stats.t.ppf(0.5 + confidence_level / 2, n - 1))
    return Estimate(m, se, m - q * se, m + q * se, n, confidence_level)


def count_ci(x: np.ndarray, confidence_level: float = 0.95) -> Estimate:
    """Mean count per trial with a Poisson-rate (Garwood) interval on the total,
    scaled by the over-dispersion the trials show (quasi-Poisson).

    The total of ``n`` trials' counts ``S`` is Poisson when events are; with variance
    ``phi`` times the mean (``phi = max(1, s^2 / mean)``), ``S / phi`` is treated as a
    Poisson count. The interval never goes below zero, is skewed the way counts are,
    and is not empty when no trial counted anything (``[0, 3.69 / n]`` at 95 %).

    Examples
    --------
    >>> e = count_ci(np.zeros(1000))
    >>> e.value, e.low, round(e.high, 5)
    (0.0, 0.0, 0.00369)
    """
    x = _values(x, confidence_level, nonnegative=True)
    n = x.size
    m = float(x.mean())
    var = float(x.var(ddof=1)) if n > 1 else m
    phi = max(1.0, var / m) if m > 0 else 1.0
    eff = n * m / phi  # the total, in Poisson units
    a = 1.0 - confidence_level
    low = 0.0 if eff == 0 else stats.chi2.ppf(a / 2, 2 * eff) / 2
    high = stats.chi2.ppf(1 - a / 2, 2 * eff + 2) / 2
    scale = phi / n
    return Estimate(
        m, math.sqrt(phi * m / n), float(low * scale), float(high * scale), n, confidence_level
    )


def nonnegative_ci(x: np.ndarray, confidence_level: float = 0.95) -> Estimate:
    """Mean of non-negative, right-skewed per-trial values (hours of downtime) with an
    interval on the log scale: ``mean * exp(-/+ t * se / mean)``.

    A symmetric interval around a small mean of skewed data runs below zero; this
    one is positive and longer on the right, where such data's uncertainty is. All
    values zero give ``[0, 0]``.

    Examples
    --------
    >>> e = nonnegative_ci([0.0, 0.0, 0.0, 12.0])
    >>> e.low > 0, round(e.value, 6)
    (True, 3.0)
    """
    x = _values(x, confidence_level, nonnegative=True)
    n = x.size
    m = float(x.mean())
    if n < 2:
        return Estimate(m, math.inf, 0.0, math.inf, n, confidence_level)
    se = float(x.std(ddof=1) / math.sqrt(n))
    if m == 0:
        return Estimate(0.0, 0.0, 0.0, 0.0, n, confidence_level)
    q = float(stats.t.ppf(0.5 + confidence_level / 2, n - 1))
    spread = math.exp(q * se / m)
    return Estimate(m, se, m / spread, m * spread, n, confidence_level)


def _values(x: np.ndarray, confidence_level: float, *, nonnegative: bool = False) -> np.ndarray:
    """The per-trial values as a flat float array, checked (with the level)."""
    _validate_confidence(confidence_level)
    x = np.asarray(x, dtype=float).ravel()
    if x.size == 0:
        raise ValueError("`x` must hold at least one value")
    if not np.all(np.isfinite(x)):
        raise ValueError("`x` must be finite")
    if nonnegative and np.any(x < 0):
        raise ValueError("`x` must be non-negative")
    return x


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


def proportion_bounds(successes: int, n: int, alpha: float) -> Estimate:
    """Proportion with exact one-sided Clopper-Pearson bounds: ``low`` is the lower
    bound at level ``1 - alpha`` (P(p < low) <= alpha), ``high`` the upper bound at the
    same level, each on its own (so ``[low, high]`` is a ``1 - 2 alpha`` interval).
    Exact, where Wilson's score bounds are too tight near 0 and 1.

    Examples
    --------
    >>> e = proportion_bounds(1000, 1000, 0.05)
    >>> round(e.low, 5), e.high  # 0.05 ** (1 / 1000)
    (0.99701, 1.0)
    """
    if not 0 < alpha < 0.5:
        raise ValueError(f"need 0 < alpha < 0.5, got {alpha}")
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and n > 0, got {successes} of {n}")
    k = int(successes)
    low = float(stats.beta.ppf(alpha, k, n - k + 1)) if k > 0 else 0.0
    high = float(stats.beta.ppf(1 - alpha, k + 1, n - k)) if k < n else 1.0
    p = k / n
    return Estimate(p, math.sqrt(p * (1 - p) / n), low, high, n, 1.0 - alpha)


def share_ci(
    part: np.ndarray, whole: np.ndarray, confidence_level: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share of a total that falls to each part, summed over trials, with
    delta-method confidence intervals (the ratio estimator).

    Parameters
    ----------
    part : array_like, shape (trials, parts)
        Each trial's amount of each part (e.g. downtime by cause).
    whole : array_like, shape (trials,)
        Each trial's total (e.g. all unplanned downtime).
    confidence_level : float
        Of the two-sided intervals.

    Returns
    -------
    share, low, high : ndarray, shape (parts,)
        ``sum(part) / sum(whole)`` and its interval, clipped to [0, 1]: the
        standard error is that of the mean of ``part - share * whole`` over the mean
        of ``whole`` (Cochran, *Sampling Techniques*, 3rd ed., 1977, section 6.3).
        NaN where the whole is zero in every trial (nothing to share).

    Examples
    --------
    >>> share, low, high = share_ci([[1.0, 3.0], [2.0, 2.0], [0.0, 4.0]], [4.0, 4.0, 4.0])
    >>> [round(float(v), 4) for v in share]
    [0.25, 0.75]
    """
    _validate_confidence(confidence_level)
    y = np.asarray(part, dtype=float)
    x = np.asarray(whole, dtype=float)
    n = x.shape[0]
    mean_x = x.mean() if n else 0.0
    if n == 0 or mean_x <= 0.0:
        nan = np.full(y.shape[1:], np.nan)
        return nan, nan.copy(), nan.copy()
    share = y.mean(axis=0) / mean_x
    if n < 2:
        return share, np.full_like(share, np.nan), np.full_like(share, np.nan)
    resid = y - share * x[:, None]
    se = resid.std(axis=0, ddof=1) / math.sqrt(n) / mean_x
    t = stats.t.ppf(0.5 + confidence_level / 2, n - 1)
    return share, np.clip(share - t * se, 0.0, 1.0), np.clip(share + t * se, 0.0, 1.0)
