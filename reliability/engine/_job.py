"""Training: one synchronous job with checkpoints, on particular accelerators.

A synchronous job spans m accelerators (its members). It computes for tau, writes a
checkpoint for delta, and commits the work; an interrupt on a member (the unit going
down) loses the work since the last commit and costs a restart; silent corruption on
a member is found after a latency (even once the job has finished on it; several may
be pending, see :func:`on_silent`) and rolls back to the last checkpoint written
before it, or, when only the newest ``wl_keep`` checkpoints are kept and that one
is gone, to the job's first step. Without m units up the job waits (or, if elastic, runs slower). A
servicing visit that stops the cluster is a planned stop: the job checkpoints at no
cost and waits for the end of the visit.

Hooks: :func:`reset`, :func:`on_event` (its event kinds) and :func:`finish`, called
by the loop; :func:`on_unit_down`, :func:`on_unit_up`, :func:`on_silent`,
:func:`on_planned` and :func:`restart_after_visit`, called through ``_notify``.
"""

from __future__ import annotations

import math

from reliability.engine import _events as events
from reliability.engine import _laws as laws
from reliability.engine import _profiles as prof
from reliability.engine import streams as rnd
from reliability.engine._access import (
    add_ivar,
    count,
    fparam,
    fvar,
    get,
    iparam,
    ivar,
    next_count,
    out,
    put,
    set_fvar,
    set_ivar,
    trial_key,
)
from reliability.engine._jit import kernel
from reliability.engine.spec import PF, Counter, Event, FParam, FVar, IParam, IVar, Out, S, Stream

# phases of the job
WAIT, RUN, CKPT, RESTART, DONE = 0, 1, 2, 3, 4
#: pending corruptions tracked at once (levels of IVar/FVar sdc_*_0..3)
SDC_DEPTH = 4


@kernel(forceinline=True, error_model="numpy")
def _credit(pi, pf, row, t0, t1, work):
    """Spread committed ``work`` evenly over the grid cells of [t0, t1]."""
    if work == 0.0:
        return
    good = out(pi, Out.GOODPUT)
    n_cells = count(pf, PF.EDGES) - 1
    ci = prof.find(pf[int(pf[PF.EDGES]) :], 0, n_cells, t0)  # the cell holding t0
    if t1 <= t0:
        row[good + ci] += work
        return
    rate = work / (t1 - t0)
    a = t0
    while a < t1 and ci < n_cells:
        b = min(t1, get(pf, PF.EDGES, ci + 1)) if ci < n_cells - 1 else t1
        row[good + ci] += rate * (b - a)
        a = b
        ci += 1


@kernel(error_model="numpy")
def _fill(pi, si):
    """Recruit up non-members until the job has m members (or no one is left)."""
    n = iparam(pi, IParam.N_UNITS)
    m = iparam(pi, IParam.WL_M)
    free = ivar(si, IVar.UP) - ivar(si, IVar.JOB_N)
    cur = ivar(si, IVar.JOB_CURSOR)
    while ivar(si, IVar.JOB_N) < m and free > 0:
        if get(si, S.UNIT_UP, cur) and not get(si, S.UNIT_MEMBER, cur):
            put(si, S.UNIT_MEMBER, cur, 1)
            add_ivar(si, IVar.JOB_N, 1)
            free -= 1
        cur = cur + 1 if cur + 1 < n else 0
    set_ivar(si, IVar.JOB_CURSOR, cur)


@kernel(error_model="numpy")
def _restart(pi, pf, si, sf, t):
    """Start a restart if the job has its accelerators and no servicing visit holds
    the cluster down, otherwise wait (the end of the visit restarts it)."""
    _fill(pi, si)
    have = ivar(si, IVar.JOB_N)
    if ivar(si, IVar.PLANNED) == 0 and (
        have >= iparam(pi, IParam.WL_M) or (iparam(pi, IParam.WL_ELASTIC) and have > 0)
    ):
        set_ivar(si, IVar.JOB_PHASE, RESTART)
        events.schedule(
            si, sf, events.ident(pi, Event.JOB_PHASE, 0), t + fparam(pf, FParam.WL_RESTART)
        )
    else:
        set_ivar(si, IVar.JOB_PHASE, WAIT)
        events.cancel(si, sf, events.ident(pi, Event.JOB_PHASE, 0))


