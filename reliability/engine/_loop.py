"""The event loop of the per-unit engine, and what both engines share.

One call of :func:`trial` simulates one trial of one scenario. Its cost is
O(units + events x log(units)): every pending event sits in an indexed heap (failure
clocks per rate-profile domain in :mod:`._clocks`, keyed in that domain's
operational time; restorations, servicing, resupply and the training job in
wall-clock time in :mod:`._events`), and a unit changing state updates only the
k-of-n groups on its path to the root (:mod:`._tree`).

The loop calls the feature modules through fixed hooks: ``reset`` at the start of a
trial, ``on_event`` for the wall-clock events a module owns (one signature for
every owner: plan, state, kind, index, time, outputs row, own clocks; see
``spec.EVENTS``), the unit hooks of the training job, and ``finish`` at the
mission end. Features a plan does not use are switched off by its parameters.

Semantics (documented in the README and in :mod:`reliability.campaign`):

* a unit's failure modes compete; when one fires, the unit's other clocks pause
  until it is restored (a renewing restoration draws all lives afresh);
* a platform's failure takes the group it carries down; the group's units keep
  their clocks and restorations (a replaced group comes back with new units);
  a platform's shock fails each unit of its group that is up with its
  probability, and the platform runs on (its next shock drawn as after a minimal
  repair);
* units keep ageing while the system is down unless ``age_while_down`` is 0, in
  which case every clock freezes while the system is down;
* spares are reserved when a swap starts and consumed when it completes;
* servicing visits restore units at the end of the visit; pending clocks of
  surviving units carry over (replace-failed).
"""

from __future__ import annotations

import numpy as np

from reliability.engine import _account as account
from reliability.engine import _clocks as clocks
from reliability.engine import _events as events
from reliability.engine import _job as job
from reliability.engine import _maintenance as maintenance
from reliability.engine import _notify as notify
from reliability.engine import _restore as restore
from reliability.engine import _serving as serving
from reliability.engine import _solar as solar
from reliability.engine import _timeline as timeline
from reliability.engine import _tree as tree
from reliability.engine._access import add_ivar, fill, fparam, get, iparam, ivar, set_ivar, wall_off
from reliability.engine._jit import kernel
from reliability.engine.spec import (
    EVENT_OWNER,
    KEY0,
    Effect,
    EventBudgetError,
    FParam,
    IParam,
    IVar,
    Owner,
    P,
    S,
    WorkloadKind,
)


@kernel(forceinline=True, error_model="numpy")
def reset(pi, pf, si, sf, su, key, own_clocks):
    """Start a trial: everything up and new (``own_clocks``: draw every unit's lives;
    else put every unit on the counts engine's up list)."""
    n = iparam(pi, IParam.N_UNITS)
    # state arrays hold only fields after their header: zero them all, then set the rest
    si[si[0] :] = 0
    sf[int(sf[0]) :] = 0.0
    su[int(su[0]) :] = np.uint64(0)
    su[KEY0] = key
    solar.reset(pi, pf, si, sf, su)
    account.reset(pi, pf, si, sf, su)
    fill(si, S.FH_POS, get(pi, P.DOM_HOFF, iparam(pi, IParam.N_DOM)), -1)
    fill(si, S.WH_POS, wall_off(pi, len(EVENT_OWNER)), -1)
    set_ivar(si, IVar.UP, get(pi, P.GROUP_UNITS, 0))  # units of the last level
    timeline.reset(pi, pf, si, sf, su)
    fill(si, S.UNIT_UP, n, 1)
    fill(si, S.UNIT_FMODE, n, -1)
    fill(si, S.DOM_DIRTY, iparam(pi, IParam.N_DOM), 1)
    tree.reset(pi, si)
    for unit in range(n):
        if own_clocks:
            clocks.renew(pi, pf, si, sf, su, unit, 0.0, 0.0)
        else:
            tree.uplist_add(si, unit)
    restore.reset(pi, pf, si, sf, su)
    maintenance.reset(pi, pf, si, sf, su)
    if iparam(pi, IParam.WL_KIND) == WorkloadKind.TRAINING:
        job.reset(pi, pf, si, sf, su)


@kernel(forceinline=True, error_model="numpy")
def tick(pi, si):
    """Count one event of the trial; stop it once it passes the plan's ``max_events``
    (a trial that would otherwise run for hours, unstoppable inside compiled code)."""
    add_ivar(si, IVar.EVENTS, 1)
    if ivar(si, IVar.EVENTS) > iparam(pi, IParam.MAX_EVENTS):
        raise EventBudgetError(
            "a trial took more events than its budget (the plan's max_events; for runs, "
            "RELIABILITY_MAX_EVENTS_PER_TRIAL): some failure or fault process fires far "
            "more often than the mission can resolve, such as a life of seconds or a "
            "repair of zero; `reliability validate` estimates the events per trial"
        )


