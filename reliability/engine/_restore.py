"""Restoration of failed units: repair crews, spare pools and swaps.

A unit that goes down (:func:`take_down`, shared by both engines) is routed (:func:`dispatch`) to a repair in place (with a crew of
its pool, queued FIFO when all are busy, or on its own), to a swap from its spare
pool (reserved when the swap starts, consumed when it completes, queued when the
pool is empty), or, without spares, to the next servicing visit. Warm spares fail in
storage at (free spares) / (dormant MTTF), memoryless. The restoration completing
is this module's wall-clock event (:func:`on_event`).
"""

from __future__ import annotations

import math

import numpy as np

from reliability.engine import _clocks as clocks
from reliability.engine import _events as events
from reliability.engine import _laws as laws
from reliability.engine import _notify as notify
from reliability.engine import _tree as tree
from reliability.engine import streams as rnd
from reliability.engine._access import (
    add,
    fparam,
    get,
    iparam,
    next_count,
    out,
    put,
    set_ivar,
    trial_key,
)
from reliability.engine._account import spare_used, unit_down_time
from reliability.engine._jit import kernel
from reliability.engine.spec import (
    PF,
    SF,
    SU,
    Counter,
    Event,
    FParam,
    IParam,
    IVar,
    Out,
    P,
    Renew,
    RestoreKind,
    Restoring,
    S,
    Stream,
)


@kernel(forceinline=True, error_model="numpy")
def _start(pi, pf, si, sf, su, unit, t):
    """Start the repair or swap of ``unit`` now (its crew, if any, is already held)."""
    put(si, S.UNIT_JOB, unit, Restoring.ACTIVE)
    u = rnd.uniform(
        trial_key(su), rnd.stream_id(Stream.RESTORE, unit, 0), get(su, SU.UNIT_CTR, unit)
    )
    add(su, SU.UNIT_CTR, unit, np.uint64(1))
    if get(si, S.UNIT_KIND, unit) == RestoreKind.SWAP:
        sp = get(pi, P.UNIT_SPARE, unit)
        dur = laws.draw(get(pi, P.SP_SLAW, sp), get(pf, PF.SP_SP1, sp), get(pf, PF.SP_SP2, sp), u)
    else:
        m = get(si, S.UNIT_FMODE, unit)
        dur = laws.draw(
            get(pi, P.MODE_RLAW, m), get(pf, PF.MODE_RP1, m), get(pf, PF.MODE_RP2, m), u
        )
    events.schedule(si, sf, events.ident(pi, Event.RESTORE, unit), t + dur)


@kernel(forceinline=True, error_model="numpy")
def _enqueue(pi, si, qoff, queue, head, length, k, unit):
    """Append ``unit`` to FIFO ring buffer ``k`` (crew or spare queue, by field slots)."""
    b = get(pi, qoff, k)
    cap = get(pi, qoff, k + 1) - b
    put(si, queue, b + (get(si, head, k) + get(si, length, k)) % cap, unit)
    add(si, length, k, 1)


@kernel(forceinline=True, error_model="numpy")
def _dequeue(pi, si, qoff, queue, head, length, k):
    """Remove and return the oldest unit of FIFO ring buffer ``k``."""
    b = get(pi, qoff, k)
    cap = get(pi, qoff, k + 1) - b
    h = get(si, head, k)
    put(si, head, k, (h + 1) % cap)
    add(si, length, k, -1)
    return get(si, queue, b + h)


@kernel(forceinline=True, error_model="numpy")
def _request_crew(pi, pf, si, sf, su, unit, t):
    pool = get(pi, P.UNIT_CREW, unit)
    if get(si, S.CREW_BUSY, pool) < get(pi, P.CREW_COUNT, pool):
        add(si, S.CREW_BUSY, pool, 1)
        put(si, S.UNIT_CREWED, unit, 1)
        _start(pi, pf, si, sf, su, unit, t)
    else:
        _enqueue(pi, si, P.CREW_QOFF, S.CQ, S.CQ_HEAD, S.CQ_LEN, pool, unit)
        put(si, S.UNIT_JOB, unit, Restoring.QUEUED)


@kernel(forceinline=True, error_model="numpy")
def _next_crew_job(pi, pf, si, sf, su, pool, t):
    while get(si, S.CREW_BUSY, pool) < get(pi, P.CREW_COUNT, pool) and get(si, S.CQ_LEN, pool):
        unit = _dequeue(pi, si, P.CREW_QOFF, S.CQ, S.CQ_HEAD, S.CQ_LEN, pool)
        add(si, S.CREW_BUSY, pool, 1)
        put(si, S.UNIT_CREWED, unit, 1)
        _start(pi, pf, si, sf, su, unit, t)


@kernel(forceinline=True, error_model="numpy")
def reschedule_warm(pi, pf, si, sf, su, sp, t):
    """Warm spares fail in storage at (unreserved count) / dormant MTTF (memoryless)."""
    if not get(pi, P.SP_WARM, sp):
        return
    free = get(si, S.SP_STOCK, sp) - get(si, S.SP_RES, sp)
    ident = events.ident(pi, Event.SPARE_FAILS, sp)
    if free <= 0:
        events.cancel(si, sf, ident)
        return
    u = rnd.uniform(trial_key(su), rnd.stream_id(Stream.POOL, sp, 0), next_count(su, Counter.POOL))
    events.schedule(si, sf, ident, t - math.log(u) * get(pf, PF.SP_DORMANT, sp) / free)


@kernel(forceinline=True, error_model="numpy")
def _begin_swap(pi, pf, si, sf, su, unit, t):
    sp = get(pi, P.UNIT_SPARE, unit)
    add(si, S.SP_RES, sp, 1)
    reschedule_warm(pi, pf, si, sf, su, sp, t)
    if get(pi, P.UNIT_CREW, unit) >= 0:
        _request_crew(pi, pf, si, sf, su, unit, t)
    else:
        _start(pi, pf, si, sf, su, unit, t)


