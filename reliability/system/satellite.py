"""What one satellite carries: the level whose members each have an array, a battery
and a radiator, its unit slots, and the units its power lets run over the mission
(:func:`reliability.power.power_pieces`), computed once for the plan, the heat and
``validate``."""

from __future__ import annotations

import math

from reliability.campaign import Design
from reliability.environment import eclipse_days
from reliability.power import PowerPieces, power_pieces

__all__ = ["satellite_level", "satellite_power", "satellite_slots"]


def satellite_level(design: Design) -> int:
    """Index of the level whose members are the satellites: ``power.level``, else the
    outermost."""
    name = design.power.level if design.power is not None else design.levels[0].name
    return [lv.name for lv in design.levels].index(name)


def satellite_slots(design: Design) -> int:
    """Unit slots one satellite carries (a tree of one level is one satellite)."""
    levels = design.levels
    if len(levels) == 1:
        return levels[0].n
    return math.prod(lv.n for lv in levels[satellite_level(design) + 1 :])


def satellite_power(design: Design) -> PowerPieces | None:
    """The units each satellite can run, piece by piece (None without power limits)."""
    ps, env = design.power, design.environment
    if ps is None or env is None:
        return None
    _, shade = eclipse_days(env, design.mission_h)
    return power_pieces(
        ps,
        slots=satellite_slots(design),
        period_h=env.orbit_period_h,
        eclipse_min=shade,
        mission_h=design.mission_h,
        k=design.levels[satellite_level(design) + 1].k,
    )
