"""Workloads: serving a demand, and synchronous training with checkpoint/restart.

The engine simulates both (see :mod:`reliability.engine`); this module holds the
closed forms the design and the verification use (``shared/reference/radiation.md``
§4.4): Young's and Daly's checkpoint intervals and the expected wall time of a job
whose failures are Poisson and may strike during compute, checkpoint or restart.
It knows no physics and no engine.
"""

from __future__ import annotations

import math

__all__ = ["checkpoint_interval", "checkpoint_schedule", "expected_wall_time_h", "waste_fraction"]


def checkpoint_interval(how: str, delta_h: float, mtbf_h: float) -> float:
    """Young's (``sqrt(2 delta M)``) or Daly's optimum compute time between checkpoints.

    Daly (2006): ``sqrt(2 delta M) [1 + sqrt(delta / 2M) / 3 + (delta / 2M) / 9] - delta``
    for ``delta < 2M``, else ``M``.

    Examples
    --------
    >>> round(checkpoint_interval("daly", 5 / 60, 24.0) * 60, 1)
    116.7
    >>> round(checkpoint_interval("young", 5 / 60, 24.0) * 60, 1)
    120.0
    """
    if how == "young":
        return math.sqrt(2.0 * delta_h * mtbf_h)
    if how != "daly":
        raise ValueError(f"`how` must be 'young' or 'daly', got {how!r}")
    if delta_h >= 2.0 * mtbf_h:
        return mtbf_h
    x = delta_h / (2.0 * mtbf_h)
    return math.sqrt(2.0 * delta_h * mtbf_h) * (1.0 + math.sqrt(x) / 3.0 + x / 9.0) - delta_h


def checkpoint_schedule(
    how: str, delta_h: float, mtbf_steps: list[tuple[float, float]], mission_h: float
) -> tuple[list[float], list[float]]:
    """Compute time between checkpoints over mission time: Young's or Daly's interval
    chosen anew at every change of the job's mean time between interrupts
    (``mtbf_steps``: ``[(start_h, mtbf_h), ...]``), the whole mission where none is
    expected. Returns (piece starts, intervals).

    Examples
    --------
    >>> checkpoint_schedule("young", 0.5, [(0.0, 100.0), (50.0, float("inf"))], 200.0)
    ([0.0, 50.0], [10.0, 200.0])
    """
    starts, intervals = [], []
    for start, mtbf in mtbf_steps:
        starts.append(start)
        intervals.append(
            mission_h if not math.isfinite(mtbf) else checkpoint_interval(how, delta_h, mtbf)
        )
    return starts, intervals


def expected_wall_time_h(
    work_h: float, tau_h: float, delta_h: float, restart_h: float, mtbf_h: float
) -> float:
    """Expected wall time to finish ``work_h`` of compute in segments of ``tau_h``.

    Each segment of compute ``x`` and its checkpoint takes ``M e^{R/M} (e^{(x + delta)/M}
    - 1)`` on average when failures are Poisson (rate 1/M) and can strike during
    compute, checkpoint or restart. A last, shorter segment is counted as such, so the
    value is exact for any ``work_h``; with ``work_h / tau_h`` an integer it is Daly's
    ``T_w = M e^{R/M} (e^{(tau + delta)/M} - 1) T_s / tau``.

    Examples
    --------
    >>> round(expected_wall_time_h(500.0, 116.7 / 60, 5 / 60, 10 / 60, 24.0), 1)
    548.0
    """
    m = mtbf_h
    full = math.floor(work_h / tau_h * (1 + 1e-12))
    rest = max(0.0, work_h - full * tau_h)

    def segment(x: float) -> float:
        return m * math.exp(restart_h / m) * math.expm1((x + delta_h) / m)

    return full * segment(tau_h) + (segment(rest) if rest > 1e-12 * work_h else 0.0)


def waste_fraction(tau_h: float, delta_h: float, mtbf_h: float) -> float:
    """First-order waste ``delta / tau + tau / (2 M)``."""
    return delta_h / tau_h + tau_h / (2.0 * mtbf_h)
