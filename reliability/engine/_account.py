"""Accounting: the state between two events integrated into the trial's outputs.

Between events the state is constant, so availability, capacity, downtime by cause
and the capacity grid are exact integrals, accumulated at each event
(:func:`integrate`); a trial's row of outputs (see
:data:`~reliability.engine.spec.OUTPUTS`) is finished at the mission end
(:func:`finish`). The demand and the capacity factor (:mod:`._timeline`) are
constant between their breakpoints, where the event loops stop too; :func:`advance`
splits the last stretch at them.
"""

from __future__ import annotations

import math

import numpy as np

from reliability.engine import _laws as laws
from reliability.engine import _timeline as timeline
from reliability.engine import streams as rnd
from reliability.engine._access import (
    add_ivar,
    count,
    fparam,
    fvar,
    get,
    iparam,
    ivar,
    out,
    set_fvar,
    set_ivar,
    trial_key,
)
from reliability.engine._clocks import lam
from reliability.engine._jit import kernel
from reliability.engine._tree import system_up
from reliability.engine.spec import (
    FVARS0,
    IVARS0,
    PF,
    SF,
    Effect,
    FParam,
    FVar,
    IParam,
    IVar,
    Out,
    P,
    S,
    Stream,
    WorkloadKind,
)


@kernel(error_model="numpy")  # out of line: only when grid cells close
def stock_at(pi, si, c0, c1, row):
    """The free spares (stock less those reserved by swaps under way) of the unit
    pools and of the pools of spare groups, stored as the end of grid cells c0..c1-1
    (the state is the same at all of them)."""
    units = 0
    groups = 0
    for sp in range(iparam(pi, IParam.N_SP)):
        free = get(si, S.SP_STOCK, sp) - get(si, S.SP_RES, sp)
        if get(pi, P.SP_GROUP, sp):
            groups += free
        else:
            units += free
    for ci in range(c0, c1):
        row[out(pi, Out.SPARE_STOCK) + ci] = units
        row[out(pi, Out.GROUP_SPARE_STOCK) + ci] = groups


@kernel(forceinline=True, error_model="numpy")
def _carried(pf, x):
    """Units' worth of results a satellite's links carry when ``x`` units' worth run
    (the plan's table at whole units, linear between them)."""
    n = count(pf, PF.LK_D)
    if x >= n - 1:
        return get(pf, PF.LK_D, n - 1)
    i = int(x)
    lo = get(pf, PF.LK_D, i)
    return lo + (x - i) * (get(pf, PF.LK_D, i + 1) - lo)


