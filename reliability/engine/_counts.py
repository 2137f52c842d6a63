"""The counts engine: identical exponential units simulated as a count of up units.

When every failure clock is exponential with a constant rate, the units that are up
fail as one Poisson process of rate ``n_up x (sum of the mode rates)``, and which unit
and which mode fired is a uniform draw among the up units weighted by the mode rates
(superposition and memorylessness). One exponential draw then replaces a heap of
per-unit clocks, so a failure costs O(1) however many units there are; restorations,
crews, spares, servicing and the capacity grid are the per-unit kernel's own code.

What is lost is slot-wise common random numbers: all failures of a trial come from
one stream, so two designs that share a seed drift apart after their first
difference. The runner therefore picks this engine only when asked, or for a
campaign of one scenario (see :func:`reliability.engine.counts_blocker`).
"""

from __future__ import annotations

import math

import numpy as np

from reliability.engine import _random as rnd
from reliability.engine._jit import kernel
from reliability.engine._kernel import (
    _advance,
    _finish,
    _fs,
    _g,
    _int,
    _reset,
    _take_down,
    _update_system,
    _uplist_remove,
    _wall_event,
)
from reliability.engine._layout import (
    I_FROZEN,
    I_NUP,
    MISSION,
    P_MODE_EFFECT,
    S_UPLIST,
    S_WH_SIZE,
    SF_WH_KEY,
    WARMUP,
)


@kernel(forceinline=True, error_model="numpy")
def _fail_unit(pi, pf, si, sf, su, unit, m, t, counts, lost_row):
    """Mode ``m`` fired on up unit ``unit``."""
    if t >= _fs(pf, WARMUP):
        counts[m] += 1
    if _g(pi, P_MODE_EFFECT, m) == 1:  # silent: counted, the unit runs on
        return
    _uplist_remove(si, unit)
    _take_down(pi, pf, si, sf, su, unit, m, t, lost_row)


@kernel(error_model="numpy")
def trial_counts(pi, pf, si, sf, su, key, cum_rate, rows):
    """Simulate one trial with the counts engine; returns what ``_kernel._trial`` does.

    ``cum_rate[m]`` is the summed rate (per hour) of the clocked modes up to and
    including mode ``m`` (0 increments for counted-only modes), so a unit's total
    failure rate is ``cum_rate[-1]``.

    Failures are proposed at ``bound x total`` for a bound on the up count and
    accepted with probability ``n_up / bound`` (thinning): a repair then needs no new
    draw. The bound is reset to the up count (with a fresh draw, exact by
    memorylessness) when the up count exceeds it or falls below half of it, so at
    least half the proposals are failures.
    """
    _reset(pi, pf, si, sf, su, key, False)
    cap_row, up_row, counts, unit_down, cause_row, lost_row, good_row = rows
    mission = _fs(pf, MISSION)
    total = cum_rate[cum_rate.shape[0] - 1]
    n_modes = cum_rate.shape[0]
    stream = rnd.stream_id(rnd.COUNTS, 0, 0)
    ctr = np.uint64(0)
    one = np.uint64(1)
    t = 0.0
    tf = math.inf
    bound = -1  # proposals run at bound x total; -1: draw afresh
    frozen = 0
    settled = False
    while True:
        n_up = _int(si, I_NUP)
        if _int(si, I_FROZEN) != frozen or n_up > bound or 2 * n_up < bound:
            frozen = _int(si, I_FROZEN)
            bound = n_up
            tf = math.inf
            if not frozen and bound > 0 and total > 0.0:
                tf = t - math.log(rnd.uniform(key, stream, ctr)) / (bound * total)
                ctr += one
        tw = sf[int(sf[SF_WH_KEY])] if si[si[S_WH_SIZE]] > 0 else math.inf
        tn = min(tf, tw)
        if tn > t and not settled:
            settled = True
            if _update_system(pi, pf, si, sf, t):
                continue
        if tn >= mission:
            break
        _advance(pi, pf, si, sf, t, tn, cap_row, up_row, cause_row, good_row)
        t = tn
        settled = False
        if tw <= tf:
            _wall_event(pi, pf, si, sf, su, t, unit_down, lost_row, good_row, False)
            continue
        # a proposal: one uniform picks a slot of the bound (slots past the up count
        # reject it) and, by its fraction (uniform again), the mode by rate
        x = rnd.uniform(key, stream, ctr) * bound
        tf = t - math.log(rnd.uniform(key, stream, ctr + one)) / (bound * total)
        ctr += one + one
        j = int(x)
        if j >= n_up:
            continue
        r = (x - j) * total
        m = 0
        while m < n_modes - 1 and cum_rate[m] <= r:
            m += 1
        _fail_unit(pi, pf, si, sf, su, _g(si, S_UPLIST, j), m, t, counts, lost_row)
    return _finish(pi, pf, si, sf, su, t, rows)
