"""The compiled event-driven Monte Carlo kernel.

One call simulates a block of trials of one scenario. The cost of a trial is
O(units + events x log(units)): every pending event sits in an indexed heap
(failure clocks per rate-profile domain, keyed in that domain's operational time;
restorations, servicing and resupply in wall-clock time), and a unit changing state
updates only the k-of-n groups on its path to the root.

Semantics (documented in the README and in :mod:`reliability.campaign`):

* a unit's failure modes compete; when one fires, the unit's other clocks pause
  until it is restored (a renewing restoration draws all lives afresh);
* units keep ageing while the system is down unless ``age_while_down`` is 0, in
  which case every clock freezes while the system is down;
* spares are reserved when a swap starts and consumed when it completes;
* servicing visits restore units at the end of the visit; pending clocks of
  surviving units carry over (replace-failed).

Every function takes the packed plan ``(pi, pf)`` and state ``(si, sf, su)``; field
``F`` element ``j`` of an array ``a`` is ``a[a[F] + j]`` (see ``_layout``).
"""

from __future__ import annotations

import math

import numpy as np

from reliability.engine import _heap as heap
from reliability.engine import _laws as laws
from reliability.engine import _profiles as prof
from reliability.engine import _random as rnd
from reliability.engine._jit import kernel
from reliability.engine._layout import (
    AGE_WHILE_DOWN,
    F_CAP,
    F_DEMAND,
    F_DONE,
    F_DOWN,
    F_PLANNED,
    F_SERVE,
    F_SLO,
    F_TTFF,
    F_UP,
    I_CAUSE,
    I_CELL,
    I_DEM_PIECE,
    I_FROZEN,
    I_JOB_CURSOR,
    I_JOB_N,
    I_JOB_PHASE,
    I_LASTMODE,
    I_NUP,
    I_OUTAGES,
    I_PLANNED,
    I_ROOTPREV,
    I_SDC_MODE,
    I_SDC_PENDING,
    I_SPARES,
    I_UP,
    J_COMMITTED,
    J_DEMAND,
    J_GOOD,
    J_SEG_LEN,
    J_SEG_START,
    J_SPEED,
    MISSION,
    N_CELLS,
    N_CREW,
    N_DOM,
    N_GROUPS,
    N_MODES,
    N_SP,
    N_UNITS,
    N_WALL_EXTRA,
    P_CLOCK_MODE,
    P_CLOCK_UNIT,
    P_CREW_COUNT,
    P_CREW_QOFF,
    P_DOM_HOFF,
    P_DOM_KIND,
    P_DOM_OFF,
    P_DOM_POFF,
    P_GROUP_CHILD0,
    P_GROUP_K,
    P_GROUP_N,
    P_GROUP_PARENT,
    P_GROUP_POOL,
    P_GROUP_UNITS,
    P_MODE_CREW,
    P_MODE_DOM,
    P_MODE_EFFECT,
    P_MODE_LAW,
    P_MODE_LOCAL,
    P_MODE_RENEW,
    P_MODE_REPLACE,
    P_MODE_RLAW,
    P_SCALARS,
    P_SP_CAPACITY,
    P_SP_QOFF,
    P_SP_SLAW,
    P_SP_WARM,
    P_UNIT_CLOCK0,
    P_UNIT_CREW,
    P_UNIT_GROUP,
    P_UNIT_NMODES,
    P_UNIT_SPARE,
    PF_DEM_C,
    PF_DEM_M,
    PF_DEM_T,
    PF_DOM_AMP,
    PF_DOM_C,
    PF_DOM_M,
    PF_DOM_MEAN,
    PF_DOM_PERIOD,
    PF_DOM_PHASE,
    PF_DOM_T,
    PF_EDGES,
    PF_MODE_P1,
    PF_MODE_P2,
    PF_MODE_RP1,
    PF_MODE_RP2,
    PF_OCC_C,
    PF_OCC_M,
    PF_OCC_T,
    PF_PAT_C,
    PF_PAT_M,
    PF_PAT_T,
    PF_SCALARS,
    PF_SP_DORMANT,
    PF_SP_SP1,
    PF_SP_SP2,
    PF_TAU_T,
    PF_TAU_V,
    RS_EVERY,
    RS_FIRST,
    RS_POISSON,
    S_CQ,
    S_CQ_HEAD,
    S_CQ_LEN,
    S_CREW_BUSY,
    S_DOM_DIRTY,
    S_FH_ID,
    S_FH_POS,
    S_FH_SIZE,
    S_G_NEED,
    S_G_SEL,
    S_G_UP,
    S_G_UPC,
    S_G_USE,
    S_INTS,
    S_SP_RES,
    S_SP_STOCK,
    S_SQ,
    S_SQ_HEAD,
    S_SQ_LEN,
    S_UNIT_CREWED,
    S_UNIT_FMODE,
    S_UNIT_JOB,
    S_UNIT_KIND,
    S_UNIT_MEMBER,
    S_UNIT_UP,
    S_UPLIST,
    S_UPPOS,
    S_WH_ID,
    S_WH_POS,
    S_WH_SIZE,
    SF_CLK_DEADLINE,
    SF_CLK_ORIGIN,
    SF_CLK_PAUSED,
    SF_DOM_FROZEN,
    SF_DOM_LAG,
    SF_DOM_NEXT,
    SF_FH_KEY,
    SF_FS,
    SF_JOB,
    SF_SPE_C,
    SF_SPE_EV,
    SF_SPE_M,
    SF_SPE_T,
    SF_UNIT_TFAIL,
    SF_WH_KEY,
    SPE_CAP,
    SPE_DOM,
    SPE_DUR_MU,
    SPE_DUR_SIGMA,
    SPE_INT_MU,
    SPE_INT_SIGMA,
    SU_CLK_CTR,
    SU_KEY,
    SU_MISC_CTR,
    SU_UNIT_CTR,
    SVC_ALL,
    SVC_DOWN,
    SVC_DUR,
    SVC_EVERY,
    SVC_FIRST,
    SVC_RESTOCK,
    WARMUP,
    WL_DELTA,
    WL_ELASTIC,
    WL_KIND,
    WL_M,
    WL_RESTART,
    WL_SDC_LAT,
    WL_SLO,
    WL_WORK,
)

# unit jobs
JOB_NONE, JOB_QUEUED, JOB_ACTIVE, JOB_SPARE_WAIT = 0, 1, 2, 3
# phases of the training job
WAIT, RUN, CKPT, RESTART, DONE = 0, 1, 2, 3, 4
# workload kinds: none (every usable slot is wanted), training, serving a demand
NO_WORKLOAD, TRAINING, SERVING = 0, 1, 2
KIND_REPAIR, KIND_SWAP = 0, 1


# ----------------------------------------------------------------------------- access


@kernel(forceinline=True, error_model="numpy")
def _g(a, field, j):
    return a[int(a[field]) + j]


@kernel(forceinline=True, error_model="numpy")
def _set(a, field, j, value):
    a[int(a[field]) + j] = value


@kernel(forceinline=True, error_model="numpy")
def _add(a, field, j, value):
    a[int(a[field]) + j] += value


@kernel(forceinline=True, error_model="numpy")
def _is(pi, j):
    return pi[pi[P_SCALARS] + j]


@kernel(forceinline=True, error_model="numpy")
def _fs(pf, j):
    return pf[int(pf[PF_SCALARS]) + j]


@kernel(forceinline=True, error_model="numpy")
def _int(si, j):
    return si[si[S_INTS] + j]


# ----------------------------------------------------------------------------- clocks


