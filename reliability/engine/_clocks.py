"""Failure clocks: lives in operational time, their heaps, and the time structure of rates.

Each (unit, mode) pair has a clock whose life is drawn by inversion and kept in the
*operational time* Lambda(t) of its mode's rate-profile domain: a failure is due
when Lambda reaches origin + life, and its wall time is Lambda^-1 of that, exactly
(solar cycle steps, SAA passes, a sine, this trial's solar particle events): time
structure is integrated, never stepped. Armed clocks sit in one indexed heap per
domain, keyed in that domain's operational time. While the system is down and units
do not age (``age_while_down`` = 0) every domain's operational time is frozen, but
for the calendar domain: time in orbit, in which total-dose lives are kept. Dose
accrues while a unit or the system is down, and a spare carries the dose of its time
in orbit since it came there (``born``).
"""

from __future__ import annotations

import math

import numpy as np

from reliability.engine import _heap as heap
from reliability.engine import _laws as laws
from reliability.engine import _profiles as prof
from reliability.engine import streams as rnd
from reliability.engine._access import add, fvar, get, iparam, ivar, put, set_ivar, trial_key
from reliability.engine._jit import kernel
from reliability.engine.spec import (
    PF,
    SF,
    SU,
    FVar,
    IParam,
    IVar,
    P,
    ProfileKind,
    Renew,
    S,
    Stream,
)


@kernel(forceinline=True, error_model="numpy")
def profile(pi, pf, sf, d, x, inverse):
    """Lambda_d(x), or its inverse when ``inverse``, for rate-profile domain ``d``."""
    kind = get(pi, P.DOM_KIND, d)
    if kind == ProfileKind.CONSTANT:
        return x
    if kind == ProfileKind.SPE:
        n = int(fvar(sf, FVar.SPE_POINTS))
        t0 = sf[int(sf[SF.SPE_T]) :]
        m = sf[int(sf[SF.SPE_M]) :]
        c0 = sf[int(sf[SF.SPE_C]) :]
        if inverse:
            return prof.steps_inverse(t0, m, c0, 0, n, x)
        return prof.steps_cum(t0, m, c0, 0, n, x)
    if kind == ProfileKind.MODULATED:
        a = get(pi, P.DOM_OFF, d)
        b = get(pi, P.DOM_OFF, d + 1)
        pa = get(pi, P.DOM_POFF, d)
        pb = get(pi, P.DOM_POFF, d + 1)
        et = pf[int(pf[PF.DOM_T]) :]
        em = pf[int(pf[PF.DOM_M]) :]
        ec = pf[int(pf[PF.DOM_C]) :]
        pt = pf[int(pf[PF.PAT_T]) :]
        pm = pf[int(pf[PF.PAT_M]) :]
        pc = pf[int(pf[PF.PAT_C]) :]
        period = get(pf, PF.DOM_PERIOD, d)
        area = get(pf, PF.DOM_MEAN, d)
        if inverse:
            y = prof.steps_inverse(et, em, ec, a, b, x)
            return prof.periodic_inverse(pt, pm, pc, pa, pb, period, area, y)
        y = prof.periodic_cum(pt, pm, pc, pa, pb, period, area, x)
        return prof.steps_cum(et, em, ec, a, b, y)
    args = (
        kind,
        pf[int(pf[PF.DOM_T]) :],
        pf[int(pf[PF.DOM_M]) :],
        pf[int(pf[PF.DOM_C]) :],
        get(pi, P.DOM_OFF, d),
        get(pi, P.DOM_OFF, d + 1),
        get(pf, PF.DOM_MEAN, d),
        get(pf, PF.DOM_AMP, d),
        get(pf, PF.DOM_PERIOD, d),
        get(pf, PF.DOM_PHASE, d),
        x,
    )
    return prof.inverse(*args) if inverse else prof.cum(*args)


@kernel(forceinline=True, error_model="numpy")
def lam(pi, pf, sf, d, t):
    """Operational time of domain ``d`` at wall time ``t`` (never frozen)."""
    return profile(pi, pf, sf, d, t, False)


@kernel(forceinline=True, error_model="numpy")
def lam_inv(pi, pf, sf, d, c):
    return profile(pi, pf, sf, d, c, True)


