"""Restoration of failed units: repair crews, spare pools and swaps.

A unit that goes down (:func:`take_down`, shared by both engines) is routed (:func:`dispatch`) to a repair in place (with a crew of
its pool, queued FIFO when all are busy, or on its own), to a swap from its spare
pool (reserved when the swap starts, consumed when it completes, queued when the
pool is empty), or, without spares, to the next servicing visit. Warm spares fail in
storage at (free spares) / (dormant MTTF), memoryless. A platform that fails for
good has its whole group replaced after the group's replacement time
(:func:`_replace_group`), unless the replacement's launch fails and another is
ordered; a platform's shock fails units of its group (:func:`shock`). The restoration completing
is this module's wall-clock event (:func:`on_event`).
"""

from __future__ import annotations

import math

import numpy as np

from reliability.engine import _clocks as clocks
from reliability.engine import _events as events
from reliability.engine import _laws as laws
from reliability.engine import _notify as notify
from reliability.engine import _orders as orders
from reliability.engine import _tree as tree
from reliability.engine import streams as rnd
from reliability.engine._access import (
    add,
    count,
    fparam,
    get,
    iparam,
    next_count,
    out,
    put,
    set_ivar,
    trial_key,
)
from reliability.engine._account import count_fault, spare_used, unit_down_time
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


@kernel(error_model="numpy")
def _group_time(pi, pf, si, sf, unit, u, t):
    """How long platform ``unit``'s group takes to be replaced: a spare group's
    relocation, or a launch's lead time. A planned retirement that finds a spare
    group free takes no time: the spare's move into the slot was started ahead of the
    known date (one that had to wait for a spare relocates as usual). (Kept out of
    line: the common paths of restoration stay small.)"""
    sp = get(pi, P.UNIT_SPARE, unit)
    if sp >= 0:
        planned = get(pi, P.MODE_PLANNED, get(si, S.UNIT_FMODE, unit))
        if planned and get(sf, SF.UNIT_TFAIL, unit) == t:
            return 0.0
        return laws.draw(get(pi, P.SP_SLAW, sp), get(pf, PF.SP_SP1, sp), get(pf, PF.SP_SP2, sp), u)
    g = get(pi, P.UNIT_GROUP, unit)
    return laws.draw(
        get(pi, P.GROUP_RLAW, g), get(pf, PF.GROUP_RP1, g), get(pf, PF.GROUP_RP2, g), u
    )


@kernel(forceinline=True, error_model="numpy")
def _start(pi, pf, si, sf, su, unit, t):
    """Start the repair or swap of ``unit`` now (its crew, if any, is already held)."""
    put(si, S.UNIT_JOB, unit, Restoring.ACTIVE)
    u = rnd.uniform(
        trial_key(su), rnd.stream_id(Stream.RESTORE, unit, 0), get(su, SU.UNIT_CTR, unit)
    )
    add(su, SU.UNIT_CTR, unit, np.uint64(1))
    kind = get(si, S.UNIT_KIND, unit)
    if kind == RestoreKind.SWAP:
        sp = get(pi, P.UNIT_SPARE, unit)
        dur = laws.draw(get(pi, P.SP_SLAW, sp), get(pf, PF.SP_SP1, sp), get(pf, PF.SP_SP2, sp), u)
    elif kind == RestoreKind.GROUP:
        dur = _group_time(pi, pf, si, sf, unit, u, t)
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


@kernel(error_model="numpy")
def _unqueue(pi, si, qoff, queue, head, length, k, unit):
    """Take ``unit`` out of FIFO ring buffer ``k``, wherever it waits (the ones behind
    it move up)."""
    b = get(pi, qoff, k)
    cap = get(pi, qoff, k + 1) - b
    h = get(si, head, k)
    found = False
    for i in range(get(si, length, k)):
        x = get(si, queue, b + (h + i) % cap)
        if found:
            put(si, queue, b + (h + i - 1) % cap, x)
        elif x == unit:
            found = True
    if found:
        add(si, length, k, -1)


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
def _repair_in(pi, pf, si, sf, su, slot, sp, t):
    """Repair slot ``slot`` of pool ``sp`` starts on a unit swapped out."""
    put(si, S.SHOP_LIVE, slot, 1)
    u = rnd.uniform(trial_key(su), rnd.stream_id(Stream.SHOP, sp, 0), next_count(su, Counter.SHOP))
    law, p1, p2 = get(pi, P.SP_RLAW, sp), get(pf, PF.SP_RP1, sp), get(pf, PF.SP_RP2, sp)
    events.schedule(
        si, sf, events.ident(pi, Event.UNIT_REPAIRED, slot), t + laws.draw(law, p1, p2, u)
    )