@kernel(forceinline=True, error_model="numpy")
def _profile(pi, pf, sf, d, x, inverse):
    """Lambda_d(x), or its inverse when ``inverse``, for rate-profile domain ``d``."""
    kind = _g(pi, P_DOM_KIND, d)
    if kind == prof.CONSTANT:
        return x
    if kind == prof.SPE:
        n = _int_sf_spe(pi, sf)
        t0 = sf[int(sf[SF_SPE_T]) :]
        m = sf[int(sf[SF_SPE_M]) :]
        c0 = sf[int(sf[SF_SPE_C]) :]
        if inverse:
            return prof.steps_inverse(t0, m, c0, 0, n, x)
        return prof.steps_cum(t0, m, c0, 0, n, x)
    if kind == prof.MODULATED:
        a = _g(pi, P_DOM_OFF, d)
        b = _g(pi, P_DOM_OFF, d + 1)
        pa = _g(pi, P_DOM_POFF, d)
        pb = _g(pi, P_DOM_POFF, d + 1)
        et = pf[int(pf[PF_DOM_T]) :]
        em = pf[int(pf[PF_DOM_M]) :]
        ec = pf[int(pf[PF_DOM_C]) :]
        pt = pf[int(pf[PF_PAT_T]) :]
        pm = pf[int(pf[PF_PAT_M]) :]
        pc = pf[int(pf[PF_PAT_C]) :]
        period = _g(pf, PF_DOM_PERIOD, d)
        area = _g(pf, PF_DOM_MEAN, d)
        if inverse:
            y = prof.steps_inverse(et, em, ec, a, b, x)
            return prof.periodic_inverse(pt, pm, pc, pa, pb, period, area, y)
        y = prof.periodic_cum(pt, pm, pc, pa, pb, period, area, x)
        return prof.steps_cum(et, em, ec, a, b, y)
    args = (
        kind,
        pf[int(pf[PF_DOM_T]) :],
        pf[int(pf[PF_DOM_M]) :],
        pf[int(pf[PF_DOM_C]) :],
        _g(pi, P_DOM_OFF, d),
        _g(pi, P_DOM_OFF, d + 1),
        _g(pf, PF_DOM_MEAN, d),
        _g(pf, PF_DOM_AMP, d),
        _g(pf, PF_DOM_PERIOD, d),
        _g(pf, PF_DOM_PHASE, d),
        x,
    )
    return prof.inverse(*args) if inverse else prof.cum(*args)


@kernel(forceinline=True, error_model="numpy")
def _int_sf_spe(pi, sf):
    # the SPE point count lives in the float state so that profiles need only (pf, sf)
    return int(sf[int(sf[SF_SPE_EV]) + 3 * _is(pi, SPE_CAP) + 2])


@kernel(forceinline=True, error_model="numpy")
def _lam(pi, pf, sf, d, t):
    return _profile(pi, pf, sf, d, t, False)


@kernel(forceinline=True, error_model="numpy")
def _lam_inv(pi, pf, sf, d, c):
    return _profile(pi, pf, sf, d, c, True)


@kernel(forceinline=True, error_model="numpy")
def _op_now(pi, pf, si, sf, d, t):
    """Operational time of domain ``d`` at wall time ``t`` (frozen while the system is
    down when units do not age then)."""
    if _int(si, I_FROZEN):
        return _g(sf, SF_DOM_FROZEN, d) - _g(sf, SF_DOM_LAG, d)
    return _lam(pi, pf, sf, d, t) - _g(sf, SF_DOM_LAG, d)


@kernel(forceinline=True, error_model="numpy")
def _dom_of_clock(pi, c):
    return _g(pi, P_MODE_DOM, _g(pi, P_CLOCK_MODE, c))


@kernel(forceinline=True, error_model="numpy")
def _fheap(pi, si, sf, d):
    """Slots of domain ``d``'s failure heap: keys, ids, positions, size."""
    base = _g(pi, P_DOM_HOFF, d)
    return int(sf[SF_FH_KEY]) + base, si[S_FH_ID] + base, si[S_FH_POS], si[S_FH_SIZE] + d


@kernel(forceinline=True, error_model="numpy")
def _arm(pi, si, sf, c):
    """Put clock ``c`` into its domain's heap, keyed at origin + deadline."""
    d = _dom_of_clock(pi, c)
    keys, ids, pos, size = _fheap(pi, si, sf, d)
    when = _g(sf, SF_CLK_ORIGIN, c) + _g(sf, SF_CLK_DEADLINE, c)
    heap.push(sf, si, keys, ids, pos, size, c, when)
    _set(si, S_DOM_DIRTY, d, 1)


@kernel(forceinline=True, error_model="numpy")
def _disarm(pi, si, sf, c):
    if _g(si, S_FH_POS, c) >= 0:
        d = _dom_of_clock(pi, c)
        keys, ids, pos, size = _fheap(pi, si, sf, d)
        heap.remove(sf, si, keys, ids, pos, size, c)
        _set(si, S_DOM_DIRTY, d, 1)


@kernel(forceinline=True, error_model="numpy")
def _life_uniform(pi, su, c):
    m = _g(pi, P_CLOCK_MODE, c)
    stream = rnd.stream_id(rnd.LIFE, _g(pi, P_CLOCK_UNIT, c), _g(pi, P_MODE_LOCAL, m))
    u = rnd.uniform(su[int(su[SU_KEY])], stream, _g(su, SU_CLK_CTR, c))
    _add(su, SU_CLK_CTR, c, np.uint64(1))
    return u


@kernel(forceinline=True, error_model="numpy")
def _renew(pi, pf, si, sf, su, unit, t):
    """Make ``unit`` as good as new: every failure mode draws a fresh life."""
    c0 = _g(pi, P_UNIT_CLOCK0, unit)
    for c in range(c0, c0 + _g(pi, P_UNIT_NMODES, unit)):
        _disarm(pi, si, sf, c)
        m = _g(pi, P_CLOCK_MODE, c)
        u = _life_uniform(pi, su, c)
        _set(sf, SF_CLK_ORIGIN, c, _op_now(pi, pf, si, sf, _g(pi, P_MODE_DOM, m), t))
        _set(
            sf,
            SF_CLK_DEADLINE,
            c,
            laws.draw(_g(pi, P_MODE_LAW, m), _g(pf, PF_MODE_P1, m), _g(pf, PF_MODE_P2, m), u),
        )
        _arm(pi, si, sf, c)


@kernel(forceinline=True, error_model="numpy")
def _resume(pi, pf, si, sf, su, unit, failed_clock, t):
    """Bring ``unit`` back without renewal: paused clocks resume, and the failed mode
    draws its next failure conditioned on its age (minimal repair)."""
    c0 = _g(pi, P_UNIT_CLOCK0, unit)
    for c in range(c0, c0 + _g(pi, P_UNIT_NMODES, unit)):
        m = _g(pi, P_CLOCK_MODE, c)
        age = _g(sf, SF_CLK_PAUSED, c)
        if c == failed_clock:
            u = _life_uniform(pi, su, c)
            law, p1, p2 = _g(pi, P_MODE_LAW, m), _g(pf, PF_MODE_P1, m), _g(pf, PF_MODE_P2, m)
            if _g(pi, P_MODE_RENEW, m) == 2:  # this clock alone starts afresh
                age = 0.0
                _set(sf, SF_CLK_DEADLINE, c, laws.draw(law, p1, p2, u))
            else:
                _set(sf, SF_CLK_DEADLINE, c, laws.draw_after(law, p1, p2, age, u))
        _set(sf, SF_CLK_ORIGIN, c, _op_now(pi, pf, si, sf, _g(pi, P_MODE_DOM, m), t) - age)
        _arm(pi, si, sf, c)


# ----------------------------------------------------------------------------- structure


