"""Stages of fixed-effort splitting on the per-unit engine.

A stage runs a set of trajectories, each from a saved entrance state (or from the
start of the mission), until the system is one level closer to failure (the
importance function is ``_tree.needed``) or the mission ends, and saves the states
where they arrived. A clone differs from its siblings because every armed failure
clock draws a fresh residual life conditional on its age (``_clocks.fresh_residuals``):
lives are drawn independently and a trajectory learns of an unfired clock only that
it has not fired yet, so the residual given the history is the law conditioned on
survival to the age (exact). Restorations keep their drawn end times (valid, merely
less diverse).
"""

from __future__ import annotations

from reliability.engine import _account as account
from reliability.engine import _clocks as clocks
from reliability.engine import _loop as loop
from reliability.engine import _tree as tree
from reliability.engine._access import fparam, fvar
from reliability.engine._jit import kernel
from reliability.engine.spec import KEY0, FParam, FVar


@kernel(forceinline=True)
def _copy(dst, src):
    # an element loop: a slice assignment may copy through a temporary, which needs NRT
    for i in range(dst.shape[0]):
        dst[i] = src[i]


@kernel(error_model="numpy")
def _unplanned_down(sf):
    return fvar(sf, FVar.DOWN_H) - fvar(sf, FVar.PLANNED_H)


@kernel(error_model="numpy")
def initial_need(pi, pf, si, sf, su):
    """Failures needed to bring the all-up system down at the start of a trial: the
    number of splitting levels."""
    loop.reset(pi, pf, si, sf, su, 0, True)
    return tree.needed(pi, si)


@kernel(error_model="numpy")
def run_stage(
    pi,
    pf,
    si,
    sf,
    su,
    fresh,
    start_si,
    start_sf,
    start_su,
    start_t,
    pick,
    keys,
    target,
    out_si,
    out_sf,
    out_su,
    out_t,
    hit,
    downtime,
    row,
):
    """Run ``len(keys)`` trajectories of one stage.

    Trajectory ``j`` starts at the mission start (``fresh``) or from entrance state
    ``pick[j]`` (rows of ``start_*``), with its own key ``keys[j]``. With ``target`` >= 0
    it stops when at most ``target`` further failures would bring the system down:
    ``hit[j] = 1`` and its state is saved in row ``j`` of ``out_*``. With ``target`` < 0
    it runs to the mission end and ``downtime[j]`` is the unplanned system downtime
    (after warm-up) it accrued from its start. ``row`` is a scratch row of outputs: a
    stage keeps no per-trial summaries.
    """
    mission = fparam(pf, FParam.MISSION_H)
    for j in range(keys.shape[0]):
        if fresh:
            loop.reset(pi, pf, si, sf, su, keys[j], True)
            t = 0.0
        else:
            s = pick[j]
            _copy(si, start_si[s])
            _copy(sf, start_sf[s])
            _copy(su, start_su[s])
            su[KEY0] = keys[j]
            t = start_t[s]
            clocks.fresh_residuals(pi, pf, si, sf, su, t)
        before = _unplanned_down(sf)
        t, reached = loop.run(pi, pf, si, sf, su, t, target, row)
        if target >= 0:
            hit[j] = 1 if reached else 0
            if reached:
                _copy(out_si[j], si)
                _copy(out_sf[j], sf)
                _copy(out_su[j], su)
                out_t[j] = t
        else:
            account.advance(pi, pf, si, sf, t, mission, row)
            downtime[j] = _unplanned_down(sf) - before