@kernel(error_model="numpy")
def _to_shop(pi, pf, si, sf, su, sp, t):
    """A unit of repairable pool ``sp`` failed for good: it goes for repair at once
    (a free repair slot, or the queue)."""
    for slot in range(get(pi, P.SP_SOFF, sp), get(pi, P.SP_SOFF, sp + 1)):
        if not get(si, S.SHOP_LIVE, slot):
            _repair_in(pi, pf, si, sf, su, slot, sp, t)
            return
    add(si, S.SP_SHOPQ, sp, 1)


@kernel(error_model="numpy")  # out of line: the loop's event dispatch stays small
def _repaired(pi, pf, si, sf, su, slot, t):
    """A unit swapped out is repaired: it joins its pool's stock."""
    sp = get(pi, P.SHOP_POOL, slot)
    put(si, S.SHOP_LIVE, slot, 0)
    orders.stock_add(si, sf, sp, 1, orders.stock_born(si, sf, sp, t))  # its own is not kept
    if get(si, S.SP_SHOPQ, sp) > 0:
        add(si, S.SP_SHOPQ, sp, -1)
        _repair_in(pi, pf, si, sf, su, slot, sp, t)
    serve_spare_queue(pi, pf, si, sf, su, sp, t)
    reschedule_warm(pi, pf, si, sf, su, sp, t)


@kernel(forceinline=True, error_model="numpy")
def _wait_for_spare(pi, pf, si, unit, sp, t, row):
    """A stock-out: ``unit`` waits in pool ``sp``'s queue (a platform waiting for a
    spare group is counted apart from the units)."""
    _enqueue(pi, si, P.SP_QOFF, S.SQ, S.SQ_HEAD, S.SQ_LEN, sp, unit)
    put(si, S.UNIT_JOB, unit, Restoring.SPARE_WAIT)
    if t >= fparam(pf, FParam.WARMUP_H):
        gate = get(pi, P.UNIT_GATE, unit)
        row[out(pi, Out.GROUP_SPARE_STOCKOUTS if gate else Out.SPARE_STOCKOUTS)] += 1.0


@kernel(error_model="numpy")
def _dispatch_group(pi, pf, si, sf, su, unit, t, row):
    """Platform ``unit`` failed for good: its group is replaced by a spare group when
    one is free (else it waits for one), or by a launch, or at the next visit."""
    put(si, S.UNIT_KIND, unit, RestoreKind.GROUP)
    sp = get(pi, P.UNIT_SPARE, unit)
    if sp >= 0:
        if get(si, S.SP_STOCK, sp) - get(si, S.SP_RES, sp) > 0:
            _begin_swap(pi, pf, si, sf, su, unit, t)
        else:
            _wait_for_spare(pi, pf, si, unit, sp, t, row)
        orders.reorder(pi, pf, si, sf, su, sp, t)
    elif get(pi, P.GROUP_RLAW, get(pi, P.UNIT_GROUP, unit)) < 0:
        put(si, S.UNIT_JOB, unit, Restoring.NONE)  # waits for the next servicing visit
    else:
        _start(pi, pf, si, sf, su, unit, t)


@kernel(forceinline=True, error_model="numpy")
def dispatch(pi, pf, si, sf, su, unit, m, t, row):
    """Route a failed unit to repair in place, a swap, a spare queue (a stock-out) or
    the next visit."""
    if get(pi, P.MODE_REPLACE, m) and get(pi, P.UNIT_GATE, unit):
        _dispatch_group(pi, pf, si, sf, su, unit, t, row)
        return
    if not get(pi, P.MODE_REPLACE, m):
        put(si, S.UNIT_KIND, unit, RestoreKind.REPAIR)
        if get(pi, P.MODE_CREW, m) and get(pi, P.UNIT_CREW, unit) >= 0:
            _request_crew(pi, pf, si, sf, su, unit, t)
        else:
            _start(pi, pf, si, sf, su, unit, t)
        return
    put(si, S.UNIT_KIND, unit, RestoreKind.SWAP)
    sp = get(pi, P.UNIT_SPARE, unit)
    if sp >= 0 and get(pi, P.SP_RLAW, sp) >= 0:
        _to_shop(pi, pf, si, sf, su, sp, t)
    if sp < 0:
        put(si, S.UNIT_JOB, unit, Restoring.NONE)  # waits for the next servicing visit
    elif get(si, S.SP_STOCK, sp) - get(si, S.SP_RES, sp) > 0:
        _begin_swap(pi, pf, si, sf, su, unit, t)
    else:
        _wait_for_spare(pi, pf, si, unit, sp, t, row)