@kernel(forceinline=True, error_model="numpy")
def _propagate(pi, si, unit, delta):
    """A unit went up (+1) or down (-1): update up-counts and usable capacity to the root."""
    g = _g(pi, P_UNIT_GROUP, unit)
    old_up = _g(si, S_G_UP, g)
    old_use = _g(si, S_G_USE, g)
    _add(si, S_G_UPC, g, delta)
    _add(si, S_G_USE, g, delta)
    new_up = 1 if _g(si, S_G_UPC, g) >= _g(pi, P_GROUP_K, g) else 0
    _set(si, S_G_UP, g, new_up)
    d_use = (_g(si, S_G_USE, g) if new_up else 0) - (old_use if old_up else 0)
    flip = new_up != old_up
    child_up = new_up
    g = _g(pi, P_GROUP_PARENT, g)
    while g >= 0 and (flip or d_use != 0):
        old_up = _g(si, S_G_UP, g)
        old_use = _g(si, S_G_USE, g)
        if flip:
            _add(si, S_G_UPC, g, 1 if child_up else -1)
        _add(si, S_G_USE, g, d_use)
        new_up = 1 if _g(si, S_G_UPC, g) >= _g(pi, P_GROUP_K, g) else 0
        _set(si, S_G_UP, g, new_up)
        d_use = (_g(si, S_G_USE, g) if new_up else 0) - (old_use if old_up else 0)
        flip = new_up != old_up
        child_up = new_up
        g = _g(pi, P_GROUP_PARENT, g)


@kernel(forceinline=True, error_model="numpy")
def _reset_structure(pi, si):
    """All units up: every group full (at trial start and after a servicing visit)."""
    for g in range(_is(pi, N_GROUPS)):
        _set(si, S_G_UPC, g, _g(pi, P_GROUP_N, g))
        _set(si, S_G_UP, g, 1)
        _set(si, S_G_USE, g, _g(pi, P_GROUP_UNITS, g))


@kernel(error_model="numpy")
def _needed(pi, si):
    """Fewest further unit failures that would bring the system down (0: it is down).

    A leaf group that is up needs (up - k + 1) of its units to fail; a group above
    needs the (up - k + 1) cheapest of its up children to go down; a group with its
    own spare pool needs its free spares used up as well. This is the importance
    function of splitting: a failure that brings the system closer to failure lowers
    it by one.
    """
    need = si[S_G_NEED]
    sel = si[S_G_SEL]
    for g in range(_is(pi, N_GROUPS) - 1, -1, -1):  # children come after their parent
        if not _g(si, S_G_UP, g):
            si[need + g] = 0
            continue
        m = _g(si, S_G_UPC, g) - _g(pi, P_GROUP_K, g) + 1
        pool = _g(pi, P_GROUP_POOL, g)
        spare = max(0, _g(si, S_SP_STOCK, pool) - _g(si, S_SP_RES, pool)) if pool >= 0 else 0
        c0 = _g(pi, P_GROUP_CHILD0, g)
        if c0 < 0:
            si[need + g] = m + spare
            continue
        n_up = 0
        for c in range(c0, c0 + _g(pi, P_GROUP_N, g)):
            if _g(si, S_G_UP, c):
                si[sel + n_up] = si[need + c]
                n_up += 1
        total = 0
        for j in range(m):  # partial selection sort: the m cheapest up children
            best = j
            for i in range(j + 1, n_up):
                if si[sel + i] < si[sel + best]:
                    best = i
            si[sel + j], si[sel + best] = si[sel + best], si[sel + j]
            total += si[sel + j]
        si[need + g] = total + spare
    return si[need]


@kernel(forceinline=True, error_model="numpy")
def _uplist_add(si, unit):
    """Counts engine: append ``unit`` to the list of up units (the first I_NUP slots)."""
    j = _int(si, I_NUP)
    _set(si, S_UPLIST, j, unit)
    _set(si, S_UPPOS, unit, j)
    _set(si, S_INTS, I_NUP, j + 1)


@kernel(forceinline=True, error_model="numpy")
def _uplist_remove(si, unit):
    """Counts engine: remove ``unit`` from the up list (the last entry takes its slot)."""
    last = _int(si, I_NUP) - 1
    j = _g(si, S_UPPOS, unit)
    other = _g(si, S_UPLIST, last)
    _set(si, S_UPLIST, j, other)
    _set(si, S_UPPOS, other, j)
    _set(si, S_INTS, I_NUP, last)


# ----------------------------------------------------------------------------- wall events


@kernel(forceinline=True, error_model="numpy")
def _cancel(si, sf, ident):
    heap.remove(sf, si, int(sf[SF_WH_KEY]), si[S_WH_ID], si[S_WH_POS], si[S_WH_SIZE], ident)


@kernel(forceinline=True, error_model="numpy")
def _schedule(si, sf, ident, when):
    _cancel(si, sf, ident)
    heap.push(sf, si, int(sf[SF_WH_KEY]), si[S_WH_ID], si[S_WH_POS], si[S_WH_SIZE], ident, when)


@kernel(forceinline=True, error_model="numpy")
def _start_job(pi, pf, si, sf, su, unit, t):
    """Start the repair or swap of ``unit`` now (its crew, if any, is already held)."""
    _set(si, S_UNIT_JOB, unit, JOB_ACTIVE)
    u = rnd.uniform(
        su[int(su[SU_KEY])], rnd.stream_id(rnd.RESTORE, unit, 0), _g(su, SU_UNIT_CTR, unit)
    )
    _add(su, SU_UNIT_CTR, unit, np.uint64(1))
    if _g(si, S_UNIT_KIND, unit) == KIND_SWAP:
        sp = _g(pi, P_UNIT_SPARE, unit)
        dur = laws.draw(_g(pi, P_SP_SLAW, sp), _g(pf, PF_SP_SP1, sp), _g(pf, PF_SP_SP2, sp), u)
    else:
        m = _g(si, S_UNIT_FMODE, unit)
        dur = laws.draw(_g(pi, P_MODE_RLAW, m), _g(pf, PF_MODE_RP1, m), _g(pf, PF_MODE_RP2, m), u)
    _schedule(si, sf, unit, t + dur)


@kernel(forceinline=True, error_model="numpy")
def _enqueue(pi, si, qoff, queue, head, length, k, unit):
    """Append ``unit`` to FIFO ring buffer ``k`` (crew or spare queue, by field slots)."""
    base = _g(pi, qoff, k)
    cap = _g(pi, qoff, k + 1) - base
    _set(si, queue, base + (_g(si, head, k) + _g(si, length, k)) % cap, unit)
    _add(si, length, k, 1)


@kernel(forceinline=True, error_model="numpy")
def _dequeue(pi, si, qoff, queue, head, length, k):
    """Remove and return the oldest unit of FIFO ring buffer ``k``."""
    base = _g(pi, qoff, k)
    cap = _g(pi, qoff, k + 1) - base
    h = _g(si, head, k)
    _set(si, head, k, (h + 1) % cap)
    _add(si, length, k, -1)
    return _g(si, queue, base + h)


@kernel(forceinline=True, error_model="numpy")
def _request_crew(pi, pf, si, sf, su, unit, t):
    pool = _g(pi, P_UNIT_CREW, unit)
    if _g(si, S_CREW_BUSY, pool) < _g(pi, P_CREW_COUNT, pool):
        _add(si, S_CREW_BUSY, pool, 1)
        _set(si, S_UNIT_CREWED, unit, 1)
        _start_job(pi, pf, si, sf, su, unit, t)
    else:
        _enqueue(pi, si, P_CREW_QOFF, S_CQ, S_CQ_HEAD, S_CQ_LEN, pool, unit)
        _set(si, S_UNIT_JOB, unit, JOB_QUEUED)


@kernel(forceinline=True, error_model="numpy")
def _next_crew_job(pi, pf, si, sf, su, pool, t):
    while _g(si, S_CREW_BUSY, pool) < _g(pi, P_CREW_COUNT, pool) and _g(si, S_CQ_LEN, pool):
        unit = _dequeue(pi, si, P_CREW_QOFF, S_CQ, S_CQ_HEAD, S_CQ_LEN, pool)
        _add(si, S_CREW_BUSY, pool, 1)
        _set(si, S_UNIT_CREWED, unit, 1)
        _start_job(pi, pf, si, sf, su, unit, t)