@kernel(forceinline=True, error_model="numpy")
def op_now(pi, pf, si, sf, d, t):
    """Operational time of domain ``d`` at wall time ``t`` (frozen while the system is
    down when units do not age then)."""
    if ivar(si, IVar.FROZEN) and not get(pi, P.DOM_CALENDAR, d):
        return get(sf, SF.DOM_FROZEN, d) - get(sf, SF.DOM_LAG, d)
    return lam(pi, pf, sf, d, t) - get(sf, SF.DOM_LAG, d)


@kernel(forceinline=True, error_model="numpy")
def dom_of_clock(pi, c):
    return get(pi, P.MODE_DOM, get(pi, P.CLOCK_MODE, c))


@kernel(forceinline=True, error_model="numpy")
def fheap(pi, si, sf, d):
    """Slots of domain ``d``'s failure heap: keys, ids, positions, size."""
    b = get(pi, P.DOM_HOFF, d)
    return int(sf[SF.FH_KEY]) + b, si[S.FH_ID] + b, si[S.FH_POS], si[S.FH_SIZE] + d


@kernel(forceinline=True, error_model="numpy")
def arm(pi, si, sf, c):
    """Put clock ``c`` into its domain's heap, keyed at origin + deadline."""
    d = dom_of_clock(pi, c)
    keys, ids, pos, size = fheap(pi, si, sf, d)
    when = get(sf, SF.CLK_ORIGIN, c) + get(sf, SF.CLK_DEADLINE, c)
    heap.push(sf, si, keys, ids, pos, size, c, when)
    put(si, S.DOM_DIRTY, d, 1)


@kernel(forceinline=True, error_model="numpy")
def disarm(pi, si, sf, c):
    if get(si, S.FH_POS, c) >= 0:
        d = dom_of_clock(pi, c)
        keys, ids, pos, size = fheap(pi, si, sf, d)
        heap.remove(sf, si, keys, ids, pos, size, c)
        put(si, S.DOM_DIRTY, d, 1)


@kernel(forceinline=True, error_model="numpy")
def pop(pi, si, sf, d):
    """Remove and return the earliest clock of domain ``d``."""
    keys, ids, pos, size = fheap(pi, si, sf, d)
    c = heap.pop(sf, si, keys, ids, pos, size)
    put(si, S.DOM_DIRTY, d, 1)
    return c


@kernel(forceinline=True, error_model="numpy")
def life_uniform(pi, su, c):
    """The next uniform of clock ``c``'s life stream."""
    m = get(pi, P.CLOCK_MODE, c)
    stream = rnd.stream_id(Stream.LIFE, get(pi, P.CLOCK_UNIT, c), get(pi, P.MODE_LOCAL, m))
    u = rnd.uniform(trial_key(su), stream, get(su, SU.CLK_CTR, c))
    add(su, SU.CLK_CTR, c, np.uint64(1))
    return u


@kernel(error_model="numpy")  # out of line: rare, and the draws it inlines into are hot
def _lot_shift(pi, su, s, c):
    """``s`` times the normal factor of clock ``c``'s lot (one draw per lot and
    generation: every unit of the lot sees the same)."""
    lot = get(pi, P.UNIT_LOT, get(pi, P.CLOCK_UNIT, c))
    u = rnd.uniform(trial_key(su), rnd.stream_id(Stream.LOT, lot, 0), get(su, SU.LOT_GEN, lot))
    return s * laws.ndtri(u)


@kernel(forceinline=True, error_model="numpy")
def life_p1(pi, pf, su, m, c):
    """First life parameter of mode ``m`` on clock ``c``: a lognormal life whose lot
    shares part of its spread has its ln-median moved by its lot's factor."""
    p1 = get(pf, PF.MODE_P1, m)
    s = get(pf, PF.MODE_LOT_SIGMA, m)
    if s != 0.0:
        p1 += _lot_shift(pi, su, s, c)
    return p1