@kernel(forceinline=True, error_model="numpy")
def take_down(pi, pf, si, sf, su, unit, m, t, row):
    """Mode ``m`` took ``unit`` down (its clocks, if any, are already paused): update
    the tree and the job, and route the unit to restoration. Shared by both engines."""
    _down(pi, pf, si, sf, su, unit, m, t, row)
    if iparam(pi, IParam.RETIRE_ANY) and not get(pi, P.UNIT_GATE, unit):
        _retire_groups(pi, pf, si, sf, su, unit, t, row)


@kernel(forceinline=True, error_model="numpy")
def _down(pi, pf, si, sf, su, unit, m, t, row):
    set_ivar(si, IVar.LASTMODE, m)
    put(sf, SF.UNIT_TFAIL, unit, t)
    put(si, S.UNIT_UP, unit, 0)
    put(si, S.UNIT_FMODE, unit, m)
    tree.propagate(pi, si, unit, -1)
    notify.unit_down(pi, pf, si, sf, su, unit, m, t, row)
    dispatch(pi, pf, si, sf, su, unit, m, t, row)


@kernel(error_model="numpy")
def _retire_groups(pi, pf, si, sf, su, unit, t, row):
    """``unit`` went down: a group above it that now falls below its k while its
    platform works, and that retires then, has its platform taken down by the
    retiring mode (not a fault): the group is replaced like a platform lost."""
    g = get(pi, P.UNIT_GROUP, unit)
    while g >= 0:
        m = get(pi, P.GROUP_RETIRE, g)
        plat = get(pi, P.GROUP_PLATFORM, g)
        if m >= 0 and not get(si, S.G_UP, g) and get(si, S.UNIT_UP, plat):
            count_fault(pi, pf, m, t, row)  # a retirement, counted under its class
            clocks.pause(pi, pf, si, sf, plat, -1, t)
            _down(pi, pf, si, sf, su, plat, m, t, row)
            return
        g = get(pi, P.GROUP_PARENT, g)


@kernel(forceinline=True, error_model="numpy")
def serve_spare_queue(pi, pf, si, sf, su, sp, t):
    """Units waiting on pool ``sp`` start their swaps while it has free spares."""
    while get(si, S.SQ_LEN, sp) > 0 and get(si, S.SP_STOCK, sp) - get(si, S.SP_RES, sp) > 0:
        unit = _dequeue(pi, si, P.SP_QOFF, S.SQ, S.SQ_HEAD, S.SQ_LEN, sp)
        _begin_swap(pi, pf, si, sf, su, unit, t)


@kernel(error_model="numpy")
def shock(pi, pf, si, sf, su, platform, m, t, row):
    """Shock mode ``m`` of ``platform`` struck: each unit of the group it carries that
    is up fails with the mode's probability (all of them at 1; one uniform per unit
    up otherwise) and is restored by the mode's own rule."""
    g = get(pi, P.UNIT_GROUP, platform)
    p = get(pf, PF.MODE_SHOCK, m)
    u0 = get(pi, P.GROUP_UNIT0, g)
    stream = rnd.stream_id(Stream.SHOCK, platform, 0)
    for unit in range(u0, u0 + get(pi, P.GROUP_UNITS, g)):
        if not get(si, S.UNIT_UP, unit):
            continue
        if p < 1.0:
            u = rnd.uniform(trial_key(su), stream, get(su, SU.UNIT_CTR, platform))
            add(su, SU.UNIT_CTR, platform, np.uint64(1))
            if u >= p:
                continue
        clocks.pause(pi, pf, si, sf, unit, -1, t)
        take_down(pi, pf, si, sf, su, unit, m, t, row)