@kernel(forceinline=True, error_model="numpy")
def _reschedule_warm(pi, pf, si, sf, su, sp, t):
    """Warm spares fail in storage at (unreserved count) / dormant MTTF (memoryless)."""
    if not _g(pi, P_SP_WARM, sp):
        return
    free = _g(si, S_SP_STOCK, sp) - _g(si, S_SP_RES, sp)
    ident = _is(pi, N_UNITS) + sp
    if free <= 0:
        _cancel(si, sf, ident)
        return
    u = rnd.uniform(su[int(su[SU_KEY])], rnd.stream_id(rnd.POOL, sp, 0), _g(su, SU_MISC_CTR, 0))
    _add(su, SU_MISC_CTR, 0, np.uint64(1))
    _schedule(si, sf, ident, t - math.log(u) * _g(pf, PF_SP_DORMANT, sp) / free)


@kernel(forceinline=True, error_model="numpy")
def _begin_swap(pi, pf, si, sf, su, unit, t):
    sp = _g(pi, P_UNIT_SPARE, unit)
    _add(si, S_SP_RES, sp, 1)
    _reschedule_warm(pi, pf, si, sf, su, sp, t)
    if _g(pi, P_UNIT_CREW, unit) >= 0:
        _request_crew(pi, pf, si, sf, su, unit, t)
    else:
        _start_job(pi, pf, si, sf, su, unit, t)


@kernel(forceinline=True, error_model="numpy")
def _dispatch(pi, pf, si, sf, su, unit, m, t):
    """Route a failed unit to repair in place, a swap, a spare queue or the next visit."""
    if not _g(pi, P_MODE_REPLACE, m):
        _set(si, S_UNIT_KIND, unit, KIND_REPAIR)
        if _g(pi, P_MODE_CREW, m) and _g(pi, P_UNIT_CREW, unit) >= 0:
            _request_crew(pi, pf, si, sf, su, unit, t)
        else:
            _start_job(pi, pf, si, sf, su, unit, t)
        return
    _set(si, S_UNIT_KIND, unit, KIND_SWAP)
    sp = _g(pi, P_UNIT_SPARE, unit)
    if sp < 0:
        _set(si, S_UNIT_JOB, unit, JOB_NONE)  # waits for the next servicing visit
    elif _g(si, S_SP_STOCK, sp) - _g(si, S_SP_RES, sp) > 0:
        _begin_swap(pi, pf, si, sf, su, unit, t)
    else:
        _enqueue(pi, si, P_SP_QOFF, S_SQ, S_SQ_HEAD, S_SQ_LEN, sp, unit)
        _set(si, S_UNIT_JOB, unit, JOB_SPARE_WAIT)


@kernel(forceinline=True, error_model="numpy")
def _serve_spare_queue(pi, pf, si, sf, su, sp, t):
    while _g(si, S_SQ_LEN, sp) > 0 and _g(si, S_SP_STOCK, sp) - _g(si, S_SP_RES, sp) > 0:
        unit = _dequeue(pi, si, P_SP_QOFF, S_SQ, S_SQ_HEAD, S_SQ_LEN, sp)
        _begin_swap(pi, pf, si, sf, su, unit, t)


@kernel(forceinline=True, error_model="numpy")
def _fail(pi, pf, si, sf, su, c, t, counts, lost_row):
    """Clock ``c`` fired: its unit goes down and is routed to restoration."""
    unit = _g(pi, P_CLOCK_UNIT, c)
    m = _g(pi, P_CLOCK_MODE, c)
    if t >= _fs(pf, WARMUP):
        counts[m] += 1
    if _g(pi, P_MODE_EFFECT, m) == 1:
        # silent: counted, the unit runs on; the clock draws its next event
        u = _life_uniform(pi, su, c)
        law, p1, p2 = _g(pi, P_MODE_LAW, m), _g(pf, PF_MODE_P1, m), _g(pf, PF_MODE_P2, m)
        _set(sf, SF_CLK_DEADLINE, c, laws.draw_after(law, p1, p2, _g(sf, SF_CLK_DEADLINE, c), u))
        _arm(pi, si, sf, c)
        if _is(pi, WL_KIND) == TRAINING:
            _job_silent(pi, pf, si, sf, unit, m, t)
        return
    c0 = _g(pi, P_UNIT_CLOCK0, unit)
    for c2 in range(c0, c0 + _g(pi, P_UNIT_NMODES, unit)):
        if c2 == c:
            _set(sf, SF_CLK_PAUSED, c2, _g(sf, SF_CLK_DEADLINE, c2))
        else:
            d2 = _dom_of_clock(pi, c2)
            age = _op_now(pi, pf, si, sf, d2, t) - _g(sf, SF_CLK_ORIGIN, c2)
            _set(sf, SF_CLK_PAUSED, c2, age)
            _disarm(pi, si, sf, c2)
    _take_down(pi, pf, si, sf, su, unit, m, t, lost_row)


@kernel(forceinline=True, error_model="numpy")
def _take_down(pi, pf, si, sf, su, unit, m, t, lost_row):
    """Mode ``m`` took ``unit`` down (its clocks, if any, are already paused): update
    the tree and the job, and route the unit to restoration. Shared by both engines."""
    _set(si, S_INTS, I_LASTMODE, m)
    _set(sf, SF_UNIT_TFAIL, unit, t)
    _set(si, S_UNIT_UP, unit, 0)
    _set(si, S_UNIT_FMODE, unit, m)
    _propagate(pi, si, unit, -1)
    if _is(pi, WL_KIND) == TRAINING:
        _job_unit_down(pi, pf, si, sf, unit, m, t, lost_row)
    _dispatch(pi, pf, si, sf, su, unit, m, t)


@kernel(forceinline=True, error_model="numpy")
def _unit_down_time(pf, sf, unit, t, unit_down, m):
    """Charge the unit-hours ``unit`` was down (after warm-up) to failure mode ``m``."""
    a = max(_g(sf, SF_UNIT_TFAIL, unit), _fs(pf, WARMUP))
    if t > a:
        unit_down[m] += t - a


@kernel(forceinline=True, error_model="numpy")
def _complete(pi, pf, si, sf, su, unit, t, unit_down, clocks):
    """The repair or swap of ``unit`` finished (``clocks``: the unit has its own failure
    clocks to renew or resume; otherwise it rejoins the up list of the counts engine)."""
    m = _g(si, S_UNIT_FMODE, unit)
    _unit_down_time(pf, sf, unit, t, unit_down, m)
    swapped = _g(si, S_UNIT_KIND, unit) == KIND_SWAP
    if swapped:
        sp = _g(pi, P_UNIT_SPARE, unit)
        _add(si, S_SP_STOCK, sp, -1)
        _add(si, S_SP_RES, sp, -1)
        if t >= _fs(pf, WARMUP):
            _add(si, S_INTS, I_SPARES, 1)
        _reschedule_warm(pi, pf, si, sf, su, sp, t)
    if not clocks:
        _uplist_add(si, unit)
    elif swapped or _g(pi, P_MODE_RENEW, m) == 1:
        _renew(pi, pf, si, sf, su, unit, t)
    else:
        c0 = _g(pi, P_UNIT_CLOCK0, unit)
        failed = c0
        for c in range(c0, c0 + _g(pi, P_UNIT_NMODES, unit)):
            if _g(pi, P_CLOCK_MODE, c) == m:
                failed = c
        _resume(pi, pf, si, sf, su, unit, failed, t)
    _set(si, S_UNIT_UP, unit, 1)
    _set(si, S_UNIT_JOB, unit, JOB_NONE)
    _set(si, S_UNIT_FMODE, unit, -1)
    _propagate(pi, si, unit, 1)
    if _is(pi, WL_KIND) == TRAINING:
        _job_unit_up(pi, pf, si, sf, t)
    if _g(si, S_UNIT_CREWED, unit):
        _set(si, S_UNIT_CREWED, unit, 0)
        pool = _g(pi, P_UNIT_CREW, unit)
        _add(si, S_CREW_BUSY, pool, -1)
        _next_crew_job(pi, pf, si, sf, su, pool, t)