@kernel(error_model="numpy")
def _compute(pi, pf, si, sf, t):
    """Start a compute segment: tau, or what is left of the work, at the current speed."""
    speed = min(1.0, ivar(si, IVar.JOB_N) / iparam(pi, IParam.WL_M))
    left = fparam(pf, FParam.WL_WORK) - fvar(sf, FVar.COMMITTED)
    # the interval in force now (Daly or Young follow the current failure rate)
    pieces = count(pf, PF.TAU_T)
    cut = iparam(pi, IParam.WL_CUT)
    # a checkpoint that ends on a piece's start belongs to it (rounding aside)
    piece = prof.find(pf[int(pf[PF.TAU_T]) :], 0, pieces, t + 1e-9 if cut else t)
    length = max(0.0, min(get(pf, PF.TAU_V, piece), left / speed))
    if cut:
        delta = fparam(pf, FParam.WL_DELTA)
        if piece + 1 < pieces and get(pf, PF.TAU_V, piece + 1) < get(pf, PF.TAU_V, piece):
            # a predictable rise of the interrupt rate (an SAA pass starts): checkpoint
            # just before it, or, too close to it already, just after it starts
            ahead = get(pf, PF.TAU_T, piece + 1) - delta - t
            length = min(length, ahead if ahead > 0.0 else get(pf, PF.TAU_T, piece + 1) - t)
        # and save the work before the mission ends (a checkpoint ending on the end
        # itself would not be counted)
        last = fparam(pf, FParam.MISSION_H) - delta - t - 1e-9
        if last > 0.0:
            length = min(length, last)
    set_fvar(sf, FVar.SPEED, speed)
    set_fvar(sf, FVar.SEG_START, t)
    set_fvar(sf, FVar.SEG_LEN, length)
    set_ivar(si, IVar.JOB_PHASE, RUN)
    events.schedule(si, sf, events.ident(pi, Event.JOB_PHASE, 0), t + length)


@kernel(error_model="numpy")
def _phase_end(pi, pf, si, sf, t, row):
    phase = ivar(si, IVar.JOB_PHASE)
    if phase == RESTART:
        _compute(pi, pf, si, sf, t)
    elif phase == RUN:
        set_ivar(si, IVar.JOB_PHASE, CKPT)
        events.schedule(
            si, sf, events.ident(pi, Event.JOB_PHASE, 0), t + fparam(pf, FParam.WL_DELTA)
        )
    elif phase == CKPT:
        end = fvar(sf, FVar.SEG_START) + fvar(sf, FVar.SEG_LEN)
        work = fvar(sf, FVar.SEG_LEN) * fvar(sf, FVar.SPEED)
        if not _commit(pi, pf, si, sf, row, t, end, work):
            _compute(pi, pf, si, sf, t)


@kernel(forceinline=True, error_model="numpy")
def _commit(pi, pf, si, sf, row, t, end, work):
    """A checkpoint written at ``t`` commits ``work`` done from the segment's start to
    ``end``: the work now lives in it. True when that completes the job (done at ``t``)."""
    set_fvar(sf, FVar.COMMITTED, fvar(sf, FVar.COMMITTED) + work)
    add_ivar(si, IVar.CKPTS, 1)
    set_ivar(si, IVar.CKPT_LIVE, ivar(si, IVar.CKPTS))
    _credit(pi, pf, row, fvar(sf, FVar.SEG_START), end, work)
    if fvar(sf, FVar.COMMITTED) < fparam(pf, FParam.WL_WORK) * (1.0 - 1e-12):
        return False
    set_ivar(si, IVar.JOB_PHASE, DONE)
    set_fvar(sf, FVar.DONE_H, t)
    return True


@kernel(error_model="numpy")
def _in_progress(sf, phase, t):
    """Work done since the last commit (lost if the job is interrupted now)."""
    if phase == RUN:
        return (t - fvar(sf, FVar.SEG_START)) * fvar(sf, FVar.SPEED)
    if phase == CKPT:
        return fvar(sf, FVar.SEG_LEN) * fvar(sf, FVar.SPEED)
    return 0.0


@kernel(error_model="numpy")
def _interrupt(pi, pf, si, sf, t, cause, row):
    phase = ivar(si, IVar.JOB_PHASE)
    if phase == DONE:
        return
    row[out(pi, Out.LOST_WORK_H) + cause] += _in_progress(sf, phase, t)
    # corruptions in the work this interrupt throws away (none committed since they
    # struck: the newest) are gone with it, and nothing is left of them to find
    _keep_clean(pi, si, sf, ivar(si, IVar.SDC_PENDING))
    _restart(pi, pf, si, sf, t)


@kernel(error_model="numpy")
def _sdc_pending(pi, si, sf, depth):
    """Keep the oldest ``depth`` pending corruptions; the newest of them is found
    first (see :func:`on_silent`): its detection is the one scheduled."""
    set_ivar(si, IVar.SDC_PENDING, depth)
    ident = events.ident(pi, Event.SDC_FOUND, 0)
    if depth > 0:
        events.schedule(si, sf, ident, fvar(sf, FVar.SDC_FOUND_0 + depth - 1))
    else:
        events.cancel(si, sf, ident)