@kernel(error_model="numpy")
def _powered(pi, pf, si, cf, demand):
    """Power and link limits: each powered group (satellite) runs at most the piece's
    units in sunlight, and in eclipse what the piece's table gives for its usable
    units; a group counts while every group above it, but the root, is up (the root's
    capacity counts regardless, as without power). Its links carry the share
    ``carried(x) / x`` of what its units produce, ``x`` the orbit's mean of units
    running (the store smooths over an orbit). The eclipse share ``f`` of the piece
    weighs sunlight and eclipse: (capacity, served demand, share of the time meeting
    the SLO, capacity before the links). The power limits are exact in expectation
    (events fall at any phase of the orbit); the links' table is the mission's mean
    (the windows change little from month to month; a mission of days sees their
    daily swing averaged)."""
    piece = ivar(si, IVar.PW_PIECE)
    n_sun = get(pi, P.PW_SUN, piece)
    f = get(pf, PF.PW_FRAC, piece)
    links = count(pf, PF.LK_D) > 0
    # eclipse counts by usable units: a satellite that lost units draws less in
    # sunlight and has more left for its battery
    width = count(pi, P.PW_ECL) // count(pf, PF.PW_T)
    row0 = piece * width
    sun = 0.0
    ecl = 0.0
    sun_p = 0.0  # the same before the links
    ecl_p = 0.0
    for j in range(count(pi, P.PW_GROUP)):
        g = get(pi, P.PW_GROUP, j)
        h = g
        live = True
        while h > 0:
            if get(si, S.G_UP, h) == 0:
                live = False
                break
            h = get(pi, P.GROUP_PARENT, h)
        if live:
            use = get(si, S.G_USE, g)
            s = float(min(use, n_sun))
            e = float(get(pi, P.PW_ECL, row0 + min(use, width - 1)))
            sun_p += s
            ecl_p += e
            x = (1.0 - f) * s + f * e
            if links and x * cf > 0.0:  # a derating may step to 0
                share = _carried(pf, x * cf) / (x * cf)
                s *= share
                e *= share
            sun += s
            ecl += e
    cap_s = sun * cf
    cap_e = ecl * cf
    slo = fparam(pf, FParam.WL_SLO) * demand * (1.0 - 1e-12)
    served_s = min(cap_s, demand)
    served_e = min(cap_e, demand)
    met = (1.0 - f) * (1.0 if served_s >= slo else 0.0) + f * (1.0 if served_e >= slo else 0.0)
    cap = (1.0 - f) * cap_s + f * cap_e
    ran = cap if not links else (1.0 - f) * (sun_p * cf) + f * (ecl_p * cf)
    return cap, (1.0 - f) * served_s + f * served_e, met, ran


@kernel(forceinline=True, error_model="numpy")
def integrate(pi, pf, si, sf, t0, t1, row):
    """Integrate the current state over [t0, t1) into the outputs; the demand and the
    capacity factor must not change inside it (the event loops stop at their
    changes; :func:`advance` splits at them)."""
    # this runs at every event: offsets are read once (numba cannot prove that the
    # state arrays do not alias, so it would reload them after every store)
    iv = IVARS0
    fv = FVARS0
    planned = si[iv + IVar.PLANNED]
    sys_up = si[si[S.G_UP]] == 1 and planned == 0
    # usable units that run (normalised by the unit count once, at the end of the trial)
    cf = sf[fv + FVar.CAP_FACTOR]
    usable = 0.0 if planned else float(si[si[S.G_USE]]) * cf
    serving_ = iparam(pi, IParam.WL_KIND) == WorkloadKind.SERVING
    demand = sf[fv + FVar.DEMAND] if serving_ else 0.0
    cap = usable
    served = min(cap, demand)
    slo_share = 1.0 if served >= fparam(pf, FParam.WL_SLO) * demand * (1.0 - 1e-12) else 0.0
    ran = cap
    if count(pf, PF.PW_T) and not planned:  # no call for a design without power limits
        cap, served, slo_share, ran = _powered(pi, pf, si, cf, demand)
    a = max(t0, fparam(pf, FParam.WARMUP_H))
    if t1 > a:
        w = t1 - a
        sf[fv + (FVar.UP_H if sys_up else FVar.DOWN_H)] += w
        if planned:
            sf[fv + FVar.PLANNED_H] += w
        elif not sys_up:
            row[out(pi, Out.OUTAGE_DOWNTIME_H) + si[iv + IVar.CAUSE]] += w
        sf[fv + FVar.CAP_H] += cap * w
        sf[fv + FVar.UNPOWERED_H] += (usable - ran) * w
        sf[fv + FVar.UNLINKED_H] += (ran - cap) * w
        if serving_:
            sf[fv + FVar.SERVED_H] += served * w
            sf[fv + FVar.WANTED_H] += demand * w
            sf[fv + FVar.SLO_H] += slo_share * w
    s = t0
    ci = si[iv + IVar.CELL]
    n_cells = iparam(pi, IParam.N_CELLS)
    edges = int(pf[PF.EDGES]) + 1  # edges[ci + 1] is the end of cell ci
    o_cap = out(pi, Out.CAPACITY)
    # cells ending strictly before t1 close now: the state at their end is known
    while ci < n_cells and pf[edges + ci] < t1:
        e = pf[edges + ci]
        row[o_cap + ci] += cap * (e - s)
        if serving_:
            row[out(pi, Out.GOODPUT) + ci] += served * (e - s)
        row[out(pi, Out.SYSTEM_UP) + ci] = 1.0 if sys_up else 0.0
        if iparam(pi, IParam.N_SP):  # no call for a design without spare pools
            stock_at(pi, si, ci, ci + 1, row)
        s = e
        ci += 1
    if ci < n_cells and t1 > s:
        row[o_cap + ci] += cap * (t1 - s)
        if serving_:
            row[out(pi, Out.GOODPUT) + ci] += served * (t1 - s)
    si[iv + IVar.CELL] = ci


