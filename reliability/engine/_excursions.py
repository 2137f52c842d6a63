"""Regenerative excursions of a Markovian k-of-n tree, for importance sampling.

The state is the number of failed units in each leaf group; every unit fails at
``lam`` and is repaired at ``mu`` (by ``crews`` repairers per leaf group, 0: all at
once). An excursion starts with one failure and ends when every unit is up again.
Under balanced failure biasing (``p`` > 0) failures together get probability ``p``
in every state that also has repairs, and each path carries its likelihood ratio;
``p`` = 0 runs the chain crudely. See :mod:`reliability.rare` for the estimators.
"""

from __future__ import annotations

import numpy as np

from reliability.engine import streams as rnd
from reliability.engine._jit import kernel
from reliability.engine.spec import EventBudgetError, Stream


@kernel(error_model="numpy")
def tree_up(f, n, k, n_groups, up):
    """Is the tree up with f[g] failed units in leaf group g? (``up``: scratch of
    ``n_groups`` entries)."""
    levels = n.shape[0]
    for g in range(n_groups):
        up[g] = 1 if n[levels - 1] - f[g] >= k[levels - 1] else 0
    count = n_groups
    for lev in range(levels - 2, -1, -1):
        count //= n[lev]
        for g in range(count):
            s = 0
            for c in range(n[lev]):
                s += up[g * n[lev] + c]
            up[g] = 1 if s >= k[lev] else 0
    return up[0] == 1


@kernel(error_model="numpy")
def run(
    n, k, lam, mu, crews, p, keys, stop_at_down, scratch, gamma_out, down_out, len_out, max_events
):
    """Simulate one excursion per key, under BFB when ``p`` > 0 (crude when p = 0).

    ``scratch`` is (4, n_groups) float64. gamma_out[i]: likelihood ratio if the system
    went down, else 0; down_out[i]: likelihood-weighted expected downtime of the
    excursion; len_out[i]: the excursion's expected length (crude runs only)."""
    stream = rnd.stream_id(Stream.EXCURSION, 0, 0)
    levels = n.shape[0]
    n_groups = 1
    for lev in range(levels - 1):
        n_groups *= n[lev]
    units = n[levels - 1]
    f = scratch[0]
    fail_rate = scratch[1]
    rep_rate = scratch[2]
    up = scratch[3]
    for i in range(keys.shape[0]):
        key = keys[i]
        ctr = np.uint64(0)
        for g in range(n_groups):
            f[g] = 0
        # the excursion starts with one failure, uniformly over the units
        u = rnd.uniform(key, stream, ctr)
        ctr += np.uint64(1)
        f[min(int(u * n_groups), n_groups - 1)] = 1
        n_failed = 1
        weight = 1.0
        hit = 0.0
        down = 0.0
        length = 0.0
        events = 0
        while n_failed > 0:
            events += 1
            if events > max_events:  # a system that hardly ever returns to all-up
                raise EventBudgetError(
                    "a regenerative cycle took more events than its budget: the system "
                    "almost never returns to all units up (failures far faster than "
                    "repairs); importance sampling cannot estimate it, use crude Monte "
                    'Carlo (method = "crude")'
                )
            tot_f = 0.0
            tot_r = 0.0
            up_units = 0
            for g in range(n_groups):
                fg = int(f[g])
                fail_rate[g] = (units - fg) * lam
                reps = fg if crews == 0 else min(fg, crews)
                rep_rate[g] = reps * mu
                tot_f += fail_rate[g]
                tot_r += rep_rate[g]
                up_units += units - fg
            q = tot_f + tot_r
            if not tree_up(f, n, k, n_groups, up):
                if stop_at_down:
                    hit = weight
                    break
                down += weight / q  # expected holding time, weighted
            length += 1.0 / q
            # choose a transition: BFB when both kinds exist
            u = rnd.uniform(key, stream, ctr)
            ctr += np.uint64(1)
            bias = p > 0.0 and tot_r > 0.0 and tot_f > 0.0
            pf = p if bias else tot_f / q
            if u < pf:
                # a failure: uniformly over up units under BFB (proportional to rate
                # otherwise; the same here, every unit fails at lam)
                v = u / pf * up_units
                g = 0
                acc = float(units - int(f[0]))
                while v >= acc and g < n_groups - 1:
                    g += 1
                    acc += units - int(f[g])
                if bias:
                    weight *= (fail_rate[g] / q) / (p * (units - int(f[g])) / up_units)
                f[g] += 1
                n_failed += 1
            else:
                v = (u - pf) / (1.0 - pf) * tot_r
                g = 0
                acc = rep_rate[0]
                while v >= acc and g < n_groups - 1:
                    g += 1
                    acc += rep_rate[g]
                if bias:
                    weight *= (rep_rate[g] / q) / ((1.0 - p) * rep_rate[g] / tot_r)
                f[g] -= 1
                n_failed -= 1
        gamma_out[i] = hit
        down_out[i] = down
        len_out[i] = length
