"""Stages of fixed-effort splitting on the per-unit kernel.

A stage runs a set of trajectories, each from a saved entrance state (or from the
start of the mission), until the system is one level closer to failure (the
importance function is ``_kernel._needed``) or the mission ends, and saves the
states where they arrived. A clone differs from its siblings because every armed
failure clock draws a fresh residual life conditional on its age: lives are drawn
independently and a trajectory learns of an unfired clock only that it has not fired
yet, so the residual given the history is the law conditioned on survival to the
age (exact). Restorations keep their drawn end times (valid, merely less diverse).
"""

from __future__ import annotations

from reliability.engine import _laws as laws
from reliability.engine._jit import kernel
from reliability.engine._kernel import (
    _advance,
    _arm,
    _disarm,
    _fs,
    _g,
    _is,
    _life_uniform,
    _op_now,
    _reset,
    _run,
    _set,
)
from reliability.engine._layout import (
    F_DOWN,
    F_PLANNED,
    MISSION,
    N_DOM,
    P_CLOCK_MODE,
    P_DOM_HOFF,
    P_MODE_DOM,
    P_MODE_LAW,
    PF_MODE_P1,
    PF_MODE_P2,
    S_FH_POS,
    SF_CLK_DEADLINE,
    SF_CLK_ORIGIN,
    SF_FS,
    SU_KEY,
)


@kernel(error_model="numpy")
def _fresh_residuals(pi, pf, si, sf, su, t):
    """Every armed failure clock draws its remaining life afresh, given its age at t."""
    for c in range(_g(pi, P_DOM_HOFF, _is(pi, N_DOM))):
        if _g(si, S_FH_POS, c) < 0:
            continue
        m = _g(pi, P_CLOCK_MODE, c)
        d = _g(pi, P_MODE_DOM, m)
        age = _op_now(pi, pf, si, sf, d, t) - _g(sf, SF_CLK_ORIGIN, c)
        u = _life_uniform(pi, su, c)
        law, p1, p2 = _g(pi, P_MODE_LAW, m), _g(pf, PF_MODE_P1, m), _g(pf, PF_MODE_P2, m)
        _disarm(pi, si, sf, c)
        _set(sf, SF_CLK_DEADLINE, c, laws.draw_after(law, p1, p2, max(age, 0.0), u))
        _arm(pi, si, sf, c)


@kernel(forceinline=True)
def _copy(dst, src):
    # an element loop: a slice assignment may copy through a temporary, which needs NRT
    for i in range(dst.shape[0]):
        dst[i] = src[i]


@kernel(error_model="numpy")
def _unplanned_down(sf):
    return _g(sf, SF_FS, F_DOWN) - _g(sf, SF_FS, F_PLANNED)


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
    rows,
):
    """Run ``len(keys)`` trajectories of one stage.

    Trajectory ``j`` starts at the mission start (``fresh``) or from entrance state
    ``pick[j]`` (rows of ``start_*``), with its own key ``keys[j]``. With ``target`` >= 0
    it stops when at most ``target`` further failures would bring the system down:
    ``hit[j] = 1`` and its state is saved in row ``j`` of ``out_*``. With ``target`` < 0
    it runs to the mission end and ``downtime[j]`` is the unplanned system downtime
    (after warm-up) it accrued from its start. ``rows`` are scratch output rows (see
    ``_kernel._trial``): a stage keeps no per-trial summaries.
    """
    mission = _fs(pf, MISSION)
    cap_row, up_row, _, _, cause_row, _, good_row = rows
    for j in range(keys.shape[0]):
        if fresh:
            _reset(pi, pf, si, sf, su, keys[j], True)
            t = 0.0
        else:
            s = pick[j]
            _copy(si, start_si[s])
            _copy(sf, start_sf[s])
            _copy(su, start_su[s])
            su[int(su[SU_KEY])] = keys[j]
            t = start_t[s]
            _fresh_residuals(pi, pf, si, sf, su, t)
        before = _unplanned_down(sf)
        t, reached = _run(pi, pf, si, sf, su, t, target, rows)
        if target >= 0:
            hit[j] = 1 if reached else 0
            if reached:
                _copy(out_si[j], si)
                _copy(out_sf[j], sf)
                _copy(out_su[j], su)
                out_t[j] = t
        else:
            _advance(pi, pf, si, sf, t, mission, cap_row, up_row, cause_row, good_row)
            downtime[j] = _unplanned_down(sf) - before