@kernel(forceinline=True, error_model="numpy")
def _back_up(pi, pf, si, sf, su, unit, t, row):
    """``unit`` is up again (its clocks already set): the tree and the job hear of it,
    and the repairer it held, if any, takes the next job of its crew's queue."""
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


@kernel(error_model="numpy")
def _renew_slot(pi, pf, si, sf, su, unit, t, row, born):
    """A replaced group brings ``unit`` (a unit or a nested platform) back new: its
    restoration, if any, is abandoned (crew and reserved spare released, queues left)."""
    if not get(si, S.UNIT_UP, unit):
        job = get(si, S.UNIT_JOB, unit)
        sp = get(pi, P.UNIT_SPARE, unit)
        if job == Restoring.ACTIVE:
            events.cancel(si, sf, events.ident(pi, Event.RESTORE, unit))
        elif job == Restoring.QUEUED:
            k = get(pi, P.UNIT_CREW, unit)
            _unqueue(pi, si, P.CREW_QOFF, S.CQ, S.CQ_HEAD, S.CQ_LEN, k, unit)
        elif job == Restoring.SPARE_WAIT:
            _unqueue(pi, si, P.SP_QOFF, S.SQ, S.SQ_HEAD, S.SQ_LEN, sp, unit)
        held = job == Restoring.ACTIVE or job == Restoring.QUEUED
        if held and sp >= 0 and get(si, S.UNIT_KIND, unit) != RestoreKind.REPAIR:
            add(si, S.SP_RES, sp, -1)  # the spare reserved for it is free again
            serve_spare_queue(pi, pf, si, sf, su, sp, t)
            reschedule_warm(pi, pf, si, sf, su, sp, t)
        unit_down_time(pi, pf, sf, unit, t, row, get(si, S.UNIT_FMODE, unit))
        _back_up(pi, pf, si, sf, su, unit, t, row)
    clocks.renew(pi, pf, si, sf, su, unit, t, born)


@kernel(error_model="numpy")
def _replace_group(pi, pf, si, sf, su, g, t, row, born):
    """Group ``g`` is replaced by a new one, in orbit since ``born``: every unit and
    nested platform of its subtree new (the lots inside it new too), and the spare
    pools on board full."""
    u0 = get(pi, P.GROUP_UNIT0, g)
    u1 = u0 + get(pi, P.GROUP_UNITS, g)
    for lot in range(count(pi, P.LOT_FIRST)):  # the new units come from new lots
        if u0 <= get(pi, P.LOT_FIRST, lot) < u1:
            add(su, SU.LOT_GEN, lot, np.uint64(1))
    for unit in range(u0, u1):
        _renew_slot(pi, pf, si, sf, su, unit, t, row, born)
    for h in range(g, iparam(pi, IParam.N_GROUPS)):
        # groups are breadth first: h > g with its units inside g's lies below g
        h0 = get(pi, P.GROUP_UNIT0, h)
        if h0 < u0 or h0 + get(pi, P.GROUP_UNITS, h) > u1:
            continue
        if h > g and get(pi, P.GROUP_PLATFORM, h) >= 0:
            _renew_slot(pi, pf, si, sf, su, get(pi, P.GROUP_PLATFORM, h), t, row, born)
        sp = get(pi, P.GROUP_POOL, h)
        if sp >= 0:  # the new group's own spares: a full pool, nothing in repair
            orders.stock_renew(pi, si, sf, sp, born)
            put(si, S.SP_SHOPQ, sp, 0)
            for slot in range(get(pi, P.SP_SOFF, sp), get(pi, P.SP_SOFF, sp + 1)):
                if get(si, S.SHOP_LIVE, slot):
                    put(si, S.SHOP_LIVE, slot, 0)
                    events.cancel(si, sf, events.ident(pi, Event.UNIT_REPAIRED, slot))
            reschedule_warm(pi, pf, si, sf, su, sp, t)


@kernel(error_model="numpy")
def _launch_failed(pi, pf, su, platform, g, t, row):
    """The replacement of group ``g`` is launched at ``t``: True when the launch fails."""
    counted = t >= fparam(pf, FParam.WARMUP_H)
    if counted:
        row[out(pi, Out.LAUNCHES)] += 1.0
    p = get(pf, PF.GROUP_RFAIL, g)
    if p <= 0.0:
        return False
    u = rnd.uniform(
        trial_key(su), rnd.stream_id(Stream.RESTORE, platform, 0), get(su, SU.UNIT_CTR, platform)
    )
    add(su, SU.UNIT_CTR, platform, np.uint64(1))
    if u >= p:
        return False
    if counted:
        row[out(pi, Out.LAUNCH_FAILURES)] += 1.0
    return True