@kernel(error_model="numpy")
def _keep_clean(pi, si, sf, depth):
    """Of the oldest ``depth`` pending corruptions, keep those in the work the job
    now holds: one that struck since the checkpoint that work lives in (in the work
    an interrupt threw away, or that a rollback took back) is gone."""
    live = ivar(si, IVar.CKPT_LIVE)
    kept = depth
    while kept > 0 and ivar(si, IVar.SDC_CKPTS_0 + kept - 1) >= live:
        kept -= 1
    if kept != ivar(si, IVar.SDC_PENDING):
        _sdc_pending(pi, si, sf, kept)


@kernel(error_model="numpy")
def _roll_back(pi, pf, si, sf, t, row, level, restarts):
    """Undo the work committed since pending corruption ``level``: back to the last
    checkpoint written before it or, when only the newest ``wl_keep`` are kept and
    that one is gone, to the job's first step (a restart from scratch, counted when
    ``restarts``)."""
    lost = out(pi, Out.LOST_WORK_H) + ivar(si, IVar.SDC_MODE_0 + level)
    good = fvar(sf, FVar.SDC_GOOD_0 + level)
    keep = iparam(pi, IParam.WL_KEEP)
    scratch = keep > 0 and ivar(si, IVar.CKPTS) - ivar(si, IVar.SDC_CKPTS_0 + level) >= keep
    if scratch:
        # the checkpoint before the corruption was deleted: every one kept is newer
        good = 0.0
        if restarts:
            row[out(pi, Out.JOB_RESTARTS)] += 1.0
    bad = fvar(sf, FVar.COMMITTED) - good
    if bad > 0:
        row[lost] += bad
        _credit(pi, pf, row, t, t, -bad)
        set_fvar(sf, FVar.COMMITTED, good)
    # the work now lives in that checkpoint (or the first step): a corruption striking
    # before the next commit has it as its clean one, and ages from its number
    set_ivar(si, IVar.CKPT_LIVE, 0 if scratch else ivar(si, IVar.SDC_CKPTS_0 + level))


@kernel(error_model="numpy")
def _sdc_found(pi, pf, si, sf, t, row):
    """The newest pending corruption is found: roll back to the last checkpoint
    written before it, and restart. A job that finished meanwhile finished on
    corrupted work: it is no longer done, and restarts from that checkpoint too. The
    older pending corruptions lie in the work kept, and are found later."""
    top = ivar(si, IVar.SDC_PENDING) - 1
    if top < 0:
        return
    phase = ivar(si, IVar.JOB_PHASE)
    _roll_back(pi, pf, si, sf, t, row, top, True)
    mode = ivar(si, IVar.SDC_MODE_0 + top)
    # the checkpoint restored predates the older ones that struck since it was
    # written (or, from scratch, all of them): those are gone too
    _keep_clean(pi, si, sf, top)
    if phase == DONE:
        set_fvar(sf, FVar.DONE_H, math.nan)
        _restart(pi, pf, si, sf, t)
    elif phase in (RUN, CKPT):
        row[out(pi, Out.LOST_WORK_H) + mode] += _in_progress(sf, phase, t)
        _restart(pi, pf, si, sf, t)


# ----------------------------------------------------------------------------- hooks


@kernel(error_model="numpy")
def reset(pi, pf, si, sf, su):
    """Start a trial: recruit the members and start computing (no restart cost)."""
    _fill(pi, si)
    if ivar(si, IVar.JOB_N) >= iparam(pi, IParam.WL_M):
        _compute(pi, pf, si, sf, 0.0)
    else:
        set_ivar(si, IVar.JOB_PHASE, WAIT)


@kernel(inline="always", error_model="numpy")
def on_event(pi, pf, si, sf, su, kind, index, t, row, own_clocks):
    """The job's wall-clock events: a phase ends, or a corruption is found."""
    if kind == Event.JOB_PHASE:
        _phase_end(pi, pf, si, sf, t, row)
    elif kind == Event.SDC_FOUND:
        _sdc_found(pi, pf, si, sf, t, row)
    else:
        raise RuntimeError("not an event kind of the training job")


@kernel(error_model="numpy")
def on_unit_down(pi, pf, si, sf, unit, m, t, row):
    """A unit went down (failure mode ``m``)."""
    add_ivar(si, IVar.UP, -1)
    if get(si, S.UNIT_MEMBER, unit):
        put(si, S.UNIT_MEMBER, unit, 0)
        add_ivar(si, IVar.JOB_N, -1)
        _interrupt(pi, pf, si, sf, t, m, row)


@kernel(error_model="numpy")
def on_unit_up(pi, pf, si, sf, t):
    """A unit came back: a waiting job may now restart."""
    add_ivar(si, IVar.UP, 1)
    if ivar(si, IVar.JOB_PHASE) == WAIT and ivar(si, IVar.PLANNED) == 0:
        _restart(pi, pf, si, sf, t)