@kernel(forceinline=True, error_model="numpy")
def _resupply(pi, pf, si, sf, su, t):
    n_sp = _is(pi, N_SP)
    for sp in range(n_sp):
        _set(si, S_SP_STOCK, sp, max(_g(si, S_SP_STOCK, sp), _g(pi, P_SP_CAPACITY, sp)))
        _serve_spare_queue(pi, pf, si, sf, su, sp, t)
        _reschedule_warm(pi, pf, si, sf, su, sp, t)
    ident = _is(pi, N_UNITS) + n_sp + 2
    if _is(pi, RS_POISSON):
        u = rnd.uniform(
            su[int(su[SU_KEY])], rnd.stream_id(rnd.RESUPPLY, 0, 0), _g(su, SU_MISC_CTR, 1)
        )
        _add(su, SU_MISC_CTR, 1, np.uint64(1))
        _schedule(si, sf, ident, t - math.log(u) * _fs(pf, RS_EVERY))
    else:
        _schedule(si, sf, ident, t + _fs(pf, RS_EVERY))


@kernel(forceinline=True, error_model="numpy")
def _service_end(pi, pf, si, sf, su, t, unit_down, clocks):
    """End of a servicing visit: replace failed (or all) units, reset crews and queues.

    Without per-unit ``clocks`` (counts engine) replacing a working unit changes
    nothing: exponential lives have no age."""
    _set(si, S_INTS, I_PLANNED, 0)
    replace_all = _is(pi, SVC_ALL)
    for unit in range(_is(pi, N_UNITS)):
        if not _g(si, S_UNIT_UP, unit):
            if _g(si, S_UNIT_JOB, unit) == JOB_ACTIVE:
                _cancel(si, sf, unit)
            _unit_down_time(pf, sf, unit, t, unit_down, _g(si, S_UNIT_FMODE, unit))
            _add(si, S_INTS, I_UP, 1)
            _set(si, S_UNIT_UP, unit, 1)
            _set(si, S_UNIT_JOB, unit, JOB_NONE)
            _set(si, S_UNIT_CREWED, unit, 0)
            _set(si, S_UNIT_FMODE, unit, -1)
            if clocks:
                _renew(pi, pf, si, sf, su, unit, t)
            else:
                _uplist_add(si, unit)
        elif replace_all and clocks:
            _renew(pi, pf, si, sf, su, unit, t)
    _reset_structure(pi, si)
    for pool in range(_is(pi, N_CREW)):
        _set(si, S_CREW_BUSY, pool, 0)
        _set(si, S_CQ_LEN, pool, 0)
        _set(si, S_CQ_HEAD, pool, 0)
    for sp in range(_is(pi, N_SP)):
        _set(si, S_SP_RES, sp, 0)
        _set(si, S_SQ_LEN, sp, 0)
        _set(si, S_SQ_HEAD, sp, 0)
        if _is(pi, SVC_RESTOCK):
            _set(si, S_SP_STOCK, sp, max(_g(si, S_SP_STOCK, sp), _g(pi, P_SP_CAPACITY, sp)))
        _reschedule_warm(pi, pf, si, sf, su, sp, t)
    if _is(pi, WL_KIND) == TRAINING and _int(si, I_JOB_PHASE) == WAIT:
        _job_restart(pi, pf, si, sf, t)


# ----------------------------------------------------------------------------- training job
#
# A synchronous job spans m accelerators (its members). It computes for tau, writes a
# checkpoint for delta, and commits the work; an interrupt on a member (the unit going
# down) loses the work since the last commit and costs a restart; silent corruption on
# a member is found after a latency and rolls back to the last checkpoint written
# before it. Without m units up the job waits (or, if elastic, runs slower).


@kernel(forceinline=True, error_model="numpy")
def _jf(sf, j):
    return sf[int(sf[SF_JOB]) + j]


@kernel(forceinline=True, error_model="numpy")
def _jset(sf, j, value):
    sf[int(sf[SF_JOB]) + j] = value


@kernel(forceinline=True, error_model="numpy")
def _job_ident(pi):
    return _is(pi, N_UNITS) + _is(pi, N_SP) + 3


@kernel(forceinline=True, error_model="numpy")
def _credit(pf, goodput_row, t0, t1, work):
    """Spread committed ``work`` evenly over the grid cells of [t0, t1]."""
    if work == 0.0:
        return
    n_cells = int(pf[PF_EDGES + 1] - pf[PF_EDGES]) - 1
    ci = prof._find(pf[int(pf[PF_EDGES]) :], 0, n_cells, t0)  # the cell holding t0
    if t1 <= t0:
        goodput_row[ci] += work
        return
    rate = work / (t1 - t0)
    a = t0
    while a < t1 and ci < n_cells:
        b = min(t1, _g(pf, PF_EDGES, ci + 1)) if ci < n_cells - 1 else t1
        goodput_row[ci] += rate * (b - a)
        a = b
        ci += 1


@kernel(error_model="numpy")
def _job_fill(pi, si):
    """Recruit up non-members until the job has m members (or no one is left)."""
    n = _is(pi, N_UNITS)
    m = _is(pi, WL_M)
    free = _int(si, I_UP) - _int(si, I_JOB_N)
    cur = _int(si, I_JOB_CURSOR)
    while _int(si, I_JOB_N) < m and free > 0:
        if _g(si, S_UNIT_UP, cur) and not _g(si, S_UNIT_MEMBER, cur):
            _set(si, S_UNIT_MEMBER, cur, 1)
            _add(si, S_INTS, I_JOB_N, 1)
            free -= 1
        cur = cur + 1 if cur + 1 < n else 0
    _set(si, S_INTS, I_JOB_CURSOR, cur)


@kernel(error_model="numpy")
def _job_restart(pi, pf, si, sf, t):
    """Start a restart if the job has its accelerators, otherwise wait for them."""
    _job_fill(pi, si)
    have = _int(si, I_JOB_N)
    if have >= _is(pi, WL_M) or (_is(pi, WL_ELASTIC) and have > 0):
        _set(si, S_INTS, I_JOB_PHASE, RESTART)
        _schedule(si, sf, _job_ident(pi), t + _fs(pf, WL_RESTART))
    else:
        _set(si, S_INTS, I_JOB_PHASE, WAIT)
        _cancel(si, sf, _job_ident(pi))


@kernel(error_model="numpy")
def _job_compute(pi, pf, si, sf, t):
    """Start a compute segment: tau, or what is left of the work, at the current speed."""
    speed = min(1.0, _int(si, I_JOB_N) / _is(pi, WL_M))
    left = _fs(pf, WL_WORK) - _jf(sf, J_COMMITTED)
    # the interval in force now (Daly or Young follow the current failure rate)
    n_tau = int(pf[PF_TAU_V] - pf[PF_TAU_T])
    piece = prof._find(pf[int(pf[PF_TAU_T]) :], 0, n_tau, t)
    length = min(_g(pf, PF_TAU_V, piece), left / speed)
    _jset(sf, J_SPEED, speed)
    _jset(sf, J_SEG_START, t)
    _jset(sf, J_SEG_LEN, length)
    _set(si, S_INTS, I_JOB_PHASE, RUN)
    _schedule(si, sf, _job_ident(pi), t + length)


@kernel(error_model="numpy")
def _job_phase_end(pi, pf, si, sf, t, goodput_row):
    phase = _int(si, I_JOB_PHASE)
    if phase == RESTART:
        _job_compute(pi, pf, si, sf, t)
    elif phase == RUN:
        _set(si, S_INTS, I_JOB_PHASE, CKPT)
        _schedule(si, sf, _job_ident(pi), t + _fs(pf, WL_DELTA))
    elif phase == CKPT:
        start = _jf(sf, J_SEG_START)
        work = _jf(sf, J_SEG_LEN) * _jf(sf, J_SPEED)
        _jset(sf, J_COMMITTED, _jf(sf, J_COMMITTED) + work)
        _credit(pf, goodput_row, start, start + _jf(sf, J_SEG_LEN), work)
        if _jf(sf, J_COMMITTED) >= _fs(pf, WL_WORK) * (1.0 - 1e-12):
            _set(si, S_INTS, I_JOB_PHASE, DONE)
            _set(sf, SF_FS, F_DONE, t)
        else:
            _job_compute(pi, pf, si, sf, t)


