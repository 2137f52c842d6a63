"""One block of trials through either engine: per-unit clocks or counts."""

from __future__ import annotations

from reliability.engine._counts import trial_counts
from reliability.engine._jit import kernel
from reliability.engine._kernel import _trial


@kernel()
def run_block(
    pi,
    pf,
    si,
    sf,
    su,
    keys,
    availability,
    mean_capacity,
    outages,
    downtime,
    planned,
    ttff,
    spares,
    failures,
    unit_downtime,
    outage_downtime,
    capacity,
    system_up,
    throughput,
    slo_attainment,
    job_completion,
    lost_work,
    goodput,
    cum_rate,
):
    """Simulate ``len(keys)`` trials; trial ``i`` uses counter-based key ``keys[i]`` and
    writes row ``i`` of every output array. With an empty ``cum_rate`` every unit keeps
    its own clocks; otherwise the counts engine runs with those cumulative mode rates."""
    for i in range(keys.shape[0]):
        rows = (
            capacity[i],
            system_up[i],
            failures[i],
            unit_downtime[i],
            outage_downtime[i],
            lost_work[i],
            goodput[i],
        )
        if cum_rate.shape[0] == 0:
            a, mc, o, dt, pd, tt, sp, tp, slo, done = _trial(pi, pf, si, sf, su, keys[i], rows)
        else:
            a, mc, o, dt, pd, tt, sp, tp, slo, done = trial_counts(
                pi, pf, si, sf, su, keys[i], cum_rate, rows
            )
        throughput[i] = tp
        slo_attainment[i] = slo
        job_completion[i] = done
        availability[i] = a
        mean_capacity[i] = mc
        outages[i] = o
        downtime[i] = dt
        planned[i] = pd
        ttff[i] = tt
        spares[i] = sp
