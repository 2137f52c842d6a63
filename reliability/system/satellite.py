"""What one satellite carries: the level whose members each have an array, a battery,
a radiator and a downlink, its unit slots, the units its power lets run over the
mission (:func:`reliability.power.power_pieces`) and what its links carry
(:func:`reliability.links.carry`), computed once for the plan, the heat, the result
and ``validate``."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from reliability.campaign import Design
from reliability.eclipses import eclipse_days, orbit_node
from reliability.environment import Environment
from reliability.links import Carried, Station, carry, contact_windows, station_in_reach
from reliability.orbit import gmst_rad, initial_raan_rad
from reliability.power import PowerPieces, power_pieces
from reliability.thermal import units_cooled

__all__ = [
    "runs_limited",
    "satellite_level",
    "satellite_links",
    "satellite_power",
    "satellite_slots",
    "stations_out_of_reach",
    "throttled",
]


def satellite_level(design: Design) -> int:
    """Index of the level whose members are the satellites: ``power.level``, else
    ``links.level``, else ``thermal.level``, else the outermost."""
    name = design.levels[0].name
    if design.power is not None:
        name = design.power.level
    elif design.links is not None:
        name = design.links.level
    elif design.thermal is not None and design.thermal.level is not None:
        name = design.thermal.level
    return [lv.name for lv in design.levels].index(name)


def satellite_slots(design: Design) -> int:
    """Unit slots one satellite carries (a tree of one level is one satellite)."""
    levels = design.levels
    if len(levels) == 1:
        return levels[0].n
    return math.prod(lv.n for lv in levels[satellite_level(design) + 1 :])


def runs_limited(design: Design) -> bool:
    """Do power or cooling limit the units a satellite runs (not links alone)?"""
    return (design.power is not None and design.environment is not None) or throttled(design)


def throttled(design: Design) -> bool:
    """Does the radiator limit the units that run (``[thermal] max_unit_c``)?"""
    return design.thermal is not None and design.thermal.max_unit_c is not None


def satellite_power(design: Design) -> PowerPieces | None:
    """The units each satellite can run, piece by piece: what its power allows and its
    radiator cools (None without power limits or throttling)."""
    ps, env, th = design.power, design.environment, design.thermal
    if not runs_limited(design):
        return None
    days = math.ceil(design.mission_h / 24.0)
    shade = np.zeros(days) if env is None else eclipse_days(env, design.mission_h)[1]
    slots = satellite_slots(design)
    cap = None
    if throttled(design):
        period = 1.0 if env is None else env.orbit_period_h
        f = shade / 60.0 / period
        absorbed = (1 - f) * th.absorbed_sun_w_m2 + f * th.absorbed_eclipse_w_m2
        cap = np.clip(np.floor(units_cooled(th, absorbed) + 1e-9), 0, slots)
    return power_pieces(
        ps,
        slots=slots,
        period_h=1.0 if env is None else env.orbit_period_h,
        eclipse_min=shade,
        mission_h=design.mission_h,
        k=design.levels[satellite_level(design) + 1].k,
        cap=cap,
    )


def satellite_links(design: Design, edges: np.ndarray) -> Carried | None:
    """What each satellite's links carry, and per grid cell (``edges``) its contacts,
    ceiling and waits (None without ``[links]``)."""
    lk, env = design.links, design.environment
    if lk is None or env is None:
        return None
    starts, ends = _windows(env, lk.stations, lk.elevation_mask_deg, design.mission_h)
    return carry(lk, starts, ends, slots=satellite_slots(design), edges=edges)


def stations_out_of_reach(design: Design) -> list[int]:
    """Indices of ``[links] stations`` that never see the design's orbit."""
    lk, env = design.links, design.environment
    if lk is None or env is None:
        return []
    geometry = _ground_geometry(env)
    return [
        i
        for i, st in enumerate(lk.stations)
        if not station_in_reach(st, mask_deg=lk.elevation_mask_deg, **geometry)
    ]


def _ground_geometry(env: Environment) -> dict[str, float]:
    """The orbit against the turning Earth, as the links' geometry takes it: altitude,
    inclination, and the node's right ascension and the Earth's rotation angle at the
    mission start."""
    node = orbit_node(env)
    return {
        "altitude_km": node["altitude_km"],
        "inclination_deg": node["inclination_deg"],
        "raan0_rad": initial_raan_rad(
            raan_deg=node.get("raan_deg"),
            ltan_h=node.get("ltan_h"),
            epoch_day=node["epoch_day"],
            year=node["year"],
        ),
        "gmst0_rad": gmst_rad(node["epoch_day"], node["year"]),
    }


@lru_cache(maxsize=16)  # a sweep of link rates or stores keeps its geometry
def _windows(
    env: Environment, stations: tuple[Station, ...], mask_deg: float, mission_h: float
) -> tuple[np.ndarray, np.ndarray]:
    return contact_windows(
        stations=stations, mask_deg=mask_deg, span_h=mission_h, **_ground_geometry(env)
    )