@kernel(error_model="numpy")
def _job_in_progress(sf, phase, t):
    """Work done since the last commit (lost if the job is interrupted now)."""
    if phase == RUN:
        return (t - _jf(sf, J_SEG_START)) * _jf(sf, J_SPEED)
    if phase == CKPT:
        return _jf(sf, J_SEG_LEN) * _jf(sf, J_SPEED)
    return 0.0


@kernel(error_model="numpy")
def _job_interrupt(pi, pf, si, sf, t, cause, lost_row):
    phase = _int(si, I_JOB_PHASE)
    if phase == DONE:
        return
    lost_row[cause] += _job_in_progress(sf, phase, t)
    _job_restart(pi, pf, si, sf, t)


@kernel(error_model="numpy")
def _job_unit_down(pi, pf, si, sf, unit, m, t, lost_row):
    """A unit went down (failure mode ``m``)."""
    _add(si, S_INTS, I_UP, -1)
    if _g(si, S_UNIT_MEMBER, unit):
        _set(si, S_UNIT_MEMBER, unit, 0)
        _add(si, S_INTS, I_JOB_N, -1)
        _job_interrupt(pi, pf, si, sf, t, m, lost_row)


@kernel(error_model="numpy")
def _job_unit_up(pi, pf, si, sf, t):
    """A unit came back: a waiting job may now restart."""
    _add(si, S_INTS, I_UP, 1)
    if _int(si, I_JOB_PHASE) == WAIT and _int(si, I_PLANNED) == 0:
        _job_restart(pi, pf, si, sf, t)


@kernel(error_model="numpy")
def _job_silent(pi, pf, si, sf, unit, m, t):
    """Silent corruption on a computing member: found after the detection latency."""
    phase = _int(si, I_JOB_PHASE)
    if not _g(si, S_UNIT_MEMBER, unit) or (phase != RUN and phase != CKPT):
        return
    if _int(si, I_SDC_PENDING) or not math.isfinite(_fs(pf, WL_SDC_LAT)):
        return
    _set(si, S_INTS, I_SDC_PENDING, 1)
    _set(si, S_INTS, I_SDC_MODE, m)
    _jset(sf, J_GOOD, _jf(sf, J_COMMITTED))
    _schedule(si, sf, _job_ident(pi) + 1, t + _fs(pf, WL_SDC_LAT))


@kernel(error_model="numpy")
def _job_sdc_found(pi, pf, si, sf, t, lost_row, goodput_row):
    """Roll back to the last checkpoint written before the corruption, and restart."""
    _set(si, S_INTS, I_SDC_PENDING, 0)
    phase = _int(si, I_JOB_PHASE)
    if phase == DONE:
        return
    m = _int(si, I_SDC_MODE)
    bad = _jf(sf, J_COMMITTED) - _jf(sf, J_GOOD)
    if bad > 0:
        lost_row[m] += bad
        _credit(pf, goodput_row, t, t, -bad)
        _jset(sf, J_COMMITTED, _jf(sf, J_GOOD))
    if phase in (RUN, CKPT):
        lost_row[m] += _job_in_progress(sf, phase, t)
        _job_restart(pi, pf, si, sf, t)


@kernel(error_model="numpy")
def _job_planned(pi, pf, si, sf, t, goodput_row):
    """A servicing visit stops the cluster: the job checkpoints (at no cost, it is
    planned) and waits for the end of the visit."""
    phase = _int(si, I_JOB_PHASE)
    if phase == DONE:
        return
    if phase in (RUN, CKPT):
        work = _job_in_progress(sf, phase, t)
        start = _jf(sf, J_SEG_START)
        _jset(sf, J_COMMITTED, _jf(sf, J_COMMITTED) + work)
        _credit(pf, goodput_row, start, min(t, start + _jf(sf, J_SEG_LEN)), work)
    _set(si, S_INTS, I_JOB_PHASE, WAIT)
    _cancel(si, sf, _job_ident(pi))


# ----------------------------------------------------------------------------- accounting


@kernel(forceinline=True, error_model="numpy")
def _n_demand(pf):
    return int(pf[PF_DEM_M] - pf[PF_DEM_T])


@kernel(error_model="numpy")
def _next_demand(pf, si, sf, ident, t):
    """The serving demand steps to its next piece."""
    piece = _int(si, I_DEM_PIECE) + 1
    _set(si, S_INTS, I_DEM_PIECE, piece)
    _jset(sf, J_DEMAND, _g(pf, PF_DEM_M, piece))
    if piece + 1 < _n_demand(pf):
        _schedule(si, sf, ident, _g(pf, PF_DEM_T, piece + 1))


@kernel(forceinline=True, error_model="numpy")
def _system_up(si):
    return _g(si, S_G_UP, 0) == 1 and _int(si, I_PLANNED) == 0


@kernel(forceinline=True, error_model="numpy")
def _advance(pi, pf, si, sf, t0, t1, cap_row, up_row, cause_row, serve_row):
    """Integrate the current (constant) state over [t0, t1) into the summaries and grid."""
    # this runs at every event: field offsets are read once (numba cannot prove that
    # the state arrays do not alias, so it would reload them after every store)
    ints = si[S_INTS]
    fs = int(sf[SF_FS])
    planned = si[ints + I_PLANNED]
    sys_up = si[si[S_G_UP]] == 1 and planned == 0
    # usable units (normalised by the unit count once, at the end of the trial)
    cap = 0.0 if planned else float(si[si[S_G_USE]])
    serving = _is(pi, WL_KIND) == SERVING
    demand = _jf(sf, J_DEMAND) if serving else 0.0
    served = min(cap, demand)
    a = max(t0, _fs(pf, WARMUP))
    if t1 > a:
        w = t1 - a
        sf[fs + (F_UP if sys_up else F_DOWN)] += w
        if planned:
            sf[fs + F_PLANNED] += w
        elif not sys_up:
            cause_row[si[ints + I_CAUSE]] += w
        sf[fs + F_CAP] += cap * w
        if serving:
            sf[fs + F_SERVE] += served * w
            sf[fs + F_DEMAND] += demand * w
            if served >= _fs(pf, WL_SLO) * demand * (1.0 - 1e-12):
                sf[fs + F_SLO] += w
    s = t0
    ci = si[ints + I_CELL]
    n_cells = _is(pi, N_CELLS)
    edges = int(pf[PF_EDGES]) + 1  # edges[ci + 1] is the end of cell ci
    # cells ending strictly before t1 close now: the state at their end is known
    while ci < n_cells and pf[edges + ci] < t1:
        e = pf[edges + ci]
        cap_row[ci] += cap * (e - s)
        if serving:
            serve_row[ci] += served * (e - s)
        up_row[ci] = 1 if sys_up else 0
        s = e
        ci += 1
    if ci < n_cells and t1 > s:
        cap_row[ci] += cap * (t1 - s)
        if serving:
            serve_row[ci] += served * (t1 - s)
    si[ints + I_CELL] = ci


@kernel(forceinline=True, error_model="numpy")
def _update_system(pi, pf, si, sf, t):
    """Observe the system after the events at ``t``: count an outage that starts, and
    freeze or thaw the clocks (when units do not age while it is down); True when
    the clocks changed."""
    ints = si[S_INTS]
    root = si[si[S_G_UP]]
    if root != si[ints + I_ROOTPREV]:
        if root == 0:
            si[ints + I_CAUSE] = si[ints + I_LASTMODE]
            if t >= _fs(pf, WARMUP):
                si[ints + I_OUTAGES] += 1
            if math.isnan(_g(sf, SF_FS, F_TTFF)):
                _set(sf, SF_FS, F_TTFF, t)
        si[ints + I_ROOTPREV] = root
    if _is(pi, AGE_WHILE_DOWN):
        return False
    want = 0 if _system_up(si) else 1
    if want == _int(si, I_FROZEN):
        return False
    for d in range(_is(pi, N_DOM)):
        if want:
            _set(sf, SF_DOM_FROZEN, d, _lam(pi, pf, sf, d, t))
        else:
            _add(sf, SF_DOM_LAG, d, _lam(pi, pf, sf, d, t) - _g(sf, SF_DOM_FROZEN, d))
        _set(si, S_DOM_DIRTY, d, 1)
    _set(si, S_INTS, I_FROZEN, want)
    return True


