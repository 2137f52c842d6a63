"""Serving: a demand of unit slots over mission time, met by the usable capacity.

Delivered is min(usable x capacity factor, demand), integrated by the accounting
over the demand's pieces (:mod:`._timeline`); this module turns the integrals into
the trial's serving outputs at the mission end.
"""

from __future__ import annotations

from reliability.engine import _profiles as prof
from reliability.engine._access import count, fparam, fvar, get, out
from reliability.engine._jit import kernel
from reliability.engine.spec import PF, FParam, FVar, Out


@kernel(error_model="numpy")
def finish(pi, pf, si, sf, su, row):
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
