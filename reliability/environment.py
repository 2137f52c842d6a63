"""Orbit radiation environments: presets and the time structure of fault rates.

One table, :data:`PRESET_TABLE`, holds every preset value with its evidence tag and
source (tags as in ``shared/reference/radiation.md``: V read in a primary source,
S secondary, U unverified placeholder, D derived here). A campaign picks a preset
with ``[environment] orbit = "sso-650"`` and may override any value by its key.

The environment does not change how many faults a device has on average; it says
*when* they happen. A given rate is the **long-run mean over a full solar cycle** (a
fitted one is the quiet rate, events on top). It splits into a quiet part outside the
South Atlantic Anomaly (SAA), a quiet part in the SAA passes (a daily run on
consecutive orbits) and a solar-particle-event (SPE) part, present only while an
event is under way; the quiet parts follow the solar cycle (ECSS-E-ST-10-04C: 7
active and 4 quiet years a cycle; GCR and trapped protons peak at solar minimum).
This module knows no devices and no engine.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from reliability import solar as _solar
from reliability.presets import NODE_DEFAULTS, PRESET_TABLE
from reliability.shielding import DoseDepth, flux_above_behind, shield_protons

__all__ = [
    "ACTIVE_YEARS",
    "COEFFICIENTS_SHIELDING_MM",
    "CYCLE_YEARS",
    "NODE_DEFAULTS",
    "PRESET_TABLE",
    "Environment",
    "RateShape",
    "SpeProcess",
    "dose_depth",
    "orbit_period_h",
    "pattern_time",
    "preset",
    "rate_shape",
    "saa_pass_h",
    "saa_pattern",
    "saa_period",
    "solar_steps",
    "spe_flux_30",
    "spe_process",
    "spe_share",
    "spe_shield_factors",
    "spe_worst_factor",
    "steps_integral",
    "trapped_above_30",
    "trapped_protons",
]

HOURS_PER_YEAR = 8760.0
ACTIVE_YEARS = 7.0  # [V] ECSS-E-ST-10-04C I.2.1
CYCLE_YEARS = 11.0
_MU_EARTH_KM3_S2 = 398600.4418
_R_EARTH_KM = 6378.137


def orbit_period_h(altitude_km: float) -> float:
    """Period of a circular orbit at ``altitude_km`` (Kepler's third law), in hours.

    Examples
    --------
    >>> round(orbit_period_h(400.0) * 60, 1)
    92.6
    """
    a = _R_EARTH_KM + altitude_km
    return 2.0 * math.pi * math.sqrt(a**3 / _MU_EARTH_KM3_S2) / 3600.0


#: aluminium (mm) behind which the presets' C_p holds, for :func:`reliability.radiation.
#: proton_shield_factor` [U: taken as CREME's 100 mil default; Petersen 1998 not checked]
COEFFICIENTS_SHIELDING_MM = 2.54

ORBITS: tuple[str, ...] = tuple(dict.fromkeys(o for o, *_ in PRESET_TABLE if o != "*"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Environment:
    """A resolved orbit environment (a preset with the campaign's overrides)."""

    orbit: str
    solar: str = "cycle"  # "min" | "max" | "cycle"
    altitude_km: float
    inclination_deg: float
    orbit_period_h: float
    c_heavy_ion: float
    c_proton: float
    dose_rad_per_y: float
    saa_fraction: float
    saa_share: float
    saa_passes_per_day: float
    spe_ion_share: float  # share of heavy-ion (GCR-like) rates from solar events
    spe_transmission: float  # share of the interplanetary event fluence reaching the orbit
    spe_fluence_per_active_year: float  # mean >30 MeV fluence at 1 AU, per cm^2
    # where no trapped protons reach 30 MeV: a proton-sensitive part's upsets per bit-day
    # per figure of merit per unit >30 MeV flux (/cm^2 s) of the events
    spe_proton_response: float
    # a campaign's share of every rate from solar events; None: from the orbit's
    # fluences (:func:`spe_share`)
    spe_share: float | None = None
    gcr_solar_ratio: float
    trapped_solar_ratio: float
    spe_per_active_year: float
    spe_duration_median_h: float
    spe_duration_sigma: float
    spe_intensity_sigma: float
    cycle_phase_y: float
    let_spectrum: tuple[tuple[float, float], ...] = ()  # (LET, Phi(>LET) /cm^2/s), shielded
    proton_spectrum: tuple[tuple[float, float], ...] = ()  # (MeV, Phi(>E) /cm^2/s)
    k_geo: float = 0.5  # geometry factor of the LET rate integral (thin planar volume)
    # where the orbit's node is and when the mission starts: they set the beta angle
    # over the year, and so the eclipses (None: the preset's, see orbit_node)
    ltan_h: float | None = None  # local time of the ascending node, h
    raan_deg: float | None = None  # right ascension of the ascending node at the start
    epoch: str | None = None  # the mission's first day, "YYYY-MM-DD"
    # aluminium around the parts (centre of a solid sphere, mm): sets the dose from the
    # dose-depth curve (the preset's, or ``dose_depth`` imported) and slows the trapped
    # protons; None: the preset's dose_rad_per_y and C_p as they stand
    shielding_mm: float | None = None
    dose_depth: DoseDepth | None = None  # imported (SPENVIS SHIELDOSE-2)
    electron_dose_factor: float | None = None  # the curve's electron dose times this
    dose_proton_rad_per_y: float | None = None  # the curve's trapped-proton part
    trapped_protons: tuple[tuple[float, float], ...] | None = None  # outside, imported
    let_shielding_mm: float | None = None  # the aluminium an imported LET spectrum is behind

    @property
    def dose_rad_per_h(self) -> float:
        """Total ionising dose rate in rad(Si) per hour."""
        return self.dose_rad_per_y / HOURS_PER_YEAR

    @property
    def spe_mean_duration_h(self) -> float:
        """Mean duration of a solar particle event (lognormal), in hours."""
        return self.spe_duration_median_h * math.exp(0.5 * self.spe_duration_sigma**2)


#: keys a campaign may override (everything numeric of :class:`Environment`)
OVERRIDABLE: tuple[str, ...] = tuple(
    f.name
    for f in fields(Environment)
    if f.name
    not in (
        "orbit",
        "solar",
        "let_spectrum",
        "proton_spectrum",
        "ltan_h",
        "raan_deg",
        "epoch",
        "shielding_mm",
        "dose_depth",
        "dose_proton_rad_per_y",
        "trapped_protons",
        "let_shielding_mm",
    )
)


def preset(orbit: str, solar: str = "cycle", **overrides: Any) -> Environment:
    """The preset environment of ``orbit`` with ``overrides`` applied.

    Examples
    --------
    >>> env = preset("sso-650")
    >>> env.dose_rad_per_y, round(env.orbit_period_h * 60, 1)
    (150.0, 97.7)
    """
    if orbit not in ORBITS:
        raise ValueError(f"unknown orbit {orbit!r} (known: {', '.join(ORBITS)})")
    values = {k: v for o, k, v, *_ in PRESET_TABLE if o in (orbit, "*")}
    # the period follows the altitude, the campaign's if it sets one (and not the period)
    altitude = overrides.get("altitude_km", values["altitude_km"])
    values["orbit_period_h"] = orbit_period_h(altitude)
    if {"spe_per_active_year", "spe_duration_sigma"} & set(overrides):
        # the event spread keeps ESP's variance with the campaign's events
        values["spe_intensity_sigma"] = _solar.event_sigma(
            overrides.get("spe_per_active_year", values["spe_per_active_year"]),
            _solar.SPE_FLUENCE_VARIANCE,
            overrides.get("spe_duration_sigma", values["spe_duration_sigma"]),
        )
    env = Environment(orbit=orbit, solar=solar, **values)
    env = replace(env, **overrides) if overrides else env
    if env.electron_dose_factor is not None and env.shielding_mm is None:
        raise ValueError("electron_dose_factor scales a dose-depth curve: it needs shielding_mm")
    if env.shielding_mm is not None:
        curve = dose_depth(env)
        env = replace(
            env,
            dose_rad_per_y=curve.at(env.shielding_mm),
            dose_proton_rad_per_y=curve.proton_at(env.shielding_mm),
        )
        if env.trapped_protons:  # imported outside the spacecraft: slowed by the shield
            env = replace(
                env, proton_spectrum=shield_protons(env.trapped_protons, env.shielding_mm)
            )
    return env


_DATA = Path(__file__).with_name("data") / "trapped_environment.csv"
#: where the preset curves and spectra come from (tools/derive_environment.py)
TRAPPED_SOURCE = (
    "AP-8 MIN + AE-8 MAX orbit mean, SHIELDOSE-2 centre of Al spheres "
    "(IRBEM via SpacePy 0.7.0, tools/derive_environment.py)"
)


@functools.cache
def _trapped_table() -> dict[tuple[str, str], np.ndarray]:
    rows: dict[tuple[str, str], list] = {}
    for line in _DATA.read_text().splitlines():
        if line.startswith(("#", "orbit,")):
            continue
        orbit, kind, *nums = line.split(",")
        rows.setdefault((orbit, kind), []).append([float(v) if v else 0.0 for v in nums])
    return {k: np.asarray(v) for k, v in rows.items()}


def dose_depth(env: Environment) -> DoseDepth:
    """The dose-depth curve of ``env``: the imported one, else the preset orbit's
    [D: :data:`TRAPPED_SOURCE`; trapped particles only, no solar protons]; its
    electrons times ``electron_dose_factor`` when the campaign sets one."""
    c = env.dose_depth
    if c is None:
        t = _trapped_table()[(env.orbit, "dose")]
        c = DoseDepth(*(tuple(t[:, i]) for i in range(3)), env.orbit, tuple(t[:, 3]))
    f = env.electron_dose_factor
    return c if f is None else c.electrons_scaled(f)


def trapped_protons(env: Environment) -> tuple[tuple[float, float], ...]:
    """The integral trapped-proton spectrum outside the spacecraft ``((MeV, Phi(>E)
    per cm^2 per s), ...)``: the imported one, else the preset orbit's AP-8 MIN orbit
    mean (empty where the orbit has no trapped protons)."""
    if env.trapped_protons:
        return env.trapped_protons
    t = _trapped_table()[(env.orbit, "proton")]
    return tuple((float(e), float(f)) for e, f in t[:, :2] if f > 0)


def trapped_above_30(env: Environment) -> float:
    """The orbit's trapped-proton flux above 30 MeV outside the spacecraft (per cm^2
    s): the imported spectrum's or the preset's AP-8 MIN orbit mean, 0 where the
    spectrum stops below 30 MeV (MEO, GEO). An orbit moved off its preset
    (``altitude_km``) keeps the preset's, as it keeps its other coefficients."""
    known = env.trapped_protons or (env.orbit, "proton") in _trapped_table()
    if not known:
        return 0.0
    trapped = np.log(np.asarray(trapped_protons(env)))
    if trapped[-1, 0] < np.log(30.0):
        return 0.0
    return float(np.exp(np.interp(np.log(30.0), trapped[:, 0], trapped[:, 1])))


def spe_shield_factors(env: Environment) -> tuple[float, float]:
    """How the campaign's ``shielding_mm`` moves the proton flux above 30 MeV of the
    solar events and of the trapped belt, each against its flux behind the 2.54 mm the
    presets' coefficients hold for: ``(events, trapped)``, (1, 1) without shielding.
    Event spectra are softer (ESP-PSYCHIC's at 1 AU, :data:`reliability.solar.
    ESP_SPECTRUM_1AU`), so aluminium takes more of them [D: both slowed by
    :func:`reliability.shielding.shield_protons`]. The orbit's measure, which
    ``validate`` prints; a part's rates weigh both spectra by its own cross-section
    (:func:`reliability.protons.event_shield_factors`).

    >>> e, t = spe_shield_factors(preset("sso-650", shielding_mm=10.0))
    >>> round(e, 3), round(t, 3)
    (0.464, 0.808)
    """
    if env.shielding_mm is None:
        return 1.0, 1.0

    def kept(spectrum):
        at = flux_above_behind(spectrum, 30.0, env.shielding_mm)
        return at / flux_above_behind(spectrum, 30.0, COEFFICIENTS_SHIELDING_MM)

    trapped = kept(trapped_protons(env)) if trapped_above_30(env) > 0 else 1.0
    return kept(_solar.ESP_SPECTRUM_1AU), trapped


def spe_flux_30(env: Environment) -> float:
    """The events' >30 MeV proton flux at the orbit, cycle mean, per cm^2 s."""
    share = ACTIVE_YEARS / CYCLE_YEARS
    return _solar.event_flux(env.spe_fluence_per_active_year, env.spe_transmission, share)


def spe_share(
    env: Environment,
    heavy_ion_share: float | None = None,
    saa_share: float | None = None,
    proton_fom_per_quiet: float = 0.0,
    shield: tuple[float, float] | None = None,
) -> float:
    """Share of a rate's long-run mean that solar particle events bring.

    The campaign's ``spe_share`` when it gives one. Otherwise the quiet rate's heavy-ion
    part (``heavy_ion_share``; else what the SAA split leaves outside the SAA) takes
    ``spe_ion_share`` [U] and its trapped-proton part the share of the orbit's >30 MeV
    proton fluence from events (:func:`reliability.solar.proton_share`:
    :func:`spe_flux_30` against :func:`trapped_above_30`). Where no trapped protons
    reach 30 MeV (MEO, GEO) the quiet rate is all heavy ions, and the events' protons
    arrive in full: a part whose proton figure of merit is ``proton_fom_per_quiet`` of
    its quiet rate (per bit-day) takes them at ``spe_proton_response`` per unit flux
    (what the SSO presets' C_p gives per unit of trapped flux [D]). Behind a chosen
    ``shielding_mm`` both are slowed in the aluminium: ``shield`` gives the factors
    (events, trapped) of a part's rates (:func:`reliability.protons.
    event_shield_factors`), by default those of the flux above 30 MeV
    (:func:`spe_shield_factors`).

    Examples
    --------
    >>> round(spe_share(preset("sso-650"), heavy_ion_share=0.0), 3)
    0.127
    """
    if env.spe_share is not None:
        return env.spe_share
    p30 = trapped_above_30(env)
    f_events, f_trapped = spe_shield_factors(env) if shield is None else shield
    if p30 <= 0:
        extra = env.spe_ion_share / (1.0 - env.spe_ion_share)
        extra += env.spe_proton_response * spe_flux_30(env) * f_events * proton_fom_per_quiet
        return extra / (1.0 + extra)
    protons = _solar.proton_share(
        env.spe_fluence_per_active_year * f_events,
        env.spe_transmission,
        p30 * f_trapped,
        ACTIVE_YEARS / CYCLE_YEARS,
    )
    if heavy_ion_share is None:
        f = env.saa_fraction
        saa = env.saa_share if saa_share is None else saa_share
        heavy_ion_share = min(1.0, max(0.0, (1.0 - saa) / (1.0 - f))) if f > 0 else 1.0
    return _solar.combined_share(env.spe_ion_share, protons, heavy_ion_share)


def spe_worst_factor(
    env: Environment, spe_share: float | None = None, heavy_ion_share: float | None = None
) -> float:
    """How many times its long-run mean a rate runs during the most intense solar
    particle event of a solar cycle (the median of the largest of the cycle's events,
    ``spe_per_active_year`` x 7 active years of lognormal intensity of mean 1), for a
    rate whose ``spe_share`` (default the orbit's, :func:`reliability.environment.
    spe_share` for ``heavy_ion_share``) comes from events; outside the SAA, quiet part
    at its mean.

    The check against a published worst case: CREME96's worst day (October 1989)
    is about 3,300 times the solar-minimum GCR flux of >32 MeV protons in an 825 km
    polar orbit (SPENVIS, geomagnetic attenuation included) and about 40 times the
    AP-8 MIN trapped-proton orbit mean of the 800 km preset, though that day is the
    record of some six cycles, not a cycle's median worst
    (:func:`reliability.solar.cycle_exceedance`).

    Examples
    --------
    >>> round(spe_worst_factor(preset("sso-650", solar="cycle"), heavy_ion_share=0.0), 1)
    52.9
    """
    share = spe_share_of(env, heavy_ion_share) if spe_share is None else spe_share
    events = env.spe_per_active_year * ACTIVE_YEARS
    if share <= 0 or events <= 0:
        return 1.0 - share
    event_h_per_h = events / (CYCLE_YEARS * HOURS_PER_YEAR) * env.spe_mean_duration_h
    sigma = env.spe_intensity_sigma
    largest = math.exp(-0.5 * sigma**2 + sigma * stats.norm.ppf(0.5 ** (1.0 / events)))
    return (1.0 - share) + share / event_h_per_h * largest


def provenance(orbit: str) -> list[tuple[str, float, str, str]]:
    """(key, value, tag, source) of every preset value used by ``orbit``."""
    return [(k, v, tag, src) for o, k, v, tag, src in PRESET_TABLE if o in (orbit, "*")]


# ----------------------------------------------------------------------------- time structure


def steps_integral(steps: Sequence[tuple[float, float]], end_h: float) -> float:
    """Integral over [0, end_h] of a steps function ``[(start_h, value), ...]``."""
    total = 0.0
    for i, (start, value) in enumerate(steps):
        stop = min(steps[i + 1][0], end_h) if i + 1 < len(steps) else end_h
        if stop > start:
            total += value * (stop - start)
    return total


def solar_levels(ratio: float) -> tuple[float, float]:
    """(active, quiet) multipliers with quiet/active = ``ratio`` and cycle mean 1."""
    active = CYCLE_YEARS / (ACTIVE_YEARS + (CYCLE_YEARS - ACTIVE_YEARS) * ratio)
    return active, ratio * active


def solar_steps(env: Environment, mission_h: float) -> list[tuple[float, bool]]:
    """Solar phases over the mission: ``[(start_h, active), ...]`` from 0 h."""
    if env.solar != "cycle":
        return [(0.0, env.solar == "max")]
    cycle_h = CYCLE_YEARS * HOURS_PER_YEAR
    active_h = ACTIVE_YEARS * HOURS_PER_YEAR
    phase = (env.cycle_phase_y * HOURS_PER_YEAR) % cycle_h
    out: list[tuple[float, bool]] = [(0.0, phase < active_h)]
    t = (active_h - phase) if phase < active_h else (cycle_h - phase)
    while t < mission_h:
        active = not out[-1][1]
        out.append((t, active))
        t += active_h if active else cycle_h - active_h
    return out


@dataclass(frozen=True, slots=True)
class RateShape:
    """How a long-run mean fault rate ``mean_per_h`` is laid out in time.

    ``outside``/``inside`` are the quiet rates outside and inside SAA passes, as
    ``[(start_h, rate_per_h), ...]`` steps over the mission (the solar cycle);
    ``spe_per_intensity_h`` is the rate per unit SPE intensity while an event runs.
    """

    mean_per_h: float
    outside: tuple[tuple[float, float], ...]
    inside: tuple[tuple[float, float], ...]
    spe_per_intensity_h: float
    saa_share: float
    spe_share: float


spe_share_of = spe_share  # rate_shape's argument of that name hides the function


def rate_shape(
    env: Environment,
    mission_h: float,
    mean_per_h: float,
    *,
    saa_share: float | None = None,
    spe_share: float | None = None,
    heavy_ion_share: float | None = None,
) -> RateShape:
    """Split a long-run mean rate into its SAA, quiet and SPE parts over the mission.

    Parameters
    ----------
    env : Environment
    mission_h : float
    mean_per_h : float
        Long-run mean rate (solar-cycle average, SPEs included), per hour.
    saa_share : float, optional
        Share of quiet events that happen in SAA passes (default: the environment's).
        Must be at least the SAA time fraction (the SAA never lowers a rate).
    spe_share : float, optional
        Share of all events due to solar particle events (default: :func:`spe_share`).
    heavy_ion_share : float, optional
        Share of the quiet rate driven by GCR heavy ions (uniform, solar-modulated with
        ``gcr_solar_ratio``); the rest is trapped protons (in SAA passes, following
        ``trapped_solar_ratio``). Used when ``saa_share`` is not given. Default: the
        quiet rate outside the SAA is GCR, the excess inside it trapped protons.
    """
    f = env.saa_fraction
    spe = spe_share_of(env, heavy_ion_share, saa_share) if spe_share is None else spe_share
    quiet = mean_per_h * (1.0 - spe)
    if saa_share is None and heavy_ion_share is not None:
        # split by physics: GCR heavy ions are uniform over the orbit, trapped protons
        # arrive in SAA passes (uniform too where there is no SAA)
        gcr, trapped = quiet * heavy_ion_share, quiet * (1.0 - heavy_ion_share)
    else:
        saa = env.saa_share if saa_share is None else saa_share
        if f <= 0.0:
            saa = 0.0
        elif saa < f - 1e-12:
            raise ValueError(f"saa_share = {saa:g} is below the SAA time fraction {f:g}")
        # the quiet rate outside the SAA is GCR, uniform over the orbit; the excess
        # inside is trapped protons
        gcr = quiet * (1.0 - saa) / (1.0 - f) if f > 0 else quiet
        trapped = max(0.0, quiet * saa - gcr * f)
    g_act, g_quiet = solar_levels(env.gcr_solar_ratio)
    p_act, p_quiet = solar_levels(env.trapped_solar_ratio)
    outside, inside = [], []
    for start, active in solar_steps(env, mission_h):
        g = g_act if active else g_quiet
        p = p_act if active else p_quiet
        if f > 0:
            outside.append((start, gcr * (1.0 - f) * g))
            inside.append((start, gcr * f * g + trapped * p))
        else:
            outside.append((start, gcr * g + trapped * p))
            inside.append((start, 0.0))
    saa = (gcr * f + trapped) / quiet if f > 0 and quiet > 0 else 0.0
    # SPE: events arrive at spe_per_active_year in active years, mean intensity 1
    mean_dur = env.spe_mean_duration_h
    spe_hours_per_h = env.spe_per_active_year * (ACTIVE_YEARS / CYCLE_YEARS) * mean_dur
    spe_hours_per_h /= HOURS_PER_YEAR
    spe_rate = mean_per_h * spe / spe_hours_per_h if spe > 0 and spe_hours_per_h > 0 else 0.0
    return RateShape(
        mean_per_h=mean_per_h,
        outside=tuple(outside),
        inside=tuple(inside),
        spe_per_intensity_h=spe_rate,
        saa_share=saa,
        spe_share=spe,
    )


def saa_pattern(
    saa_fraction: float, period_h: float, *, inside: bool, passes: int = 0
) -> tuple[list[float], list[float], list[float]]:
    """A day's multiplier of a quiet rate: ``passes`` SAA passes at the starts of as
    many consecutive orbits (of ``period_h``), then clear orbits until the day ends
    (the Earth turns the SAA under the orbit once a day), ``saa_fraction`` of the day
    in all; ``passes = 0``: one pass at the start of every orbit (the pattern's period
    is then the orbit). The part of a rate that arrives inside the SAA runs at 1/f
    during a pass and 0 after it; the part outside at 0 during a pass and 1/(1 - f)
    after it; either averages 1 over the pattern. Returned as steps within its
    :func:`saa_period` (piece starts, multipliers, cumulative at the starts).

    >>> [round(t, 2) for t in saa_pattern(0.07, 1.6, inside=True, passes=2)[0]]
    [0.0, 0.84, 1.6, 2.44]
    """
    f = saa_fraction
    day = saa_period(period_h, passes)
    length = f * day / max(passes, 1)
    starts: list[float] = []
    mults: list[float] = []
    for j in range(max(passes, 1)):
        starts += [j * period_h, j * period_h + length]
        mults += [1.0 / f, 0.0] if inside else [0.0, 1.0 / (1.0 - f)]
    if not inside:  # the clear stretch after the last pass runs at the outside rate
        mults[-1] = 1.0 / (1.0 - f)
    cum = [0.0]
    for i in range(1, len(starts)):
        cum.append(cum[-1] + mults[i - 1] * (starts[i] - starts[i - 1]))
    return starts, mults, cum


def saa_period(period_h: float, passes: int) -> float:
    """The SAA pattern's period: a day with ``passes`` consecutive passes, else an
    orbit."""
    return 24.0 if passes > 0 else period_h


def saa_pass_h(env: Environment) -> tuple[float, float, int]:
    """(one pass's length, the pattern's period, passes in it) of ``env``'s SAA, h."""
    passes = int(env.saa_passes_per_day)
    day = saa_period(env.orbit_period_h, passes)
    return env.saa_fraction * day / max(passes, 1), day, max(passes, 1)


def pattern_time(pattern: tuple[list[float], list[float], list[float]], period_h: float, t: float):
    """P(t): the integral from 0 to ``t`` of a ``pattern`` (see :func:`saa_pattern`)
    repeated every ``period_h``."""
    k = math.floor(t / period_h)
    s = t - k * period_h
    pt, pm, pc = pattern
    i = bisect.bisect_right(pt, s) - 1
    return k * period_h + pc[i] + pm[i] * (s - pt[i])


@dataclass(frozen=True, slots=True)
class SpeProcess:
    """Solar particle events over a mission: a Poisson process of occurrence rate
    ``occurrence`` (``[(start_h, events_per_h), ...]``, events only in active solar
    years), each event lasting a lognormal time (``duration_mu``/``duration_sigma``
    of ln h) at a lognormal intensity of mean 1; ``expected`` events in the mission."""

    occurrence: tuple[tuple[float, float], ...]
    duration_mu: float
    duration_sigma: float
    intensity_mu: float
    intensity_sigma: float
    expected: float


def spe_process(env: Environment, mission_h: float) -> SpeProcess:
    """The solar-particle-event process of ``env`` over a mission.

    Examples
    --------
    >>> spe = spe_process(preset("geo", solar="max"), 8760.0)
    >>> round(spe.expected, 6), round(math.exp(spe.duration_mu), 1)
    (6.0, 48.0)
    """
    rate = env.spe_per_active_year / HOURS_PER_YEAR
    occurrence = tuple((t, rate if active else 0.0) for t, active in solar_steps(env, mission_h))
    sigma_i = env.spe_intensity_sigma
    return SpeProcess(
        occurrence=occurrence,
        duration_mu=math.log(env.spe_duration_median_h),
        duration_sigma=env.spe_duration_sigma,
        intensity_mu=-0.5 * sigma_i**2,  # mean intensity 1
        intensity_sigma=sigma_i,
        expected=steps_integral(occurrence, mission_h),
    )