@kernel(forceinline=True, error_model="numpy")
def advance(pi, pf, si, sf, t0, t1, row):
    """Integrate the state over [t0, t1), split where the demand or the capacity
    factor changes (a change at t1 itself takes effect after it): the last stretch to
    the mission end, or to where a splitting trajectory stopped."""
    while True:
        b = timeline.next_change(sf)
        integrate(pi, pf, si, sf, t0, min(b, t1), row)
        if b > t1:
            return
        timeline.step(pf, si, sf, b)
        if b == t1:
            return
        t0 = b


@kernel(forceinline=True, error_model="numpy")
def unit_down_time(pi, pf, sf, unit, t, row, m):
    """Charge the unit-hours ``unit`` was down (after warm-up) to failure mode ``m``."""
    a = max(get(sf, SF.UNIT_TFAIL, unit), fparam(pf, FParam.WARMUP_H))
    if t > a:
        row[out(pi, Out.UNIT_DOWNTIME_H) + m] += t - a


@kernel(forceinline=True, error_model="numpy")
def count_fault(pi, pf, m, t, row):
    """A fault of mode ``m`` at ``t`` (counted in the measured window)."""
    if t >= fparam(pf, FParam.WARMUP_H):
        row[out(pi, Out.FAILURES) + m] += 1.0


@kernel(forceinline=True, error_model="numpy")
def observe(pi, pf, si, sf, t):
    """The system after the events at ``t``: an outage that starts is counted and
    charged to the mode of the latest unit failure; the first one starting in the
    measured window (at or after the warm-up) sets the time to first failure, in
    mission time."""
    iv = IVARS0
    root = si[si[S.G_UP]]
    if root != si[iv + IVar.ROOTPREV]:
        if root == 0:
            si[iv + IVar.CAUSE] = si[iv + IVar.LASTMODE]
            if t >= fparam(pf, FParam.WARMUP_H):  # the measured window, as every metric
                si[iv + IVar.OUTAGES] += 1
                if math.isnan(fvar(sf, FVar.TTFF_H)):
                    set_fvar(sf, FVar.TTFF_H, t)
        si[iv + IVar.ROOTPREV] = root


@kernel(forceinline=True, error_model="numpy")
def spare_used(pf, si, t):
    """A swap completed at ``t``."""
    if t >= fparam(pf, FParam.WARMUP_H):
        add_ivar(si, IVar.SPARES, 1)


@kernel(error_model="numpy")
def _count_aggregates(pi, pf, sf, su, row):
    """Faults counted, not simulated (ECC-corrected upsets): a Poisson draw of their
    number over the measured window in every unit of the last level (platforms have
    hardware modes only)."""
    n = get(pi, P.GROUP_UNITS, 0)
    key = trial_key(su)
    warmup = fparam(pf, FParam.WARMUP_H)
    o_fail = out(pi, Out.FAILURES)
    for m in range(iparam(pi, IParam.N_MODES)):
        if get(pi, P.MODE_EFFECT, m) != Effect.COUNTED:
            continue
        d = get(pi, P.MODE_DOM, m)
        exposure = lam(pi, pf, sf, d, fparam(pf, FParam.MISSION_H)) - lam(pi, pf, sf, d, warmup)
        mean = n * exposure / get(pf, PF.MODE_P1, m)
        k = laws.poisson(mean, key, rnd.stream_id(Stream.AGGREGATE, m, 0), np.uint64(0))
        row[o_fail + m] = k


