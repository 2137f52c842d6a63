"""The orbit, its solar events, power, heat and links of a design, in words: the
environment lines of ``reliability validate`` (:mod:`reliability.describe`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from reliability.eclipses import eclipse_days, orbit_node
from reliability.environment import (
    ACTIVE_YEARS,
    CYCLE_YEARS,
    NODE_DEFAULTS,
    spe_flux_30,
    spe_share,
    spe_shield_factors,
    trapped_above_30,
)
from reliability.system import satellite as sat
from reliability.system import time_edges
from reliability.system.heat import unit_temperature_steps
from reliability.thermal import arrhenius

__all__ = [
    "describe_geometry",
    "describe_links",
    "describe_power",
    "describe_solar",
    "describe_thermal",
]


def describe_solar(env: Any) -> str:
    """Where the orbit's solar-event shares come from (:mod:`reliability.solar`)."""
    events = (
        f"solar events  {env.spe_per_active_year:g} per active year ({ACTIVE_YEARS:g} of "
        f"{CYCLE_YEARS:g}), ln intensity spread {env.spe_intensity_sigma:.3g}; "
    )
    if env.spe_share is not None:
        return events + f"every rate {env.spe_share:.1%} from events (spe_share)"
    f_events, f_trapped = spe_shield_factors(env)
    if env.shielding_mm is not None:
        events += (
            f"behind {env.shielding_mm:g} mm of aluminium the events' proton flux above 30 "
            f"MeV is x{f_events:.3g} of theirs behind the presets' 2.54 mm"
            + (f" (the trapped flux x{f_trapped:.3g})" if trapped_above_30(env) > 0 else "")
            + "; "
        )
    if trapped_above_30(env) <= 0:
        return events + (
            f"no trapped protons reach 30 MeV here: a heavy-ion rate {env.spe_ion_share:.1%} "
            f"from events (spe_ion_share); a part protons upset also takes the events' "
            f"{spe_flux_30(env):.3g} protons/cm^2 s above 30 MeV outside the spacecraft "
            f"(cycle mean, x{env.spe_transmission:g} "
            f"of ESP-PSYCHIC's) at {env.spe_proton_response:g} per unit (spe_proton_response)"
        )
    return events + (
        f"{env.spe_fluence_per_active_year:.3g} protons/cm^2 above 30 MeV per active year "
        f"at 1 AU (ESP-PSYCHIC), x{env.spe_transmission:g} through the geomagnetic field: "
        f"a trapped-proton rate {spe_share(env, 0.0):.1%} from events, a heavy-ion rate "
        f"{env.spe_ion_share:.1%} (spe_ion_share)"
    )


def describe_geometry(env: Any, mission_h: float) -> str:
    """The orbit's node, its beta angle and eclipses over the mission."""
    node = orbit_node(env)
    where = (
        f"node at local time {node['ltan_h']:g} h"
        if "ltan_h" in node
        else f"node at right ascension {node['raan_deg']:g} deg"
    )
    if env.ltan_h is None and env.raan_deg is None:
        where += f" (preset [{NODE_DEFAULTS[env.orbit][2]}])"
    beta, shade = eclipse_days(env, mission_h)
    years = max(mission_h / 8760.0, 1 / 365)
    per_orbit_h = env.orbit_period_h
    shadow_h = float((shade / 60.0 * 24.0 / per_orbit_h).sum()) / years
    start = f"{node['year']}, day {node['epoch_day']:g}"
    if not (shade > 0).any():
        return (
            f"geometry      {where}, start {start}: beta {beta.min():.1f} to "
            f"{beta.max():.1f} deg, no eclipse in the mission"
        )
    return (
        f"geometry      {where}, start {start}: beta {beta.min():.1f} to {beta.max():.1f} "
        f"deg; eclipses on {(shade > 0).sum() / years:.0f} days a year, up to "
        f"{shade.max():.1f} min per orbit, {shadow_h:.0f} h in shadow a year"
    )


