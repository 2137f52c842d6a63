"""The counts engine: identical exponential units simulated as a count of up units.

When every failure clock is exponential with a constant rate, the units that are up
fail as one Poisson process of rate ``n_up x (sum of the mode rates)``, and which unit
and which mode fired is a uniform draw among the up units weighted by the mode rates
(superposition and memorylessness). One exponential draw then replaces a heap of
per-unit clocks, so a failure costs O(1) however many units there are; restorations,
crews, spares, servicing and the accounting are the per-unit engine's own modules.

What is lost is slot-wise common random numbers: all failures of a trial come from
one stream, so two designs that share a seed drift apart after their first
difference. The runner therefore picks this engine only when asked, or for a
campaign of one scenario (see :func:`reliability.engine.counts_blocker`).
"""

from __future__ import annotations

import math

import numpy as np

from reliability.engine import _account as account
from reliability.engine import _events as events
from reliability.engine import _loop as loop
from reliability.engine import _restore as restore
from reliability.engine import _timeline as timeline
from reliability.engine import _tree as tree
from reliability.engine import streams as rnd
from reliability.engine._access import fparam, get, ivar
from reliability.engine._jit import kernel
from reliability.engine.spec import Effect, FParam, IVar, P, S, Stream


@kernel(forceinline=True, error_model="numpy")
def _fail_unit(pi, pf, si, sf, su, unit, m, t, row):
    """Mode ``m`` fired on up unit ``unit``."""
    account.count_fault(pi, pf, m, t, row)
    if get(pi, P.MODE_EFFECT, m) == Effect.SILENT:  # counted, the unit runs on
        return
    tree.uplist_remove(si, unit)
    restore.take_down(pi, pf, si, sf, su, unit, m, t, row)


@kernel(inline="always", error_model="numpy")
def trial(pi, pf, si, sf, su, key, cum_rate, row):
    """Simulate one trial with the counts engine; its outputs go to ``row`` as with
    ``_loop.trial``.

    ``cum_rate[m]`` is the summed rate (per hour) of the clocked modes up to and
    including mode ``m`` (0 increments for counted-only modes), so a unit's total
    failure rate is ``cum_rate[-1]``.

    Failures are proposed at ``bound x total`` for a bound on the up count and
    accepted with probability ``n_up / bound`` (thinning): a repair then needs no new
    draw. The bound is reset to the up count (with a fresh draw, exact by
    memorylessness) when the up count exceeds it or falls below half of it, so at
    least half the proposals are failures.
    """
    loop.reset(pi, pf, si, sf, su, key, False)
    mission = fparam(pf, FParam.MISSION_H)
    total = cum_rate[cum_rate.shape[0] - 1]
    n_modes = cum_rate.shape[0]
    stream = rnd.stream_id(Stream.COUNTS, 0, 0)
    ctr = np.uint64(0)
    one = np.uint64(1)
    t = 0.0
    tf = math.inf
    bound = -1  # proposals run at bound x total; -1: draw afresh
    frozen = 0
    settled = False
    tt = timeline.next_change(sf)  # the demand or capacity factor changes: no event
    while True:
        n_up = ivar(si, IVar.NUP)
        if ivar(si, IVar.FROZEN) != frozen or n_up > bound or 2 * n_up < bound:
            frozen = ivar(si, IVar.FROZEN)
            bound = n_up
            tf = math.inf
            if not frozen and bound > 0 and total > 0.0:
                tf = t - math.log(rnd.uniform(key, stream, ctr)) / (bound * total)
                ctr += one
        tw = events.next_time(si, sf)
        tn = min(tf, tw, tt)
        if tn > t and not settled:
            settled = True
            if loop.settle(pi, pf, si, sf, t):
                continue
        if tn >= mission:
            break
        loop.tick(pi, si)
        account.integrate(pi, pf, si, sf, t, tn, row)
        t = tn
        if tt <= tf and tt <= tw:
            timeline.step(pf, si, sf, t)
            tt = timeline.next_change(sf)
            continue
        settled = False
        if tw <= tf:
            loop.on_wall_event(pi, pf, si, sf, su, t, row, False)
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
        # the first mode whose cumulative rate passes r; should r round up to the
        # total, the last mode with a rate (never a mode without a clock after it)
        while m < n_modes - 1 and cum_rate[m] <= r and cum_rate[m] < total:
            m += 1
        _fail_unit(pi, pf, si, sf, su, get(si, S.UPLIST, j), m, t, row)
    loop.finish(pi, pf, si, sf, su, t, row)
