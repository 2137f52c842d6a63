"""Life and duration laws inside the kernel: draws by cumulative-hazard inversion.

Law codes and their parameters are the contract's (:class:`~reliability.engine.spec.LawKind`).
"""

from __future__ import annotations

import math

import numpy as np

from reliability.engine import streams as rnd
from reliability.engine._jit import kernel
from reliability.engine.spec import LawKind

_SQRT2 = math.sqrt(2.0)
_SQRT2PI = math.sqrt(2.0 * math.pi)


# Acklam's rational approximation: central region (A/B) and tails (C/D)
_A = (
    -3.969683028665376e01,
    2.209460984245205e02,
    -2.759285104469687e02,
    1.383577518672690e02,
    -3.066479806614716e01,
    2.506628277459239e00,
)
_B = (
    -5.447609879822406e01,
    1.615858368580409e02,
    -1.556989798598866e02,
    6.680131188771972e01,
    -1.328068155288572e01,
    1.0,
)
_C = (
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e00,
    -2.549732539343734e00,
    4.374664141464968e00,
    2.938163982698783e00,
)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00, 1.0)


@kernel(forceinline=True)
def _poly(coefs, x):
    y = 0.0
    for c in coefs:
        y = y * x + c
    return y


@kernel()
def ndtri(p):
    """Inverse of the standard normal CDF, to about 1e-15 relative (Acklam + one Halley step)."""
    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    plow = 0.02425
    if p < plow:
        q = math.sqrt(-2.0 * math.log(p))
        x = _poly(_C, q) / _poly(_D, q)
    elif p <= 1.0 - plow:
        q = p - 0.5
        r = q * q
        x = _poly(_A, r) * q / _poly(_B, r)
    else:
        q = math.sqrt(-2.0 * math.log1p(-p))
        x = -_poly(_C, q) / _poly(_D, q)
    # Halley refinement against erfc, exact in double precision for the tails too
    if x < 0:
        e = 0.5 * math.erfc(-x / _SQRT2) - p
    else:
        e = -(0.5 * math.erfc(x / _SQRT2) - (1.0 - p))
    u = e * _SQRT2PI * math.exp(0.5 * x * x)
    return x - u / (1.0 + 0.5 * x * u)


@kernel(forceinline=True)
def cum_hazard(law, p1, p2, age):
    """Cumulative hazard H(age) of the law."""
    if age <= 0.0:
        return 0.0
    if law == LawKind.EXPONENTIAL:
        return age / p1
    if law == LawKind.WEIBULL:
        return (age / p1) ** p2
    if law == LawKind.LOGNORMAL:
        s = 0.5 * math.erfc((math.log(age) - p1) / (p2 * _SQRT2))
        return -math.log(s) if s > 0.0 else math.inf
    return 0.0 if age < p1 else math.inf


@kernel(forceinline=True)
def age_at_hazard(law, p1, p2, h, u):
    """Age at which the cumulative hazard reaches ``h``; ``u = exp(-h)`` is passed
    as well so the lognormal branch keeps full precision for fresh draws."""
    if law == LawKind.EXPONENTIAL:
        return p1 * h
    if law == LawKind.WEIBULL:
        return p1 * h ** (1.0 / p2)
    if law == LawKind.LOGNORMAL:
        return math.exp(p1 - p2 * ndtri(u))
    return p1


@kernel(forceinline=True)
def draw(law, p1, p2, u):
    """A draw of the law from a uniform ``u`` in (0, 1) (inverse survival function)."""
    if law == LawKind.FIXED:
        return p1
    return age_at_hazard(law, p1, p2, -math.log(u), u)


@kernel(forceinline=True)
def draw_after(law, p1, p2, age, u):
    """Failure age after a minimal repair at ``age``: the law conditioned on survival to it."""
    if law == LawKind.EXPONENTIAL:
        return age + p1 * -math.log(u)
    h = cum_hazard(law, p1, p2, age) - math.log(u)
    return max(age, age_at_hazard(law, p1, p2, h, math.exp(-h)))


@kernel()
def poisson(mean, key, stream, counter):
    """A Poisson(``mean``) draw from counter-based uniforms ``(key, stream, counter + i)``.

    Inversion for small means; Hormann's PTRS transformed rejection (1993, as in
    NumPy) above 10, whose cost does not grow with the mean.
    """
    if mean <= 0.0:
        return 0
    i = counter
    if mean < 10.0:
        u = rnd.uniform(key, stream, i)
        p = math.exp(-mean)
        cdf = p
        k = 0
        while u > cdf and k < 1000:
            k += 1
            p *= mean / k
            cdf += p
        return k
    slam = math.sqrt(mean)
    loglam = math.log(mean)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u = rnd.uniform(key, stream, i) - 0.5
        v = rnd.uniform(key, stream, i + np.uint64(1))
        i += np.uint64(2)
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + mean + 0.43)
        if us >= 0.07 and v <= vr:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        lhs = math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
        if lhs <= -mean + k * loglam - math.lgamma(k + 1.0):
            return k
