"""The ``[power]`` and ``[thermal]`` tables: each satellite's solar array, battery
and loads, and its radiator.

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

    [thermal]
    level = "satellite"        # each member carries a radiator (default: power's, else the outermost)
    radiator_m2 = 20.0         # radiator area per satellite, m^2
    emissivity = 0.85
    absorbed_sun_w_m2 = 150    # environmental heat on the radiator in sunlight, W/m^2
    absorbed_eclipse_w_m2 = 60 # and in eclipse (Earth infrared)
    unit_rise_k_per_w = 0.02   # a running unit's rise above the radiator, K/W
    reference_c = 55.0         # the temperature the failure laws are stated at
    max_unit_c = 85.0          # optional: throttle to keep running units this cool
    # unit_w and bus_w: as in [power] (required without it)

A failure mode with ``activation_ev = 0.7`` then ages by the Arrhenius factor of its
unit's temperature over the mission (see :mod:`reliability.thermal`).
"""

from __future__ import annotations

from reliability.campaign.errors import CampaignError
from reliability.campaign.model import Level
from reliability.campaign.reader import Table
from reliability.power import POLICIES, PowerSystem
from reliability.thermal import Thermal, units_cooled

__all__ = ["read_power", "read_satellite_level", "read_thermal"]


def read_satellite_level(
    t: Table, levels: tuple[Level, ...], what: str, fixed: str | None = None, by: str = ""
) -> str:
    """``[what] level``: the level whose members are the satellites (each carries an
    array, a radiator or a downlink). It must lie above the units, and be ``fixed``
    where an earlier table (``by``) named it already; by default that, else the
    outermost level."""
    names = [lv.name for lv in levels]
    level = t.string("level", fixed or names[0], choices=tuple(names))
    if level == names[-1] and len(names) > 1:
        raise t.error(
            "level",
            f"the members of the {what} level carry the compute units: choose a level "
            "above the units (e.g. the satellites)",
            level,
        )
    if fixed is not None and level != fixed:
        raise t.error(
            "level", f"must be the {by} level ({fixed!r}): all describe a satellite", level
        )
    return level


def read_power(
    t: Table | None, levels: tuple[Level, ...], *, has_environment: bool, training: bool
) -> PowerSystem | None:
    if t is None:
        return None
    level = read_satellite_level(t, levels, "power")
    if not has_environment:
        raise CampaignError(
            "needs an [environment] orbit: it sets the eclipses", source=t.source, path="power"
        )
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


def read_thermal(
    t: Table | None, power: PowerSystem | None, levels: tuple[Level, ...]
) -> Thermal | None:
    if t is None:
        return None
    level = read_satellite_level(t, levels, "thermal", power and power.level, "power")
    out = Thermal(
        level=level if t.data.get("level") is not None else None,  # None: the default
        radiator_m2=t.number("radiator_m2", positive=True, maximum=1e6),
        emissivity=t.number("emissivity", 0.85, positive=True, maximum=1.0),
        absorbed_sun_w_m2=t.number("absorbed_sun_w_m2", 0.0, minimum=0.0, maximum=1e4),
        absorbed_eclipse_w_m2=t.number("absorbed_eclipse_w_m2", 0.0, minimum=0.0, maximum=1e4),
        unit_w=t.number(
            "unit_w", *(() if power is None else (power.unit_w,)), positive=True, maximum=1e9
        ),
        bus_w=t.number("bus_w", 0.0 if power is None else power.bus_w, minimum=0.0, maximum=1e9),
        unit_rise_k_per_w=t.number("unit_rise_k_per_w", 0.0, minimum=0.0, maximum=100.0),
        reference_c=t.number("reference_c", 55.0, minimum=-100.0, maximum=300.0),
        max_unit_c=t.number("max_unit_c", None, minimum=-100.0, maximum=300.0)
        if t.has("max_unit_c")
        else None,
    )
    if out.max_unit_c is not None and units_cooled(out, out.absorbed_sun_w_m2) < 1.0:
        raise t.error(
            "max_unit_c",
            "the radiator cannot keep even one running unit this cool in sunlight "
            f"(at most {float(units_cooled(out, out.absorbed_sun_w_m2)):.2f} units)",
            out.max_unit_c,
        )
    t.finish()
    return out
