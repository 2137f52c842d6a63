"""Scheduled maintenance: servicing visits, spares resupply, launches of spare
groups (ordered or on a cadence), and preventive maintenance of units on a calendar.

A servicing visit starts every ``svc_every`` hours (start to start) from
``svc_first``, may hold the system down while it lasts, and at its end replaces the
failed units (or all of them), clears the crews and queues and restocks the spare
pools. Resupply arrivals, deterministic or Poisson, top every pool up to its
capacity. A unit's preventive maintenance comes every ``pm_every`` hours from its
``unit_pm_first``: a unit that is up is taken down by the mode ``pm_mode`` (restored
like a repair in place: its duration, crew and renewal are that mode's), a unit that
is down skips its turn.
"""

from __future__ import annotations

import math

from reliability.engine import _account as account
from reliability.engine import _clocks as clocks
from reliability.engine import _events as events
from reliability.engine import _notify as notify
from reliability.engine import _orders as orders
from reliability.engine import _restore as restore
from reliability.engine import _tree as tree
from reliability.engine import streams as rnd
from reliability.engine._access import (
    add_ivar,
    fparam,
    get,
    iparam,
    next_count,
    put,
    set_ivar,
    trial_key,
)
from reliability.engine._jit import kernel
from reliability.engine.spec import (
    PF,
    Counter,
    Effect,
    Event,
    FParam,
    IParam,
    IVar,
    P,
    Renew,
    Restoring,
    S,
    Stream,
)


@kernel(forceinline=True, error_model="numpy")
def _next_resupply(pi, pf, si, sf, su, t, first):
    """Schedule the next resupply arrival after ``t`` (``first``: the first of the
    trial, at ``rs_first`` when deterministic)."""
    every = fparam(pf, FParam.RS_EVERY)
    ident = events.ident(pi, Event.RESUPPLY, 0)
    if iparam(pi, IParam.RS_POISSON):
        u = rnd.uniform(
            trial_key(su),
            rnd.stream_id(Stream.RESUPPLY, 0, 0),
            next_count(su, Counter.RESUPPLY),
        )
        events.schedule(si, sf, ident, t - math.log(u) * every)
    elif first:
        events.schedule(si, sf, ident, fparam(pf, FParam.RS_FIRST))
    else:
        events.schedule(si, sf, ident, t + every)


@kernel(forceinline=True, error_model="numpy")
def reset(pi, pf, si, sf, su):
    """Start a trial: the first servicing visit, resupply arrival, every unit's
    first preventive maintenance and every pool's first cadence launch are
    scheduled."""
    if math.isfinite(fparam(pf, FParam.SVC_EVERY)):
        events.schedule(
            si, sf, events.ident(pi, Event.SERVICE_START, 0), fparam(pf, FParam.SVC_FIRST)
        )
    if math.isfinite(fparam(pf, FParam.RS_EVERY)):
        _next_resupply(pi, pf, si, sf, su, 0.0, True)
    if iparam(pi, IParam.PM_MODE) >= 0:
        for unit in range(iparam(pi, IParam.N_UNITS)):
            first = get(pf, PF.UNIT_PM_FIRST, unit)
            if math.isfinite(first):
                events.schedule(si, sf, events.ident(pi, Event.UNIT_PM, unit), first)
    orders.reset(pi, pf, si, sf)


@kernel(inline="always", error_model="numpy")
def _unit_pm(pi, pf, si, sf, su, unit, t, row, own_clocks):
    """``unit``'s turn for preventive maintenance: taken down if it is up."""
    events.schedule(si, sf, events.ident(pi, Event.UNIT_PM, unit), t + fparam(pf, FParam.PM_EVERY))
    if not get(si, S.UNIT_UP, unit):
        return  # down already: its repair or replacement takes the place of this turn
    m = iparam(pi, IParam.PM_MODE)
    account.count_fault(pi, pf, m, t, row)
    notify.planned_stop(pi, pf, si, sf, su, unit, t, row)
    if own_clocks:
        clocks.pause(pi, pf, si, sf, unit, -1, t)
    else:
        tree.uplist_remove(si, unit)
    restore.take_down(pi, pf, si, sf, su, unit, m, t, row)


@kernel(forceinline=True, error_model="numpy")
def _service_start(pi, pf, si, sf, su, t, row):
    if iparam(pi, IParam.SVC_DOWN):
        set_ivar(si, IVar.PLANNED, 1)
        notify.planned_stop(pi, pf, si, sf, su, -1, t, row)
    events.schedule(si, sf, events.ident(pi, Event.SERVICE_END, 0), t + fparam(pf, FParam.SVC_DUR))
    events.schedule(
        si, sf, events.ident(pi, Event.SERVICE_START, 0), t + fparam(pf, FParam.SVC_EVERY)
    )


@kernel(forceinline=True, error_model="numpy")
def _turn_resumes(pi, m):
    """Mode ``m`` is a maintenance turn that does not make the unit as good as new."""
    return get(pi, P.MODE_EFFECT, m) == Effect.SCHEDULED and get(pi, P.MODE_RENEW, m) != Renew.UNIT