@kernel(error_model="numpy")
def on_silent(pi, pf, si, sf, su, unit, m, t):
    """Silent corruption on a computing member: found after the detection latency
    (fixed, or drawn from its law).

    A corruption matters only if it is found before every older pending one: the
    rollback for an older one goes back before it and takes it away. So the pending
    corruptions that matter are found in the reverse order of their strikes, newest
    first, and are kept as a stack (at most :data:`SDC_DEPTH`; a fifth in such a chain
    is not tracked). With a fixed latency a newer one is always found later: at most
    one is pending."""
    phase = ivar(si, IVar.JOB_PHASE)
    if not get(si, S.UNIT_MEMBER, unit) or (phase != RUN and phase != CKPT):
        return
    depth = ivar(si, IVar.SDC_PENDING)
    if depth >= SDC_DEPTH or not math.isfinite(fparam(pf, FParam.WL_SDC_LATENCY)):
        return
    latency = fparam(pf, FParam.WL_SDC_LATENCY)
    law = iparam(pi, IParam.WL_SDC_LAW)
    if law >= 0:
        stream = rnd.stream_id(Stream.SDC, 0, 0)
        u = rnd.uniform(trial_key(su), stream, next_count(su, Counter.SDC))
        latency = laws.draw(law, fparam(pf, FParam.WL_SDC_P1), fparam(pf, FParam.WL_SDC_P2), u)
    found = t + latency
    if depth > 0 and found >= fvar(sf, FVar.SDC_FOUND_0 + depth - 1):
        return  # an older corruption is found first, and its rollback takes this away
    set_ivar(si, IVar.SDC_MODE_0 + depth, m)
    set_ivar(si, IVar.SDC_CKPTS_0 + depth, ivar(si, IVar.CKPT_LIVE))
    set_fvar(sf, FVar.SDC_GOOD_0 + depth, fvar(sf, FVar.COMMITTED))
    set_fvar(sf, FVar.SDC_FOUND_0 + depth, found)
    _sdc_pending(pi, si, sf, depth + 1)


@kernel(error_model="numpy")
def on_planned(pi, pf, si, sf, unit, t, row):
    """A planned stop: of the cluster (``unit`` < 0, a servicing visit), after which
    the job waits for the end of the visit, or of one of its members (a maintenance
    turn), after which it restarts without it. Either way the job checkpoints first,
    at no cost: the stop is planned."""
    phase = ivar(si, IVar.JOB_PHASE)
    if phase == DONE or (unit >= 0 and not get(si, S.UNIT_MEMBER, unit)):
        return
    events.cancel(si, sf, events.ident(pi, Event.JOB_PHASE, 0))
    if phase in (RUN, CKPT):
        end = min(t, fvar(sf, FVar.SEG_START) + fvar(sf, FVar.SEG_LEN))
        if _commit(pi, pf, si, sf, row, t, end, _in_progress(sf, phase, t)):
            return  # the planned checkpoint saved the last work
    set_ivar(si, IVar.JOB_PHASE, WAIT)


@kernel(error_model="numpy")
def restart_after_visit(pi, pf, si, sf, t):
    """The end of a servicing visit: a waiting job restarts if it can."""
    if ivar(si, IVar.JOB_PHASE) == WAIT:
        _restart(pi, pf, si, sf, t)


@kernel(error_model="numpy")
def finish(pi, pf, si, sf, su, row):
    """Training outputs of a trial: committed work per hour in each grid cell, and
    committed work per wall hour to the job's completion (or the mission end). Work
    built on a corruption still unfound at the mission end is not useful: it is
    rolled back as if the corruption were found then, and a job that finished on it
    is not done."""
    if ivar(si, IVar.SDC_PENDING):
        # the oldest one's rollback goes back furthest, taking the others with it
        _roll_back(pi, pf, si, sf, fparam(pf, FParam.MISSION_H), row, 0, False)
        set_ivar(si, IVar.SDC_PENDING, 0)
        set_fvar(sf, FVar.DONE_H, math.nan)
    good = out(pi, Out.GOODPUT)
    for ci in range(count(pf, PF.EDGES) - 1):
        row[good + ci] = row[good + ci] / (get(pf, PF.EDGES, ci + 1) - get(pf, PF.EDGES, ci))
    done = fvar(sf, FVar.DONE_H)
    wall = done if math.isfinite(done) else fparam(pf, FParam.MISSION_H)
    row[out(pi, Out.THROUGHPUT)] = fvar(sf, FVar.COMMITTED) / wall
    row[out(pi, Out.SLO_ATTAINMENT)] = math.nan
    row[out(pi, Out.JOB_COMPLETION_H)] = done