def describe_power(design: Any) -> str:
    """Each satellite's power system and what it lets run, over the mission."""
    ps = design.power
    pp = sat.satellite_power(design)
    sun, ecl, frac = pp.sun, pp.eclipse[:, -1], pp.eclipse_share  # every unit usable
    slots = sat.satellite_slots(design)
    length = np.diff(np.append(pp.start_h, design.mission_h))
    short = (sun < slots) | ((ecl < slots) & (frac > 0))
    lost = ((slots - sun) * (1 - frac) + (slots - ecl) * frac) * length
    k = design.levels[sat.satellite_level(design) + 1].k
    below = ((sun < k) | ((ecl < k) & (frac > 0))) & (length > 0)
    under_k = (
        f"; below the satellite's k = {k} on {length[below].sum() / 24:.0f} days, yet it "
        "counts as up (power does not enter availability: capacity and throughput see it)"
        if below.any()
        else ""
    )
    return (
        f"power         per {ps.level}: array {ps.array_w:g} W (less {100 * ps.degradation_per_y:g}%"
        f"/y), battery {ps.battery_wh:g} Wh at {100 * ps.depth_of_discharge:g}% a cycle, bus "
        f"{ps.bus_w:g} W, {ps.unit_w:g} W a unit, {ps.policy}: in sunlight "
        f"{_span(sun.min(), sun.max())} of {slots} units run, in eclipse "
        f"{_span(ecl.min(), ecl.max())} (every unit usable); short of power "
        f"{length[short].sum() / 24:.0f} days of the mission: "
        f"{100 * lost.sum() / (slots * design.mission_h):.1f}% of slot-hours unpowered "
        "even with every unit usable" + under_k
    )


def describe_links(design: Any) -> str:
    """Each satellite's links: contacts, rates and store, and what they carry."""
    lk = design.links
    carried = sat.satellite_links(design, time_edges(design.mission_h, design.time_step_h))
    slots = sat.satellite_slots(design)
    full = float(carried.table[-1])
    ok = np.isfinite(carried.wait_min)
    widths = np.diff(time_edges(design.mission_h, design.time_step_h))[ok]
    waits = carried.wait_min[ok]
    names = ", ".join(st.name for st in lk.stations)
    where = (
        f"{len(lk.stations)} station(s) above {lk.elevation_mask_deg:g} deg ({names}) in view "
        f"{carried.contact_h.sum() / design.mission_h:.1%} of the time, longest gap "
        f"{carried.gap_max_min.max():.0f} min; downlink {lk.downlink_gbps:g} Gbit/s, "
        if lk.stations
        else ""
    )
    return (
        f"links         per {lk.level}: {where}relay "
        + (f"{lk.relay_gbps:g} Gbit/s" if lk.relay_gbps else "none")
        + f", store {lk.buffer_gb:g} GB, {lk.output_gb_per_unit_h:g} GB per unit-hour: they "
        f"carry {full:.3g} units' worth of {slots} running ({full / slots:.0%})"
        + (
            f", mean wait on board {np.average(waits, weights=widths):.0f} min"
            if waits.size
            else ", every unit stalls the store"
        )
    )


def _span(lo: int, hi: int) -> str:
    return f"{lo}" if lo == hi else f"{lo} to {hi}"


def describe_thermal(design: Any) -> str:
    """The radiator, the units' temperature over the mission, and what it does to the
    modes with an activation energy."""
    th = design.thermal
    _, temps = unit_temperature_steps(design)
    modes = [
        f"{u.name}.{m.name} ({m.activation_ev:g} eV) ages x"
        f"{float(arrhenius(m.activation_ev, temps.min(), th.reference_c)):.3g} to x"
        f"{float(arrhenius(m.activation_ev, temps.max(), th.reference_c)):.3g}"
        for u in design.units
        for m in u.failures
        if m.activation_ev is not None
    ]
    throttle = ""
    if th.max_unit_c is not None:
        pp = sat.satellite_power(design)
        slots = sat.satellite_slots(design)
        days = np.diff(np.append(pp.start_h, design.mission_h))[pp.sun < slots].sum() / 24
        throttle = (
            f"; throttled to keep them at or below {th.max_unit_c:g} C: {pp.sun.min()} to "
            f"{pp.sun.max()} of {slots} units run, fewer than all on {days:.0f} days"
        )
    return (
        f"thermal       radiator {th.radiator_m2:g} m^2 (emissivity {th.emissivity:g}); running "
        f"units at {temps.min():.1f} to {temps.max():.1f} C (laws stated at "
        f"{th.reference_c:g} C)"
        + (f"; {', '.join(modes)}" if modes else "; no mode has an activation energy")
        + throttle
    )
