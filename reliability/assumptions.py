"""What a design review must see before the numbers: the design at a glance, and every
assumption with its evidence tag, placeholders first.

Evidence tags are those of ``shared/reference/radiation.md`` §3: V read in a primary
source (validated data), S secondary (a published model or estimate), U unverified
(uncertain, engineering judgement), D derived here or a design choice. They come
from two places: the library's presets (orbit environments, device responses), which
carry their tag and source in code, and the campaign file's own notes, which carry
them in its comments, one bullet per assumption::

    # * GPU wear-out: Weibull shape 1.2, mean 8 y [U, placeholder]

An assumption is a *placeholder* when its note says so (``placeholder`` or
``illustrative``): a number that could not be sourced, to be swept or replaced.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from reliability.campaign import Campaign, CampaignError, validate_document
from reliability.devices import DEVICES, MEMORIES
from reliability.eclipses import eclipse_days
from reliability.environment import HOURS_PER_YEAR
from reliability.environment import provenance as preset_provenance
from reliability.protons import shielding_note
from reliability.units import duration_text, parse_duration_h

__all__ = ["Assumption", "assumptions", "at_a_glance", "suggested_swings"]

_TAG = re.compile(r"\[([VSUD])(?=[\],:\s])[^\]]*\]")
_BULLET = re.compile(r"^#\s*[*-]\s+(.*)$")
_MORE = re.compile(r"^#\s{2,}(\S.*)$")
_PLACEHOLDER = re.compile(r"placeholder|illustrative", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Assumption:
    """One assumption: where it is set, what it says, its tags, and whether it is a
    placeholder."""

    where: str
    text: str
    tags: tuple[str, ...]
    placeholder: bool


def _notes(toml_text: str) -> list[str]:
    """The bullets of the campaign file's comments (continuation lines joined)."""
    bullets: list[str] = []
    current: list[str] | None = None
    for line in toml_text.splitlines():
        line = line.strip()
        if m := _BULLET.match(line):
            current = [m.group(1).strip()]
            bullets.append("")
            bullets[-1] = " ".join(current)
        elif current is not None and (m := _MORE.match(line)):
            current.append(m.group(1).strip())
            bullets[-1] = " ".join(current)
        else:
            current = None
    return bullets


def _assumption(where: str, text: str, tags: tuple[str, ...] = ()) -> Assumption:
    found = tags or tuple(dict.fromkeys(m.group(1) for m in _TAG.finditer(text)))
    return Assumption(where, text, found, bool(_PLACEHOLDER.search(text)))


def assumptions(campaign: Campaign) -> list[Assumption]:
    """Every tagged assumption of ``campaign``: its notes, then the presets it uses
    (orbit environment values, device responses), placeholders first.

    Examples
    --------
    >>> from reliability.campaign import parse_campaign
    >>> c = parse_campaign('''
    ... # * GPU life: mean 5 y [U, placeholder]
    ... # * two spares per node [D]
    ... [campaign]
    ... name = "x"
    ... mission = "1 y"
    ... trials = 1
    ... seed = 1
    ... [units.gpu]
    ... failures = [{ law = "exponential", mean = "5 y" }]
    ... [cluster]
    ... gpu = { n = 8, k = 6 }
    ... ''')
    >>> [(a.tags, a.placeholder) for a in assumptions(c)]
    [(('U',), True), (('D',), False)]
    """
    out = [_assumption("campaign file", text) for text in _notes(campaign.toml_text)]
    out = [a for a in out if a.tags or a.placeholder]
    base = campaign.base
    env = base.environment
    if env is not None:
        for key, value, tag, source in preset_provenance(env.orbit):
            used = getattr(env, key, value)
            note = f"{key} = {value:g}: {source}"
            if used != value and key.startswith("dose") and env.shielding_mm is not None:
                # not a number the campaign gives: its shield reads it off a curve
                curve = "the preset's curve" if env.dose_depth is None else env.dose_depth.source
                note = (
                    f"{key} = {used:.4g} read from {curve} behind the baseline's "
                    f"shielding_mm = {env.shielding_mm:g} (a scenario's own shield sets its "
                    f"own; preset {value:g}: {source})"
                )
                tag = "D"
            elif used != value:
                note = f"{key} = {used:g} set by the campaign (preset {value:g}: {source})"
                tag = "D"
            out.append(_assumption(f"orbit preset {env.orbit}", note, (tag,)))
    seen: set[str] = set()
    for unit in base.units:
        for entry in unit.radiation:
            if entry.device and entry.device not in seen:
                seen.add(entry.device)
                _, tag, source = DEVICES[entry.device]
                out.append(_assumption(f"device preset {entry.device}", source, (tag,)))
        if unit.memory is not None and unit.memory.device and unit.memory.device not in seen:
            seen.add(unit.memory.device)
            _, _, tag, source = MEMORIES[unit.memory.device]
            out.append(_assumption(f"memory preset {unit.memory.device}", source, (tag,)))
    return sorted(out, key=lambda a: not a.placeholder)