@kernel(inline="always", error_model="numpy")
def _fail(pi, pf, si, sf, su, c, t, row):
    """Clock ``c`` fired: count the fault; a silent one lets the unit run on, any
    other takes it down and routes it to restoration."""
    unit = get(pi, P.CLOCK_UNIT, c)
    m = get(pi, P.CLOCK_MODE, c)
    account.count_fault(pi, pf, m, t, row)
    effect = get(pi, P.MODE_EFFECT, m)
    if effect != Effect.DOWN:
        clocks.redraw_silent(pi, pf, si, sf, su, c)
        if effect == Effect.SILENT:
            notify.silent_fault(pi, pf, si, sf, su, unit, m, t, row)
        else:  # a shock: the platform runs on; units of its group may not
            restore.shock(pi, pf, si, sf, su, unit, m, t, row)
        return
    clocks.pause(pi, pf, si, sf, unit, c, t)
    restore.take_down(pi, pf, si, sf, su, unit, m, t, row)


@kernel(inline="always", error_model="numpy")
def settle(pi, pf, si, sf, t):
    """Observe the system after the events at ``t``: count an outage that starts, and
    freeze or thaw the clocks (when units do not age while it is down); True when
    the clocks changed."""
    account.observe(pi, pf, si, sf, t)
    if iparam(pi, IParam.AGE_WHILE_DOWN):
        return False
    return clocks.set_frozen(pi, pf, si, sf, 0 if tree.system_up(si) else 1, t)


@kernel(inline="always", error_model="numpy")
def on_wall_event(pi, pf, si, sf, su, t, row, own_clocks):
    """Pop the earliest wall-clock event (due now, at ``t``) and hand it to the feature
    module that owns its kind."""
    kind, index = events.kind_of(pi, events.pop(si, sf))
    owner = EVENT_OWNER[kind]
    if owner == Owner.RESTORE:
        restore.on_event(pi, pf, si, sf, su, kind, index, t, row, own_clocks)
    elif owner == Owner.MAINTENANCE:
        maintenance.on_event(pi, pf, si, sf, su, kind, index, t, row, own_clocks)
    elif owner == Owner.JOB:
        job.on_event(pi, pf, si, sf, su, kind, index, t, row, own_clocks)
    else:
        raise RuntimeError("a wall-clock event kind without an owner")


@kernel(inline="always", error_model="numpy")
def run(pi, pf, si, sf, su, t, target, row):
    """Run the events after ``t`` until the mission ends, or (``target`` >= 0) until at
    most ``target`` further failures would bring the system down (see
    ``_tree.needed``); returns the time reached and whether the target was."""
    mission = fparam(pf, FParam.MISSION_H)
    settled = False
    tt = timeline.next_change(sf)  # the demand or capacity factor changes: no event
    while True:
        tf, df = clocks.next_failure(pi, pf, si, sf)
        tw = events.next_time(si, sf)
        tn = min(tf, tw, tt)
        if tn > t and not settled:
            # every event at t is done (zero-length swaps included): observe the system;
            # if that froze or thawed the clocks, look for the next event again
            settled = True
            if settle(pi, pf, si, sf, t):
                continue
            if target >= 0 and tree.needed(pi, si) <= target:
                return t, True
        if tn >= mission:
            return t, False
        tick(pi, si)
        account.integrate(pi, pf, si, sf, t, tn, row)
        t = tn
        if tt <= tf and tt <= tw:  # nothing happens to the units: no need to settle
            timeline.step(pf, si, sf, t)
            tt = timeline.next_change(sf)
            continue
        settled = False
        if tw <= tf:
            on_wall_event(pi, pf, si, sf, su, t, row, True)
        else:
            _fail(pi, pf, si, sf, su, clocks.pop(pi, si, sf, df), t, row)


@kernel(inline="always", error_model="numpy")
def finish(pi, pf, si, sf, su, t, row):
    """Close the trial at the mission end (the last event was at ``t``) and write its
    outputs into ``row``."""
    account.advance(pi, pf, si, sf, t, fparam(pf, FParam.MISSION_H), row)
    account.finish(pi, pf, si, sf, su, row)
    kind = iparam(pi, IParam.WL_KIND)
    if kind == WorkloadKind.TRAINING:
        job.finish(pi, pf, si, sf, su, row)
    elif kind == WorkloadKind.SERVING:
        serving.finish(pi, pf, si, sf, su, row)


@kernel(inline="always", error_model="numpy")
def trial(pi, pf, si, sf, su, key, row):
    """Simulate one trial with trial key ``key``; its outputs go to ``row`` (laid out
    by the plan's ``out_off``, see ``spec.OUTPUTS``)."""
    reset(pi, pf, si, sf, su, key, True)
    t, _ = run(pi, pf, si, sf, su, 0.0, -1, row)
    finish(pi, pf, si, sf, su, t, row)
