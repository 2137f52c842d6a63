"""Mission-time rate profiles: cumulative multiplier Lambda(t) and its exact inverse.

Kinds (:class:`~reliability.engine.spec.ProfileKind`): steps (piecewise constant), sine,
constant 1 (the identity clock), modulated (a steps envelope over a periodic pattern
such as SAA passes: the envelope's breakpoints are kept in the pattern's own
cumulative time, so ``Lambda = steps(P(t))`` and ``Lambda^-1 = P^-1(steps^-1(c))``),
and solar particle events (steps drawn afresh for every trial).
Failure deadlines are kept in a profile's *operational* time Lambda(t); turning them
into wall-clock times needs Lambda^-1, exactly, never by time stepping.
"""

from __future__ import annotations

import math

from reliability.engine._jit import kernel
from reliability.engine.spec import ProfileKind


@kernel()
def find(x, a, b, v):
    """Largest i in [a, b) with x[i] <= v (x[a] <= v is guaranteed)."""
    lo, hi = a, b - 1
    while lo < hi:
        mid = (lo + hi + 1) >> 1
        if x[mid] <= v:
            lo = mid
        else:
            hi = mid - 1
    return lo


@kernel()
def cum(kind, t0, mult, c0, a, b, mean, amp, period, phase, t):
    """Lambda(t) = integral of the multiplier from 0 to t (pieces in ``[a, b)``)."""
    if kind == ProfileKind.CONSTANT:
        return t
    if kind == ProfileKind.STEPS:
        i = find(t0, a, b, t)
        return c0[i] + mult[i] * (t - t0[i])
    w = 2.0 * math.pi / period
    return mean * (t + amp / w * (math.cos(phase) - math.cos(w * t + phase)))


@kernel()
def inverse(kind, t0, mult, c0, a, b, mean, amp, period, phase, c):
    """The wall time t with Lambda(t) = c (the latest piece where Lambda is flat)."""
    if kind == ProfileKind.CONSTANT:
        return c
    if kind == ProfileKind.STEPS:
        return steps_inverse(t0, mult, c0, a, b, c)
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


@kernel()
def steps_cum(t0, mult, c0, a, b, t):
    """Lambda(t) of a steps profile with pieces in ``[a, b)``."""
    i = find(t0, a, b, t)
    return c0[i] + mult[i] * (t - t0[i])


@kernel()
def steps_inverse(t0, mult, c0, a, b, c):
    """Inverse of a steps profile; inf beyond a final piece of multiplier 0."""
    i = find(c0, a, b, c)
    if mult[i] <= 0.0:
        return math.inf
    return t0[i] + (c - c0[i]) / mult[i]


@kernel()
def periodic_cum(pt, pm, pc, a, b, period, area, t):
    """P(t) of a pattern repeated every ``period`` (integral ``area`` per period)."""
    k = math.floor(t / period)
    s = t - k * period
    i = find(pt, a, b, s)
    return k * area + pc[i] + pm[i] * (s - pt[i])


@kernel()
def periodic_inverse(pt, pm, pc, a, b, period, area, x):
    """The earliest t with P(t) = x (the pattern has a positive piece)."""
    if not math.isfinite(x):
        return x
    k = math.floor(x / area)
    r = x - k * area
    r = max(r, 0.0)
    if r >= area:
        k += 1
        r -= area
    j = find(pc, a, b, r)
    # a flat (zero) piece shares its start value with the next piece: find takes the latest
    return k * period + pt[j] + (r - pc[j]) / pm[j]