def at_a_glance(campaign: Campaign) -> list[str]:
    """The design in a few lines: tree, mission, spares and servicing, workload,
    environment (dose, SAA share), requirement."""
    base = campaign.base
    tree = " > ".join(
        f"{lv.name} {lv.k}-of-{lv.n}"
        + (f" (+{lv.spares.count} {lv.spares.kind} spares each)" if lv.spares is not None else "")
        for lv in base.levels
    )
    years = base.mission_h / HOURS_PER_YEAR
    mission = f"{years:.3g} years" if years >= 1 else f"{base.mission_h:g} h"
    lines = [f"Cluster: {tree}; {base.n_units} unit slots; mission {mission}."]
    if base.servicing is not None:
        sv = base.servicing
        lines.append(
            f"Servicing every {sv.every_h / HOURS_PER_YEAR:.3g} years ({sv.policy}"
            f"{', restocking spares' if sv.restock else ''})."
        )
    else:
        lines.append("No servicing: failed hardware stays failed unless spares replace it.")
    w = base.workload
    if w is not None:
        lines.append(
            f"Workload: {w.kind}"
            + (
                f", demand {w.demand_units or base.n_units:g} unit slots"
                if w.kind == "serving"
                else f" on {w.accelerators} units"
            )
            + "."
        )
    # every orbit a sweep flies, in order, each once
    envs = list(dict.fromkeys(sc.design.environment for sc in campaign.scenarios))
    for env in (e for e in envs if e is not None):
        lines.append(
            f"Environment: {env.orbit} ({env.altitude_km:g} km, {env.inclination_deg:g} deg), "
            f"dose {env.dose_rad_per_y:g} rad(Si)/y, SAA {env.saa_fraction:.0%} of the time "
            f"({env.saa_passes_per_day:g} passes a day) carrying {env.saa_share:.1%} of "
            f"proton upsets, solar {env.solar}."
        )
        lines.append(
            f"Shielding{f' ({env.orbit})' if len(envs) > 1 else ''}: {shielding_note(env)}."
        )
        beta, shade = eclipse_days(env, base.mission_h)
        lines.append(
            f"Sun{f' ({env.orbit})' if len(envs) > 1 else ''}: beta angle {beta.min():.0f} "
            f"to {beta.max():.0f} deg; "
            + (
                f"eclipses on {100 * (shade > 0).mean():.0f}% of days, up to "
                f"{shade.max():.0f} min per orbit."
                if (shade > 0).any()
                else "no eclipse in the mission."
            )
        )
    if base.power is not None:
        ps = base.power
        lines.append(
            f"Power per {ps.level}: {ps.array_w:g} W array (less {100 * ps.degradation_per_y:g}%"
            f" a year), {ps.battery_wh:g} Wh battery at {100 * ps.depth_of_discharge:g}% a "
            f"cycle, {ps.unit_w:g} W a unit; compute is shed when they fall short "
            f"({ps.policy})."
        )
    if base.links is not None:
        lk = base.links
        lines.append(
            f"Links per {lk.level}: "
            + (
                f"{len(lk.stations)} ground station(s) ({', '.join(st.name for st in lk.stations)})"
                f" above {lk.elevation_mask_deg:g} deg at {lk.downlink_gbps:g} Gbit/s; "
                if lk.stations
                else ""
            )
            + (f"a {lk.relay_gbps:g} Gbit/s relay; " if lk.relay_gbps else "")
            + f"a {lk.buffer_gb:g} GB store; {lk.output_gb_per_unit_h:g} GB of results per "
            "unit-hour; a full store stalls compute."
        )
    if base.thermal is not None:
        hot = [
            f"{u.name}.{m.name} ({m.activation_ev:g} eV)"
            for u in base.units
            for m in u.failures
            if m.activation_ev is not None
        ]
        lines.append(
            f"Heat: {base.thermal.radiator_m2:g} m^2 radiator; "
            + (
                f"{', '.join(hot)} {'ages' if len(hot) == 1 else 'age'} by the Arrhenius "
                "factor of the units' temperature "
                f"(laws stated at {base.thermal.reference_c:g} C)."
                if hot
                else "no failure mode depends on temperature."
            )
        )
    t = campaign.target
    if t is not None:
        lines.append(f"Requirement: P({t.metric} >= {t.at_least:g}) >= {t.confidence:g}.")
    return lines