@kernel(forceinline=True, error_model="numpy")
def reset(pi, pf, si, sf, su):
    """Start a trial's accounts (the state is zeroed already)."""
    set_fvar(sf, FVar.TTFF_H, np.nan)
    set_fvar(sf, FVar.DONE_H, np.nan)
    set_ivar(si, IVar.ROOTPREV, 1)


@kernel(error_model="numpy")
def finish(pi, pf, si, sf, su, row):
    """The system's outputs at the mission end (the state is integrated up to it).

    Without a workload every usable slot is wanted: throughput and goodput are the
    capacity, and there is no SLO and no job to complete.
    """
    n = get(pi, P.GROUP_UNITS, 0)  # units of the last level: the capacity is theirs
    mission = fparam(pf, FParam.MISSION_H)
    for unit in range(iparam(pi, IParam.N_UNITS)):  # platforms too
        if not get(si, S.UNIT_UP, unit):
            unit_down_time(pi, pf, sf, unit, mission, row, get(si, S.UNIT_FMODE, unit))
    _count_aggregates(pi, pf, sf, su, row)
    up = 1.0 if system_up(si) else 0.0
    o_up = out(pi, Out.SYSTEM_UP)
    o_cap = out(pi, Out.CAPACITY)
    o_good = out(pi, Out.GOODPUT)
    n_cells = iparam(pi, IParam.N_CELLS)
    for ci in range(ivar(si, IVar.CELL), n_cells):
        row[o_up + ci] = up
    stock_at(pi, si, ivar(si, IVar.CELL), n_cells, row)
    wanted_all = iparam(pi, IParam.WL_KIND) == WorkloadKind.NONE
    for ci in range(n_cells):
        lo = get(pf, PF.EDGES, ci)
        hi = get(pf, PF.EDGES, ci + 1)
        frac = row[o_cap + ci] / ((hi - lo) * n)
        row[o_cap + ci] = min(1.0, max(0.0, frac))
        if wanted_all:
            row[o_good + ci] = row[o_cap + ci]
    window = mission - fparam(pf, FParam.WARMUP_H)
    capacity = min(1.0, max(0.0, fvar(sf, FVar.CAP_H) / (window * n)))
    # fractions are sums of many intervals: clip the last-bit rounding into [0, 1]
    row[out(pi, Out.AVAILABILITY)] = min(1.0, max(0.0, fvar(sf, FVar.UP_H) / window))
    row[out(pi, Out.MEAN_CAPACITY)] = capacity
    row[out(pi, Out.POWER_LIMITED)] = max(0.0, fvar(sf, FVar.UNPOWERED_H) / (window * n))
    row[out(pi, Out.LINK_LIMITED)] = max(0.0, fvar(sf, FVar.UNLINKED_H) / (window * n))
    row[out(pi, Out.OUTAGES)] = ivar(si, IVar.OUTAGES)
    row[out(pi, Out.DOWNTIME_H)] = fvar(sf, FVar.DOWN_H)
    row[out(pi, Out.PLANNED_DOWNTIME_H)] = fvar(sf, FVar.PLANNED_H)
    row[out(pi, Out.TIME_TO_FIRST_FAILURE_H)] = fvar(sf, FVar.TTFF_H)
    row[out(pi, Out.SPARES_USED)] = ivar(si, IVar.SPARES)
    row[out(pi, Out.THROUGHPUT)] = capacity
    row[out(pi, Out.SLO_ATTAINMENT)] = np.nan
    row[out(pi, Out.JOB_COMPLETION_H)] = fvar(sf, FVar.DONE_H)