@kernel(forceinline=True, error_model="numpy")
def redraw_silent(pi, pf, si, sf, su, c):
    """A silent fault fired on clock ``c``: the clock draws its next event (minimal
    repair: the law conditioned on the age reached) and is armed again."""
    m = get(pi, P.CLOCK_MODE, c)
    u = life_uniform(pi, su, c)
    law, p1, p2 = get(pi, P.MODE_LAW, m), life_p1(pi, pf, su, m, c), get(pf, PF.MODE_P2, m)
    put(sf, SF.CLK_DEADLINE, c, laws.draw_after(law, p1, p2, get(sf, SF.CLK_DEADLINE, c), u))
    arm(pi, si, sf, c)


@kernel(forceinline=True, error_model="numpy")
def _dose_from(pi, sf, c, origin, t):
    """Count calendar clock ``c``'s time in orbit from ``origin``; a unit already past
    its dose threshold at ``t`` fails at once (a part is found dead when powered)."""
    life = get(sf, SF.CLK_DEADLINE, c)
    o = max(origin, t - life)
    if o + life < t:  # rounding: the key must not fall before t
        o += t - (o + life)
    put(sf, SF.CLK_ORIGIN, c, o)


@kernel(forceinline=True, error_model="numpy")
def renew(pi, pf, si, sf, su, unit, t, born):
    """Make ``unit`` as good as new: every failure mode draws a fresh life. Its total
    dose counts from ``born``, when it came to orbit (NaN: the unit's own, kept)."""
    c0 = get(pi, P.UNIT_CLOCK0, unit)
    for c in range(c0, c0 + get(pi, P.UNIT_NMODES, unit)):
        disarm(pi, si, sf, c)
        m = get(pi, P.CLOCK_MODE, c)
        d = get(pi, P.MODE_DOM, m)
        if math.isnan(born) and get(pi, P.DOM_CALENDAR, d):
            # the same part, repaired: its threshold and its dose are kept
            _dose_from(pi, sf, c, get(sf, SF.CLK_ORIGIN, c), t)
            arm(pi, si, sf, c)
            continue
        u = life_uniform(pi, su, c)
        put(sf, SF.CLK_ORIGIN, c, op_now(pi, pf, si, sf, d, t))
        put(
            sf,
            SF.CLK_DEADLINE,
            c,
            laws.draw(get(pi, P.MODE_LAW, m), life_p1(pi, pf, su, m, c), get(pf, PF.MODE_P2, m), u),
        )
        if get(pi, P.DOM_CALENDAR, d):
            _dose_from(pi, sf, c, born, t)
        arm(pi, si, sf, c)


@kernel(forceinline=True, error_model="numpy")
def pause(pi, pf, si, sf, unit, fired, t):
    """``unit`` went down because clock ``fired`` fired: its other clocks stop at the
    age they reached (the fired one keeps its deadline as its age)."""
    c0 = get(pi, P.UNIT_CLOCK0, unit)
    for c in range(c0, c0 + get(pi, P.UNIT_NMODES, unit)):
        if c == fired:
            put(sf, SF.CLK_PAUSED, c, get(sf, SF.CLK_DEADLINE, c))
        else:
            d = dom_of_clock(pi, c)
            age = op_now(pi, pf, si, sf, d, t) - get(sf, SF.CLK_ORIGIN, c)
            put(sf, SF.CLK_PAUSED, c, age)
            disarm(pi, si, sf, c)


@kernel(forceinline=True, error_model="numpy")
def resume(pi, pf, si, sf, su, unit, mode, t):
    """Bring ``unit`` back without renewal after mode ``mode``: paused clocks resume,
    and the failed mode's clock (if it has one) draws its next failure conditioned
    on its age (minimal repair), or afresh when that mode alone renews; after a
    maintenance turn that renews selected modes, their clocks start afresh."""
    c0 = get(pi, P.UNIT_CLOCK0, unit)
    failed = -1
    for c in range(c0, c0 + get(pi, P.UNIT_NMODES, unit)):
        if get(pi, P.CLOCK_MODE, c) == mode:
            failed = c
    selected = get(pi, P.MODE_RENEW, mode) == Renew.SELECTED
    for c in range(c0, c0 + get(pi, P.UNIT_NMODES, unit)):
        m = get(pi, P.CLOCK_MODE, c)
        age = get(sf, SF.CLK_PAUSED, c)
        drawn = c == failed or (selected and get(pi, P.MODE_PM_RENEW, m))
        if drawn:
            u = life_uniform(pi, su, c)
            law, p1, p2 = get(pi, P.MODE_LAW, m), life_p1(pi, pf, su, m, c), get(pf, PF.MODE_P2, m)
            if c != failed or get(pi, P.MODE_RENEW, m) == Renew.CLOCK:
                age = 0.0
                put(sf, SF.CLK_DEADLINE, c, laws.draw(law, p1, p2, u))
            else:
                put(sf, SF.CLK_DEADLINE, c, laws.draw_after(law, p1, p2, age, u))
        if not drawn and get(pi, P.DOM_CALENDAR, get(pi, P.MODE_DOM, m)):
            _dose_from(pi, sf, c, get(sf, SF.CLK_ORIGIN, c), t)  # dose accrued while down
        else:
            put(sf, SF.CLK_ORIGIN, c, op_now(pi, pf, si, sf, get(pi, P.MODE_DOM, m), t) - age)
        arm(pi, si, sf, c)