#: most settings a suggested [swings] table moves
_MAX_SWINGS = 6


def suggested_swings(campaign: Campaign) -> str:
    """A ``[swings]`` table, ready to paste, that moves the campaign's uncertain life
    and rate inputs to half and twice their value (every unit's failure-mode means or
    scales, dose-proxy and per-day radiation rates), checked to load; "" when there
    is nothing to move or the campaign already has swings.

    Examples
    --------
    >>> from reliability.campaign import parse_campaign
    >>> c = parse_campaign('''
    ... [campaign]
    ... name = "x"
    ... mission = "1 y"
    ... trials = 1
    ... seed = 1
    ... [units.gpu]
    ... failures = [{ law = "exponential", mean = "5 y" }]
    ... [cluster]
    ... gpu = { n = 8, k = 6 }
    ... ''')
    >>> print(suggested_swings(c))
    [swings]
    "units.gpu.failures[0].mean" = ["2.5 y", "10 y"]
    """
    if campaign.swings is not None:
        return ""
    try:
        doc = tomllib.loads(campaign.toml_text)
    except tomllib.TOMLDecodeError:
        return ""
    lines = []
    for uname, unit in (doc.get("units") or {}).items():
        for i, mode in enumerate(unit.get("failures") or []):
            for key in ("mean", "scale"):
                if key in mode and isinstance(mode[key], str | int | float):
                    hours = parse_duration_h(mode[key])
                    lines.append(
                        f'"units.{uname}.failures[{i}].{key}" = '
                        f'["{duration_text(hours / 2)}", "{duration_text(2 * hours)}"]'
                    )
        for j, entry in enumerate(unit.get("radiation") or []):
            for key in ("per_rad", "per_device_day"):
                value = entry.get(key)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    lines.append(
                        f'"units.{uname}.radiation[{j}].{key}" = [{value / 2:g}, {2 * value:g}]'
                    )
    lines = lines[:_MAX_SWINGS]
    if not lines:
        return ""
    snippet = "[swings]\n" + "\n".join(lines)
    try:  # the suggestion must load: a copy of the file without its sweep, with the swings
        doc.pop("sweep", None)
        doc.pop("optimize", None)
        doc["swings"] = tomllib.loads(snippet)["swings"]
        validate_document(doc, source=campaign.source, files=dict(campaign.files) or None)
    except (CampaignError, ValueError, TypeError):
        return ""
    return snippet
