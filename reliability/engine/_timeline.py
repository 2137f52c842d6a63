"""Deterministic time structure of what is asked and what can run: the demand (unit
slots wanted), the capacity factor (the share of usable slots that can run at once,
e.g. derated for heat) and the power limits (the units each satellite can run in
sunlight and in eclipse, and the eclipse share), each a steps function of mission
time.

Both are known in advance, so they are integrated, never simulated: no event is
scheduled for them. The event loops treat the next change (:func:`next_change`) as a
time at which to stop integrating and :func:`step` (nothing happens to the units, so
nothing is settled), and ``_account.advance`` splits the last stretch to the mission
end at them.
"""

from __future__ import annotations

import math

from reliability.engine._access import count, fvar, get, ivar, set_fvar, set_ivar
from reliability.engine._jit import kernel
from reliability.engine.spec import PF, FVar, IVar


@kernel(forceinline=True, error_model="numpy")
def _next(pf, si):
    d = ivar(si, IVar.DEM_PIECE) + 1
    f = ivar(si, IVar.CF_PIECE) + 1
    w = ivar(si, IVar.PW_PIECE) + 1
    td = get(pf, PF.DEM_T, d) if d < count(pf, PF.DEM_T) else math.inf
    tf = get(pf, PF.CF_T, f) if f < count(pf, PF.CF_T) else math.inf
    tw = get(pf, PF.PW_T, w) if w < count(pf, PF.PW_T) else math.inf
    return min(td, tf, tw)


@kernel(forceinline=True, error_model="numpy")
def reset(pi, pf, si, sf, su):
    """Start a trial on the first piece of each series."""
    set_ivar(si, IVar.DEM_PIECE, 0)
    set_fvar(sf, FVar.DEMAND, get(pf, PF.DEM_M, 0))
    set_ivar(si, IVar.CF_PIECE, 0)
    set_fvar(sf, FVar.CAP_FACTOR, get(pf, PF.CF_M, 0))
    set_ivar(si, IVar.PW_PIECE, 0)
    set_fvar(sf, FVar.NEXT_CHANGE, _next(pf, si))


@kernel(forceinline=True, error_model="numpy")
def next_change(sf):
    """When the demand or the capacity factor next changes (inf: never)."""
    return fvar(sf, FVar.NEXT_CHANGE)


@kernel(forceinline=True, error_model="numpy")
def step(pf, si, sf, t):
    """The series whose next piece starts at ``t`` move to it."""
    d = ivar(si, IVar.DEM_PIECE) + 1
    if d < count(pf, PF.DEM_T) and get(pf, PF.DEM_T, d) == t:
        set_ivar(si, IVar.DEM_PIECE, d)
        set_fvar(sf, FVar.DEMAND, get(pf, PF.DEM_M, d))
    f = ivar(si, IVar.CF_PIECE) + 1
    if f < count(pf, PF.CF_T) and get(pf, PF.CF_T, f) == t:
        set_ivar(si, IVar.CF_PIECE, f)
        set_fvar(sf, FVar.CAP_FACTOR, get(pf, PF.CF_M, f))
    w = ivar(si, IVar.PW_PIECE) + 1
    if w < count(pf, PF.PW_T) and get(pf, PF.PW_T, w) == t:
        set_ivar(si, IVar.PW_PIECE, w)
    set_fvar(sf, FVar.NEXT_CHANGE, _next(pf, si))