@kernel(error_model="numpy")
def _group_arrives(pi, pf, si, sf, su, unit, t, row):
    """A spare group has taken the slot of platform ``unit``'s group, or a launch
    carrying its replacement flies: the group is replaced (the time it came to orbit
    is returned), unless the launch fails and another is ordered (-1)."""
    g = get(pi, P.UNIT_GROUP, unit)
    sp = get(pi, P.UNIT_SPARE, unit)
    born = t  # a launch brings the group new
    if sp >= 0:
        born = orders.stock_take(si, sf, sp)  # a spare group parked in orbit since born
        add(si, S.SP_RES, sp, -1)
        if t >= fparam(pf, FParam.WARMUP_H):
            row[out(pi, Out.GROUP_SPARES_USED)] += 1.0
        reschedule_warm(pi, pf, si, sf, su, sp, t)
    elif _launch_failed(pi, pf, su, unit, g, t, row):
        _start(pi, pf, si, sf, su, unit, t)  # another lead time
        return -1.0
    _replace_group(pi, pf, si, sf, su, g, t, row, born)
    return born


@kernel(inline="always", error_model="numpy")
def _complete(pi, pf, si, sf, su, unit, t, row, own_clocks):
    """The repair or swap of ``unit`` finished (``own_clocks``: the unit has its own
    failure clocks to renew or resume; otherwise it rejoins the up list of the counts
    engine)."""
    m = get(si, S.UNIT_FMODE, unit)
    kind = get(si, S.UNIT_KIND, unit)
    swapped = kind == RestoreKind.SWAP
    born = math.nan  # repaired in place: the unit keeps its own dose
    if kind == RestoreKind.GROUP:
        born = _group_arrives(pi, pf, si, sf, su, unit, t, row)
        if born < 0.0:
            return  # the launch failed: another is under way, the platform still down
    unit_down_time(pi, pf, sf, unit, t, row, m)
    if swapped:
        sp = get(pi, P.UNIT_SPARE, unit)
        born = orders.stock_take(si, sf, sp)  # the spare's time in orbit
        add(si, S.SP_RES, sp, -1)
        spare_used(pf, si, t)
        reschedule_warm(pi, pf, si, sf, su, sp, t)
    if not own_clocks:
        tree.uplist_add(si, unit)
    elif swapped or kind == RestoreKind.GROUP or get(pi, P.MODE_RENEW, m) == Renew.UNIT:
        clocks.renew(pi, pf, si, sf, su, unit, t, born)
    else:
        clocks.resume(pi, pf, si, sf, su, unit, m, t)
    _back_up(pi, pf, si, sf, su, unit, t, row)


@kernel(inline="always", error_model="numpy")
def on_event(pi, pf, si, sf, su, kind, index, t, row, own_clocks):
    """Restoration's wall-clock events: a unit's repair or swap completes, a unit
    swapped out is repaired (repair slot ``index``), or a warm spare of pool
    ``index`` fails in storage (it is lost, repairable or not)."""
    if kind == Event.RESTORE:
        _complete(pi, pf, si, sf, su, index, t, row, own_clocks)
    elif kind == Event.UNIT_REPAIRED:
        _repaired(pi, pf, si, sf, su, index, t)
    elif kind == Event.SPARE_FAILS:
        orders.stock_take(si, sf, index)
        reschedule_warm(pi, pf, si, sf, su, index, t)
        orders.reorder(pi, pf, si, sf, su, index, t)
    else:
        raise RuntimeError("not an event kind of restoration")


@kernel(forceinline=True, error_model="numpy")
def reset(pi, pf, si, sf, su):
    """Start a trial: every pool full, warm spares ageing in storage."""
    for sp in range(iparam(pi, IParam.N_SP)):
        put(si, S.SP_STOCK, sp, get(pi, P.SP_CAPACITY, sp))  # sp_arrive 0: launched with it
    for sp in range(iparam(pi, IParam.N_SP)):
        reschedule_warm(pi, pf, si, sf, su, sp, 0.0)
        orders.reorder(pi, pf, si, sf, su, sp, 0.0)
