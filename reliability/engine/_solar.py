"""Solar particle events: drawn once per trial and laid out as a steps profile.

Events arrive as a Poisson process at the occurrence rate of the plan (active solar
years only), each with a lognormal duration and intensity; overlapping events add.
The resulting steps profile is the operational time of the SPE rate-profile domain
(see :mod:`reliability.engine._clocks`), so fault clocks in that domain follow this
trial's events exactly.
"""

from __future__ import annotations

import math

import numpy as np

from reliability.engine import _laws as laws
from reliability.engine import _profiles as prof
from reliability.engine import streams as rnd
from reliability.engine._access import count, fparam, iparam, set_fvar, trial_key
from reliability.engine._jit import kernel
from reliability.engine.spec import PF, SF, FParam, FVar, IParam, Stream


@kernel(error_model="numpy")
def _draw(pi, pf, sf, su):
    key = trial_key(su)
    stream = rnd.stream_id(Stream.SPE, 0, 0)
    ctr = np.uint64(0)
    cap = iparam(pi, IParam.SPE_CAP)
    mission = fparam(pf, FParam.MISSION_H)
    ot = pf[int(pf[PF.OCC_T]) :]
    om = pf[int(pf[PF.OCC_M]) :]
    oc = pf[int(pf[PF.OCC_C]) :]
    n_occ = count(pf, PF.OCC_T)
    total = prof.steps_cum(ot, om, oc, 0, n_occ, mission)
    ev = int(sf[SF.SPE_EV])
    c = 0.0
    n = 0
    while n < cap:
        c -= math.log(rnd.uniform(key, stream, ctr))
        if c >= total:
            break
        start = prof.steps_inverse(ot, om, oc, 0, n_occ, c)
        u_d = rnd.uniform(key, stream, ctr + np.uint64(1))
        u_i = rnd.uniform(key, stream, ctr + np.uint64(2))
        ctr += np.uint64(3)
        mu_d, sigma_d = fparam(pf, FParam.SPE_DUR_MU), fparam(pf, FParam.SPE_DUR_SIGMA)
        mu_i, sigma_i = fparam(pf, FParam.SPE_INT_MU), fparam(pf, FParam.SPE_INT_SIGMA)
        dur = math.exp(mu_d + sigma_d * laws.ndtri(u_d))
        intensity = math.exp(mu_i + sigma_i * laws.ndtri(u_i))
        sf[ev + 3 * n] = start
        sf[ev + 3 * n + 1] = min(start + dur, mission)
        sf[ev + 3 * n + 2] = intensity
        n += 1
    # boundaries (time, +/- intensity), sorted by time: n is small, insertion sort
    tt = int(sf[SF.SPE_T])
    mm = int(sf[SF.SPE_M])
    cc = int(sf[SF.SPE_C])
    nb = 2 * n
    for j in range(nb):
        e = j >> 1
        when = sf[ev + 3 * e + (j & 1)]
        delta = sf[ev + 3 * e + 2] * (1.0 if (j & 1) == 0 else -1.0)
        k = j
        while k > 0 and sf[tt + k] > when:  # points are staged at offset +1
            sf[tt + k + 1] = sf[tt + k]
            sf[mm + k + 1] = sf[mm + k]
            k -= 1
        sf[tt + k + 1] = when
        sf[mm + k + 1] = delta
    # running level; exactly 0 when no event is under way
    sf[tt] = 0.0
    sf[mm] = 0.0
    sf[cc] = 0.0
    level = 0.0
    active = 0
    for j in range(1, nb + 1):
        level += sf[mm + j]
        active += 1 if sf[mm + j] > 0 else -1
        if active == 0:
            level = 0.0
        sf[mm + j] = level
        sf[cc + j] = sf[cc + j - 1] + sf[mm + j - 1] * (sf[tt + j] - sf[tt + j - 1])
    set_fvar(sf, FVar.SPE_POINTS, nb + 1)


@kernel(forceinline=True, error_model="numpy")
def reset(pi, pf, si, sf, su):
    """Start a trial: draw its solar particle events (one flat point without any)."""
    if iparam(pi, IParam.SPE_DOM) >= 0:
        _draw(pi, pf, sf, su)
    else:
        set_fvar(sf, FVar.SPE_POINTS, 1.0)