@kernel(forceinline=True, error_model="numpy")
def next_failure(pi, pf, si, sf):
    """Wall time and domain of the earliest pending failure (inf when none, or when
    frozen: but for the calendar domain, total dose)."""
    best = math.inf
    best_d = -1
    frozen = ivar(si, IVar.FROZEN)
    if iparam(pi, IParam.N_DOM) == 1:  # only the identity clock: wall time = key + lag
        if frozen or get(si, S.FH_SIZE, 0) == 0:
            return best, best_d
        return sf[int(sf[SF.FH_KEY])] + get(sf, SF.DOM_LAG, 0), 0
    for d in range(iparam(pi, IParam.N_DOM)):
        if get(si, S.FH_SIZE, d) == 0 or (frozen and not get(pi, P.DOM_CALENDAR, d)):
            continue
        if get(si, S.DOM_DIRTY, d):
            top = sf[int(sf[SF.FH_KEY]) + get(pi, P.DOM_HOFF, d)]
            put(sf, SF.DOM_NEXT, d, lam_inv(pi, pf, sf, d, top + get(sf, SF.DOM_LAG, d)))
            put(si, S.DOM_DIRTY, d, 0)
        if get(sf, SF.DOM_NEXT, d) < best:
            best = get(sf, SF.DOM_NEXT, d)
            best_d = d
    return best, best_d


@kernel(forceinline=True, error_model="numpy")
def set_frozen(pi, pf, si, sf, want, t):
    """Freeze (``want`` = 1) or thaw every domain's operational time at ``t``; True
    when that changed anything."""
    if want == ivar(si, IVar.FROZEN):
        return False
    for d in range(iparam(pi, IParam.N_DOM)):
        if get(pi, P.DOM_CALENDAR, d):
            continue  # time in orbit runs on
        if want:
            put(sf, SF.DOM_FROZEN, d, lam(pi, pf, sf, d, t))
        else:
            add(sf, SF.DOM_LAG, d, lam(pi, pf, sf, d, t) - get(sf, SF.DOM_FROZEN, d))
        put(si, S.DOM_DIRTY, d, 1)
    set_ivar(si, IVar.FROZEN, want)
    return True


@kernel(error_model="numpy")
def fresh_residuals(pi, pf, si, sf, su, t):
    """Every armed failure clock draws its remaining life afresh, given its age at t
    (splitting: a clone learns of an unfired clock only that it has not fired)."""
    for c in range(get(pi, P.DOM_HOFF, iparam(pi, IParam.N_DOM))):
        if get(si, S.FH_POS, c) < 0:
            continue
        m = get(pi, P.CLOCK_MODE, c)
        d = get(pi, P.MODE_DOM, m)
        age = op_now(pi, pf, si, sf, d, t) - get(sf, SF.CLK_ORIGIN, c)
        u = life_uniform(pi, su, c)
        law, p1, p2 = get(pi, P.MODE_LAW, m), life_p1(pi, pf, su, m, c), get(pf, PF.MODE_P2, m)
        disarm(pi, si, sf, c)
        put(sf, SF.CLK_DEADLINE, c, laws.draw_after(law, p1, p2, max(age, 0.0), u))
        arm(pi, si, sf, c)