@kernel(forceinline=True, error_model="numpy")
def dispatch(pi, pf, si, sf, su, unit, m, t, row):
    """Route a failed unit to repair in place, a swap, a spare queue (a stock-out) or
    the next visit."""
    if not get(pi, P.MODE_REPLACE, m):
        put(si, S.UNIT_KIND, unit, RestoreKind.REPAIR)
        if get(pi, P.MODE_CREW, m) and get(pi, P.UNIT_CREW, unit) >= 0:
            _request_crew(pi, pf, si, sf, su, unit, t)
        else:
            _start(pi, pf, si, sf, su, unit, t)
        return
    put(si, S.UNIT_KIND, unit, RestoreKind.SWAP)
    sp = get(pi, P.UNIT_SPARE, unit)
    if sp < 0:
        put(si, S.UNIT_JOB, unit, Restoring.NONE)  # waits for the next servicing visit
    elif get(si, S.SP_STOCK, sp) - get(si, S.SP_RES, sp) > 0:
        _begin_swap(pi, pf, si, sf, su, unit, t)
    else:
        _enqueue(pi, si, P.SP_QOFF, S.SQ, S.SQ_HEAD, S.SQ_LEN, sp, unit)
        put(si, S.UNIT_JOB, unit, Restoring.SPARE_WAIT)
        if t >= fparam(pf, FParam.WARMUP_H):
            row[out(pi, Out.SPARE_STOCKOUTS)] += 1.0


@kernel(forceinline=True, error_model="numpy")
def take_down(pi, pf, si, sf, su, unit, m, t, row):
    """Mode ``m`` took ``unit`` down (its clocks, if any, are already paused): update
    the tree and the job, and route the unit to restoration. Shared by both engines."""
    set_ivar(si, IVar.LASTMODE, m)
    put(sf, SF.UNIT_TFAIL, unit, t)
    put(si, S.UNIT_UP, unit, 0)
    put(si, S.UNIT_FMODE, unit, m)
    tree.propagate(pi, si, unit, -1)
    notify.unit_down(pi, pf, si, sf, su, unit, m, t, row)
    dispatch(pi, pf, si, sf, su, unit, m, t, row)


@kernel(forceinline=True, error_model="numpy")
def serve_spare_queue(pi, pf, si, sf, su, sp, t):
    """Units waiting on pool ``sp`` start their swaps while it has free spares."""
    while get(si, S.SQ_LEN, sp) > 0 and get(si, S.SP_STOCK, sp) - get(si, S.SP_RES, sp) > 0:
        unit = _dequeue(pi, si, P.SP_QOFF, S.SQ, S.SQ_HEAD, S.SQ_LEN, sp)
        _begin_swap(pi, pf, si, sf, su, unit, t)


@kernel(forceinline=True, error_model="numpy")
def _complete(pi, pf, si, sf, su, unit, t, row, own_clocks):
    """The repair or swap of ``unit`` finished (``own_clocks``: the unit has its own
    failure clocks to renew or resume; otherwise it rejoins the up list of the counts
    engine)."""
    m = get(si, S.UNIT_FMODE, unit)
    unit_down_time(pi, pf, sf, unit, t, row, m)
    swapped = get(si, S.UNIT_KIND, unit) == RestoreKind.SWAP
    if swapped:
        sp = get(pi, P.UNIT_SPARE, unit)
        add(si, S.SP_STOCK, sp, -1)
        add(si, S.SP_RES, sp, -1)
        spare_used(pf, si, t)
        reschedule_warm(pi, pf, si, sf, su, sp, t)
    if not own_clocks:
        tree.uplist_add(si, unit)
    elif swapped or get(pi, P.MODE_RENEW, m) == Renew.UNIT:
        clocks.renew(pi, pf, si, sf, su, unit, t)
    else:
        clocks.resume(pi, pf, si, sf, su, unit, m, t)
    put(si, S.UNIT_UP, unit, 1)
    put(si, S.UNIT_JOB, unit, Restoring.NONE)
    put(si, S.UNIT_FMODE, unit, -1)
    tree.propagate(pi, si, unit, 1)
    notify.unit_up(pi, pf, si, sf, su, unit, t, row)
    if get(si, S.UNIT_CREWED, unit):
        put(si, S.UNIT_CREWED, unit, 0)
        pool = get(pi, P.UNIT_CREW, unit)
        add(si, S.CREW_BUSY, pool, -1)
        _next_crew_job(pi, pf, si, sf, su, pool, t)


@kernel(forceinline=True, error_model="numpy")
def on_event(pi, pf, si, sf, su, kind, index, t, row, own_clocks):
    """Restoration's wall-clock events: a unit's repair or swap completes, or a warm
    spare of pool ``index`` fails in storage."""
    if kind == Event.RESTORE:
        _complete(pi, pf, si, sf, su, index, t, row, own_clocks)
    elif kind == Event.SPARE_FAILS:
        add(si, S.SP_STOCK, index, -1)
        reschedule_warm(pi, pf, si, sf, su, index, t)
    else:
        raise RuntimeError("not an event kind of restoration")


@kernel(forceinline=True, error_model="numpy")
def reset(pi, pf, si, sf, su):
    """Start a trial: every pool full, warm spares ageing in storage."""
    for sp in range(iparam(pi, IParam.N_SP)):
        put(si, S.SP_STOCK, sp, get(pi, P.SP_CAPACITY, sp))
    for sp in range(iparam(pi, IParam.N_SP)):
        reschedule_warm(pi, pf, si, sf, su, sp, 0.0)
