"""Mission-time rate profiles: cumulative multiplier Lambda(t) and its exact inverse.

Kinds: 0 steps (piecewise constant), 1 sine, 2 constant 1 (the identity clock).
Failure deadlines are kept in a profile's *operational* time Lambda(t); turning them
into wall-clock times needs Lambda^-1, exactly, never by time stepping.
"""

from __future__ import annotations

import math

from numba import njit

STEPS = 0
SINE = 1
CONSTANT = 2


@njit(cache=True)
def _find(x, a, b, v):
    """Largest i in [a, b) with x[i] <= v (x[a] <= v is guaranteed)."""
    lo, hi = a, b - 1
    while lo < hi:
        mid = (lo + hi + 1) >> 1
        if x[mid] <= v:
            lo = mid
        else:
            hi = mid - 1
    return lo


@njit(cache=True)
def cum(kind, t0, mult, c0, a, b, mean, amp, period, phase, t):
    """Lambda(t) = integral of the multiplier from 0 to t (pieces in ``[a, b)``)."""
    if kind == CONSTANT:
        return t
    if kind == STEPS:
        i = _find(t0, a, b, t)
        return c0[i] + mult[i] * (t - t0[i])
    w = 2.0 * math.pi / period
    return mean * (t + amp / w * (math.cos(phase) - math.cos(w * t + phase)))


@njit(cache=True)
def inverse(kind, t0, mult, c0, a, b, mean, amp, period, phase, c):
    """The wall time t with Lambda(t) = c (the latest piece where Lambda is flat)."""
    if kind == CONSTANT:
        return c
    if kind == STEPS:
        i = _find(c0, a, b, c)
        return t0[i] + (c - c0[i]) / mult[i]
    w = 2.0 * math.pi / period
    span = 2.0 * amp / w
    lo = c / mean - span
    hi = c / mean + span
    t = c / mean
    for _ in range(100):
        f = mean * (t + amp / w * (math.cos(phase) - math.cos(w * t + phase))) - c
        if f > 0:
            hi = t
        else:
            lo = t
        d = mean * (1.0 + amp * math.sin(w * t + phase))
        nt = t - f / d if d > 0 else 0.5 * (lo + hi)
        if not (lo < nt < hi):
            nt = 0.5 * (lo + hi)
        if abs(nt - t) <= 1e-13 * (1.0 + abs(t)):
            return nt
        t = nt
    return t