# ----------------------------------------------------------------------------- trial


@kernel(forceinline=True, error_model="numpy")
def _fill(a, field, n, value):
    base = int(a[field])
    for j in range(n):
        a[base + j] = value


@kernel(error_model="numpy")
def _draw_spe(pi, pf, sf, su):
    """Draw this trial's solar particle events and lay them out as a steps profile.

    Events arrive as a Poisson process at the occurrence rate (active years only),
    each with a lognormal duration and intensity; overlapping events add.
    """
    key = su[int(su[SU_KEY])]
    stream = rnd.stream_id(rnd.SPE, 0, 0)
    ctr = np.uint64(0)
    cap = _is(pi, SPE_CAP)
    mission = _fs(pf, MISSION)
    ot = pf[int(pf[PF_OCC_T]) :]
    om = pf[int(pf[PF_OCC_M]) :]
    oc = pf[int(pf[PF_OCC_C]) :]
    n_occ = int(pf[PF_OCC_T + 1] - pf[PF_OCC_T])
    total = prof.steps_cum(ot, om, oc, 0, n_occ, mission)
    ev = int(sf[SF_SPE_EV])
    c = 0.0
    n = 0
    while n < cap:
        c -= math.log(rnd.uniform(key, stream, ctr))
        if c >= total:
            break
        start = prof.steps_inverse(ot, om, oc, 0, n_occ, c)
        u_d = rnd.uniform(key, stream, ctr + np.uint64(1))
        u_i = rnd.uniform(key, stream, ctr + np.uint64(2))
        ctr += np.uint64(3)
        dur = math.exp(_fs(pf, SPE_DUR_MU) + _fs(pf, SPE_DUR_SIGMA) * laws.ndtri(u_d))
        intensity = math.exp(_fs(pf, SPE_INT_MU) + _fs(pf, SPE_INT_SIGMA) * laws.ndtri(u_i))
        sf[ev + 3 * n] = start
        sf[ev + 3 * n + 1] = min(start + dur, mission)
        sf[ev + 3 * n + 2] = intensity
        n += 1
    # boundaries (time, +/- intensity), sorted by time: n is small, insertion sort
    tt = int(sf[SF_SPE_T])
    mm = int(sf[SF_SPE_M])
    cc = int(sf[SF_SPE_C])
    nb = 2 * n
    for j in range(nb):
        e = j >> 1
        when = sf[ev + 3 * e + (j & 1)]
        delta = sf[ev + 3 * e + 2] * (1.0 if (j & 1) == 0 else -1.0)
        k = j
        while k > 0 and sf[tt + k] > when:  # points are staged at offset +1
            sf[tt + k + 1] = sf[tt + k]
            sf[mm + k + 1] = sf[mm + k]
            k -= 1
        sf[tt + k + 1] = when
        sf[mm + k + 1] = delta
    # running level; exactly 0 when no event is under way
    sf[tt] = 0.0
    sf[mm] = 0.0
    sf[cc] = 0.0
    level = 0.0
    active = 0
    for j in range(1, nb + 1):
        level += sf[mm + j]
        active += 1 if sf[mm + j] > 0 else -1
        if active == 0:
            level = 0.0
        sf[mm + j] = level
        sf[cc + j] = sf[cc + j - 1] + sf[mm + j - 1] * (sf[tt + j] - sf[tt + j - 1])
    sf[ev + 3 * cap + 2] = nb + 1  # number of points, read by _int_sf_spe


@kernel(forceinline=True, error_model="numpy")
def _reset(pi, pf, si, sf, su, key, clocks):
    """Start a trial: everything up and new (``clocks``: draw every unit's lives; else
    put every unit on the counts engine's up list)."""
    n = _is(pi, N_UNITS)
    n_sp = _is(pi, N_SP)
    # state arrays hold only fields after their header: zero them all, then set the rest
    si[si[0] :] = 0
    sf[int(sf[0]) :] = 0.0
    su[int(su[0]) :] = np.uint64(0)
    su[int(su[SU_KEY])] = key
    if _is(pi, SPE_DOM) >= 0:
        _draw_spe(pi, pf, sf, su)
    else:
        sf[int(sf[SF_SPE_EV]) + 3 * _is(pi, SPE_CAP) + 2] = 1.0
    _set(sf, SF_FS, F_TTFF, np.nan)
    _set(si, S_INTS, I_ROOTPREV, 1)
    _fill(si, S_FH_POS, _g(pi, P_DOM_HOFF, _is(pi, N_DOM)), -1)
    _fill(si, S_WH_POS, n + n_sp + N_WALL_EXTRA, -1)
    _set(si, S_INTS, I_UP, n)
    _set(sf, SF_FS, F_DONE, np.nan)
    _jset(sf, J_DEMAND, _g(pf, PF_DEM_M, 0))
    _fill(si, S_UNIT_UP, n, 1)
    _fill(si, S_UNIT_FMODE, n, -1)
    _fill(si, S_DOM_DIRTY, _is(pi, N_DOM), 1)
    for sp in range(n_sp):
        _set(si, S_SP_STOCK, sp, _g(pi, P_SP_CAPACITY, sp))
    _reset_structure(pi, si)
    for unit in range(n):
        if clocks:
            _renew(pi, pf, si, sf, su, unit, 0.0)
        else:
            _uplist_add(si, unit)
    for sp in range(n_sp):
        _reschedule_warm(pi, pf, si, sf, su, sp, 0.0)
    base = n + n_sp
    if math.isfinite(_fs(pf, SVC_EVERY)):
        _schedule(si, sf, base, _fs(pf, SVC_FIRST))
    if math.isfinite(_fs(pf, RS_EVERY)):
        if _is(pi, RS_POISSON):
            u = rnd.uniform(
                su[int(su[SU_KEY])], rnd.stream_id(rnd.RESUPPLY, 0, 0), _g(su, SU_MISC_CTR, 1)
            )
            _add(su, SU_MISC_CTR, 1, np.uint64(1))
            _schedule(si, sf, base + 2, -math.log(u) * _fs(pf, RS_EVERY))
        else:
            _schedule(si, sf, base + 2, _fs(pf, RS_FIRST))
    if _n_demand(pf) > 1:
        _schedule(si, sf, base + 5, _g(pf, PF_DEM_T, 1))
    if _is(pi, WL_KIND) == TRAINING:
        _job_fill(pi, si)
        if _int(si, I_JOB_N) >= _is(pi, WL_M):
            _job_compute(pi, pf, si, sf, 0.0)  # the job starts fresh: no restart cost
        else:
            _set(si, S_INTS, I_JOB_PHASE, WAIT)


@kernel(forceinline=True, error_model="numpy")
def _next_failure(pi, pf, si, sf):
    """Wall time and domain of the earliest pending failure (inf when none or frozen)."""
    best = math.inf
    best_d = -1
    if _int(si, I_FROZEN):
        return best, best_d
    if _is(pi, N_DOM) == 1:  # only the identity clock: wall time = key + lag
        if _g(si, S_FH_SIZE, 0) == 0:
            return best, best_d
        return sf[int(sf[SF_FH_KEY])] + _g(sf, SF_DOM_LAG, 0), 0
    for d in range(_is(pi, N_DOM)):
        if _g(si, S_FH_SIZE, d) == 0:
            continue
        if _g(si, S_DOM_DIRTY, d):
            top = sf[int(sf[SF_FH_KEY]) + _g(pi, P_DOM_HOFF, d)]
            _set(sf, SF_DOM_NEXT, d, _lam_inv(pi, pf, sf, d, top + _g(sf, SF_DOM_LAG, d)))
            _set(si, S_DOM_DIRTY, d, 0)
        if _g(sf, SF_DOM_NEXT, d) < best:
            best = _g(sf, SF_DOM_NEXT, d)
            best_d = d
    return best, best_d


