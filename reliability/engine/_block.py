"""One block of trials through either engine: per-unit clocks or counts."""

from __future__ import annotations

from reliability.engine import _counts as counts
from reliability.engine import _loop as loop
from reliability.engine._jit import kernel


@kernel()
def run_block(pi, pf, si, sf, su, keys, rows, cum_rate):
    """Simulate ``len(keys)`` trials; trial ``i`` uses counter-based key ``keys[i]`` and
    writes its outputs to ``rows[i]`` (zeroed beforehand; laid out by the plan's
    ``out_off``). With an empty ``cum_rate`` every unit keeps its own clocks;
    otherwise the counts engine runs with those cumulative mode rates."""
    for i in range(keys.shape[0]):
        if cum_rate.shape[0] == 0:
            loop.trial(pi, pf, si, sf, su, keys[i], rows[i])
        else:
            counts.trial(pi, pf, si, sf, su, keys[i], cum_rate, rows[i])