@kernel(forceinline=True, error_model="numpy")
def _service_end(pi, pf, si, sf, su, t, row, own_clocks):
    """End of a servicing visit: replace failed (or all) units, reset crews and queues.

    A unit in a maintenance turn is not failed: under ``replace-failed`` the visit
    ends its turn by the turn's own rule (a turn that does not renew leaves the unit
    its age). Without per-unit clocks (counts engine) replacing a working unit
    changes nothing: exponential lives have no age."""
    set_ivar(si, IVar.PLANNED, 0)
    replace_all = iparam(pi, IParam.SVC_ALL)
    for unit in range(iparam(pi, IParam.N_UNITS)):
        if not get(si, S.UNIT_UP, unit):
            fmode = get(si, S.UNIT_FMODE, unit)
            if get(si, S.UNIT_JOB, unit) == Restoring.ACTIVE:
                events.cancel(si, sf, events.ident(pi, Event.RESTORE, unit))
            account.unit_down_time(pi, pf, sf, unit, t, row, fmode)
            add_ivar(si, IVar.UP, 1)
            put(si, S.UNIT_UP, unit, 1)
            put(si, S.UNIT_JOB, unit, Restoring.NONE)
            put(si, S.UNIT_CREWED, unit, 0)
            put(si, S.UNIT_FMODE, unit, -1)
            if not own_clocks:
                tree.uplist_add(si, unit)
            elif _turn_resumes(pi, fmode) and not replace_all:
                clocks.resume(pi, pf, si, sf, su, unit, fmode, t)  # the visit ends the turn
            elif get(pi, P.MODE_EFFECT, fmode) == Effect.SCHEDULED and not replace_all:
                clocks.renew(pi, pf, si, sf, su, unit, t, math.nan)  # renewed, its own dose
            else:
                clocks.renew(pi, pf, si, sf, su, unit, t, t)  # a new unit
        elif replace_all and own_clocks:
            clocks.renew(pi, pf, si, sf, su, unit, t, t)
    tree.reset(pi, si)
    for pool in range(iparam(pi, IParam.N_CREW)):
        put(si, S.CREW_BUSY, pool, 0)
        put(si, S.CQ_LEN, pool, 0)
        put(si, S.CQ_HEAD, pool, 0)
    for sp in range(iparam(pi, IParam.N_SP)):
        put(si, S.SP_RES, sp, 0)
        put(si, S.SQ_LEN, sp, 0)
        put(si, S.SQ_HEAD, sp, 0)
        if iparam(pi, IParam.SVC_RESTOCK) and not get(pi, P.SP_GROUP, sp):
            orders.stock_fill(pi, si, sf, sp, t)
        restore.reschedule_warm(pi, pf, si, sf, su, sp, t)
    notify.visit_end(pi, pf, si, sf, su, t, row)


@kernel(forceinline=True, error_model="numpy")
def _resupply(pi, pf, si, sf, su, t):
    for sp in range(iparam(pi, IParam.N_SP)):
        if get(pi, P.SP_GROUP, sp):
            continue  # spare groups come by launches, not with the unit spares
        orders.stock_fill(pi, si, sf, sp, t)
        restore.serve_spare_queue(pi, pf, si, sf, su, sp, t)
        restore.reschedule_warm(pi, pf, si, sf, su, sp, t)
    _next_resupply(pi, pf, si, sf, su, t, False)


@kernel(error_model="numpy")  # out of line: the loop's event dispatch stays small
def _launch_flies(pi, pf, si, sf, su, kind, index, t, row):
    """A launch of spare groups flies: an order arriving (order slot ``index``) or one
    of pool ``index``'s cadence. Its spares serve the groups waiting, and after an
    order the pool orders again if its position is still at or below the reorder
    point. (One function for both: the restoration code it calls is compiled once.)"""
    if kind == Event.ORDER_ARRIVES:
        sp = orders.arrive(pi, pf, si, sf, su, index, t, row)
    else:
        sp = index
        orders.cadence(pi, pf, si, sf, su, sp, t, row)
    restore.serve_spare_queue(pi, pf, si, sf, su, sp, t)
    restore.reschedule_warm(pi, pf, si, sf, su, sp, t)
    if kind == Event.ORDER_ARRIVES:
        orders.reorder(pi, pf, si, sf, su, sp, t)


@kernel(inline="always", error_model="numpy")
def on_event(pi, pf, si, sf, su, kind, index, t, row, own_clocks):
    """Maintenance's wall-clock events: a visit starts or ends, spares arrive, unit
    ``index`` is due for preventive maintenance."""
    if kind == Event.SERVICE_START:
        _service_start(pi, pf, si, sf, su, t, row)
    elif kind == Event.SERVICE_END:
        _service_end(pi, pf, si, sf, su, t, row, own_clocks)
    elif kind == Event.RESUPPLY:
        _resupply(pi, pf, si, sf, su, t)
    elif kind == Event.UNIT_PM:
        _unit_pm(pi, pf, si, sf, su, index, t, row, own_clocks)
    elif kind == Event.ORDER_ARRIVES or kind == Event.CADENCE_LAUNCH:
        _launch_flies(pi, pf, si, sf, su, kind, index, t, row)
    else:
        raise RuntimeError("not an event kind of maintenance")
