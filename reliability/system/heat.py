"""The temperature of a design's running units over the mission, and the Arrhenius
rate profile it gives a failure mode with an activation energy (see
:mod:`reliability.thermal`)."""

from __future__ import annotations

import math

import numpy as np

from reliability.campaign import Design
from reliability.eclipses import eclipse_days
from reliability.system.satellite import satellite_power, satellite_slots
from reliability.thermal import arrhenius, heat_steps

__all__ = ["arrhenius_steps", "unit_heat", "unit_temperature_steps"]


def unit_temperature_steps(design: Design) -> tuple[np.ndarray, np.ndarray]:
    """Piece starts (h) and the running units' temperature (degrees C), day by day
    from the eclipse share (none without an orbit) and the units each satellite runs
    (all of its slots without power limits)."""
    th = design.thermal
    assert th is not None
    days = math.ceil(design.mission_h / 24.0)
    env = design.environment
    slots = satellite_slots(design)  # each satellite carries a radiator
    share = np.zeros(days)
    sun = np.full(days, slots)
    ecl = np.full(days, slots)
    if env is not None:
        _, shade = eclipse_days(env, design.mission_h)
        share[: len(shade)] = shade / 60.0 / env.orbit_period_h
    pp = satellite_power(design)  # power limits and throttling
    if pp is not None:
        piece = np.searchsorted(pp.start_h, 24.0 * np.arange(days), side="right") - 1
        sun, ecl = pp.sun[piece], pp.eclipse[piece, -1]  # every unit usable
    return heat_steps(
        th, eclipse_share=share, running_sun=sun, running_eclipse=ecl, mission_h=design.mission_h
    )


def arrhenius_steps(design: Design, activation_ev: float) -> list[tuple[float, float]]:
    """(start h, ageing-rate multiplier) of a mode with ``activation_ev``."""
    th = design.thermal
    assert th is not None
    starts, temps = unit_temperature_steps(design)
    factors = arrhenius(activation_ev, temps, th.reference_c)
    return [(float(t), float(f)) for t, f in zip(starts, factors, strict=True)]


def unit_heat(design: Design) -> tuple[np.ndarray, np.ndarray] | None:
    """The running units' temperature steps where a latch-up fit follows them (a
    radiation entry with ``tested_at_c`` and a ``[thermal]`` table), else None."""
    if design.thermal is None or not any(
        e.tested_at_c is not None for e in design.leaf_unit.radiation
    ):
        return None
    return unit_temperature_steps(design)
