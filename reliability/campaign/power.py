"""The ``[power]`` table: each satellite's solar array, battery and loads.

::

    [power]
    level = "satellite"        # each member of this level carries an array and a battery
    array_w = 14000            # array output in sunlight at the beginning of life, W
    degradation_per_y = 0.01   # array output lost per year, compounded
    battery_wh = 6000          # battery capacity, Wh
    depth_of_discharge = 0.3   # share of it one eclipse may draw
    charge_efficiency = 0.9    # round trip
    bus_w = 1500               # platform load, always on, W
    unit_w = 700               # per running compute unit, W
    policy = "sun-first"       # or "uniform" (see reliability.power)
"""

from __future__ import annotations

from reliability.campaign.model import Level
from reliability.campaign.reader import Table
from reliability.power import POLICIES, PowerSystem

__all__ = ["read_power"]


def read_power(
    t: Table | None, levels: tuple[Level, ...], *, has_environment: bool, training: bool
) -> PowerSystem | None:
    if t is None:
        return None
    names = [lv.name for lv in levels]
    level = t.string("level", names[0], choices=tuple(names[:-1]) or (names[0],))
    if level == names[-1]:
        raise t.error(
            "level",
            "the members of the power level carry the compute units: choose a level "
            "above the units (e.g. the satellites)",
            level,
        )
    if not has_environment:
        raise t.error("level", "power needs an [environment] orbit: it sets the eclipses", level)
    if training:
        raise t.error(
            "level",
            "power limits with a training job are not modelled yet (the job follows "
            "particular accelerators); use a serving workload or none",
            level,
        )
    out = PowerSystem(
        level=level,
        array_w=t.number("array_w", positive=True, maximum=1e9),
        degradation_per_y=t.number("degradation_per_y", 0.0, minimum=0.0, maximum=0.5),
        battery_wh=t.number("battery_wh", minimum=0.0, maximum=1e9),
        depth_of_discharge=t.number("depth_of_discharge", positive=True, maximum=1.0),
        charge_efficiency=t.number("charge_efficiency", 0.9, positive=True, maximum=1.0),
        bus_w=t.number("bus_w", 0.0, minimum=0.0, maximum=1e9),
        unit_w=t.number("unit_w", positive=True, maximum=1e9),
        policy=t.string("policy", "sun-first", choices=POLICIES),
    )
    t.finish()
    return out
