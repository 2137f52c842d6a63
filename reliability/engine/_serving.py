"""Serving: a demand of unit slots over mission time, met by the usable capacity.

The demand is a steps function of mission time (one piece without a profile). It is
deterministic time structure, so it is integrated, not simulated: the accounting
splits an interval at the demand's breakpoints (:func:`next_change`, :func:`step`)
and no event is ever scheduled for them. Delivered is min(usable, demand).
"""

from __future__ import annotations

import math

from reliability.engine import _profiles as prof
from reliability.engine._access import count, fparam, fvar, get, ivar, out, set_fvar, set_ivar
from reliability.engine._jit import kernel
from reliability.engine.spec import PF, FParam, FVar, IVar, Out


@kernel(forceinline=True, error_model="numpy")
def reset(pf, si, sf):
    """Start a trial on the demand's first piece."""
    set_ivar(si, IVar.DEM_PIECE, 0)
    set_fvar(sf, FVar.DEMAND, get(pf, PF.DEM_M, 0))


@kernel(forceinline=True, error_model="numpy")
def next_change(pf, si):
    """When the demand next changes (inf: never)."""
    piece = ivar(si, IVar.DEM_PIECE) + 1
    return get(pf, PF.DEM_T, piece) if piece < count(pf, PF.DEM_T) else math.inf


@kernel(forceinline=True, error_model="numpy")
def step(pf, si, sf):
    """The demand moves to its next piece."""
    piece = ivar(si, IVar.DEM_PIECE) + 1
    set_ivar(si, IVar.DEM_PIECE, piece)
    set_fvar(sf, FVar.DEMAND, get(pf, PF.DEM_M, piece))


@kernel(error_model="numpy")
def finish(pi, pf, sf, row):
    """Serving outputs of a trial: delivered fraction of demand (overall and per grid
    cell) and the share of the measured window that met the SLO."""
    window = fparam(pf, FParam.MISSION_H) - fparam(pf, FParam.WARMUP_H)
    dt = pf[int(pf[PF.DEM_T]) :]
    dm = pf[int(pf[PF.DEM_M]) :]
    dc = pf[int(pf[PF.DEM_C]) :]
    nd = count(pf, PF.DEM_T)
    good = out(pi, Out.GOODPUT)
    for ci in range(count(pf, PF.EDGES) - 1):
        lo = get(pf, PF.EDGES, ci)
        hi = get(pf, PF.EDGES, ci + 1)
        # delivered fraction of the cell's demand (1 when nothing is wanted)
        wanted = prof.steps_cum(dt, dm, dc, 0, nd, hi) - prof.steps_cum(dt, dm, dc, 0, nd, lo)
        row[good + ci] = row[good + ci] / wanted if wanted > 0 else 1.0
    wanted_h = fvar(sf, FVar.WANTED_H)
    served = fvar(sf, FVar.SERVED_H) / wanted_h if wanted_h > 0 else 1.0
    row[out(pi, Out.THROUGHPUT)] = min(1.0, max(0.0, served))
    row[out(pi, Out.SLO_ATTAINMENT)] = min(1.0, max(0.0, fvar(sf, FVar.SLO_H) / window))