@kernel(error_model="numpy")
def _count_aggregates(pi, pf, sf, su, counts):
    """Faults counted, not simulated (ECC-corrected upsets): a Poisson draw of their
    number over the measured window in every unit slot."""
    n = _is(pi, N_UNITS)
    key = su[int(su[SU_KEY])]
    warmup = _fs(pf, WARMUP)
    for m in range(_is(pi, N_MODES)):
        if _g(pi, P_MODE_EFFECT, m) != 2:
            continue
        d = _g(pi, P_MODE_DOM, m)
        exposure = _lam(pi, pf, sf, d, _fs(pf, MISSION)) - _lam(pi, pf, sf, d, warmup)
        mean = n * exposure / _g(pf, PF_MODE_P1, m)
        counts[m] = laws.poisson(mean, key, rnd.stream_id(rnd.AGGREGATE, m, 0), np.uint64(0))


@kernel(forceinline=True, error_model="numpy")
def _wall_event(pi, pf, si, sf, su, t, unit_down, lost_row, good_row, clocks):
    """Pop and handle the earliest wall-clock event (due now, at ``t``)."""
    n = _is(pi, N_UNITS)
    n_sp = _is(pi, N_SP)
    ident = heap.pop(sf, si, int(sf[SF_WH_KEY]), si[S_WH_ID], si[S_WH_POS], si[S_WH_SIZE])
    if ident < n:
        _complete(pi, pf, si, sf, su, ident, t, unit_down, clocks)
    elif ident < n + n_sp:
        sp = ident - n
        _add(si, S_SP_STOCK, sp, -1)
        _reschedule_warm(pi, pf, si, sf, su, sp, t)
    elif ident == n + n_sp:
        if _is(pi, SVC_DOWN):
            _set(si, S_INTS, I_PLANNED, 1)
            if _is(pi, WL_KIND) == TRAINING:
                _job_planned(pi, pf, si, sf, t, good_row)
        _schedule(si, sf, n + n_sp + 1, t + _fs(pf, SVC_DUR))
        _schedule(si, sf, n + n_sp, t + _fs(pf, SVC_EVERY))
    elif ident == n + n_sp + 1:
        _service_end(pi, pf, si, sf, su, t, unit_down, clocks)
    elif ident == n + n_sp + 2:
        _resupply(pi, pf, si, sf, su, t)
    elif ident == n + n_sp + 3:
        _job_phase_end(pi, pf, si, sf, t, good_row)
    elif ident == n + n_sp + 4:
        _job_sdc_found(pi, pf, si, sf, t, lost_row, good_row)
    else:
        _next_demand(pf, si, sf, ident, t)


@kernel(error_model="numpy")
def _trial(pi, pf, si, sf, su, key, rows):
    """Simulate one trial; returns (availability, mean capacity, outages, downtime,
    planned downtime, time to first failure, spares used, throughput, SLO attainment,
    job completion). ``rows`` are the trial's output rows: (capacity, system up, faults
    per mode, unit downtime per mode, outage downtime per mode, lost work per mode,
    goodput)."""
    _reset(pi, pf, si, sf, su, key, True)
    t, _ = _run(pi, pf, si, sf, su, 0.0, -1, rows)
    return _finish(pi, pf, si, sf, su, t, rows)


@kernel(error_model="numpy")
def _run(pi, pf, si, sf, su, t, target, rows):
    """Run the events after ``t`` until the mission ends, or (``target`` >= 0) until at
    most ``target`` further failures would bring the system down (see ``_needed``);
    returns the time reached and whether the target was."""
    cap_row, up_row, counts, unit_down, cause_row, lost_row, good_row = rows
    mission = _fs(pf, MISSION)
    settled = False
    while True:
        tf, df = _next_failure(pi, pf, si, sf)
        tw = sf[int(sf[SF_WH_KEY])] if si[si[S_WH_SIZE]] > 0 else math.inf
        tn = min(tf, tw)
        if tn > t and not settled:
            # every event at t is done (zero-length swaps included): observe the system;
            # if that froze or thawed the clocks, look for the next event again
            settled = True
            if _update_system(pi, pf, si, sf, t):
                continue
            if target >= 0 and _needed(pi, si) <= target:
                return t, True
        if tn >= mission:
            return t, False
        _advance(pi, pf, si, sf, t, tn, cap_row, up_row, cause_row, good_row)
        t = tn
        settled = False
        if tw <= tf:
            _wall_event(pi, pf, si, sf, su, t, unit_down, lost_row, good_row, True)
        else:
            keys, ids, pos, size = _fheap(pi, si, sf, df)
            c = heap.pop(sf, si, keys, ids, pos, size)
            _set(si, S_DOM_DIRTY, df, 1)
            _fail(pi, pf, si, sf, su, c, t, counts, lost_row)


@kernel(error_model="numpy")
def _finish(pi, pf, si, sf, su, t, rows):
    """Close the trial at the mission end (the last event was at ``t``) and return its
    summaries (see :func:`_trial`)."""
    cap_row, up_row, counts, unit_down, cause_row, _, good_row = rows
    n = _is(pi, N_UNITS)
    mission = _fs(pf, MISSION)
    _advance(pi, pf, si, sf, t, mission, cap_row, up_row, cause_row, good_row)
    for unit in range(n):
        if not _g(si, S_UNIT_UP, unit):
            _unit_down_time(pf, sf, unit, mission, unit_down, _g(si, S_UNIT_FMODE, unit))
    _count_aggregates(pi, pf, sf, su, counts)
    sys_up = _system_up(si)
    n_cells = _is(pi, N_CELLS)
    for ci in range(_int(si, I_CELL), n_cells):
        up_row[ci] = 1 if sys_up else 0
    kind = _is(pi, WL_KIND)
    training = kind == TRAINING
    dt = pf[int(pf[PF_DEM_T]) :]
    dm = pf[int(pf[PF_DEM_M]) :]
    dc = pf[int(pf[PF_DEM_C]) :]
    nd = _n_demand(pf)
    for ci in range(n_cells):
        lo = _g(pf, PF_EDGES, ci)
        hi = _g(pf, PF_EDGES, ci + 1)
        frac = cap_row[ci] / ((hi - lo) * n)
        cap_row[ci] = min(1.0, max(0.0, frac))
        if training:  # committed work per hour (1 = the whole job at full speed)
            good_row[ci] = good_row[ci] / (hi - lo)
        elif kind == NO_WORKLOAD:  # everything usable is wanted: goodput is capacity
            good_row[ci] = cap_row[ci]
        else:  # delivered fraction of the cell's demand (1 when nothing is wanted)
            wanted = prof.steps_cum(dt, dm, dc, 0, nd, hi) - prof.steps_cum(dt, dm, dc, 0, nd, lo)
            good_row[ci] = good_row[ci] / wanted if wanted > 0 else 1.0
    window = mission - _fs(pf, WARMUP)
    fs = sf[int(sf[SF_FS]) :]
    if training:
        done = fs[F_DONE]
        wall = done if math.isfinite(done) else mission
        throughput = _jf(sf, J_COMMITTED) / wall
        slo = np.nan
    elif kind == SERVING:
        served = fs[F_SERVE] / fs[F_DEMAND] if fs[F_DEMAND] > 0 else 1.0
        throughput = min(1.0, max(0.0, served))
        slo = min(1.0, max(0.0, fs[F_SLO] / window))
    else:
        throughput = min(1.0, max(0.0, fs[F_CAP] / (window * n)))
        slo = np.nan
    # fractions are sums of many intervals: clip the last-bit rounding into [0, 1]
    return (
        min(1.0, max(0.0, fs[F_UP] / window)),
        min(1.0, max(0.0, fs[F_CAP] / (window * n))),
        _int(si, I_OUTAGES),
        fs[F_DOWN],
        fs[F_PLANNED],
        fs[F_TTFF],
        _int(si, I_SPARES),
        throughput,
        slo,
        fs[F_DONE],
    )
