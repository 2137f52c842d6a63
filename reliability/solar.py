"""Solar particle events: the event-fluence model behind the presets' solar events.

The presets draw solar particle events (SPEs) as a Poisson process in the active
years of the cycle, each event of lognormal duration and lognormal intensity
(:func:`reliability.environment.spe_process`). This module gives that model its
numbers from published model outputs rather than placeholders:

* **Mean fluence and spread.** ESP (Xapsos et al., NASA/TP-1999-209763), the
  ECSS-E-ST-10-04C baseline, models the fluence of ``T`` active years as lognormal
  with ``sigma_T**2 = ln(1 + v/T)`` and ``mu_T = ln(T m) - sigma_T**2/2`` (``m``
  the mean fluence per active year, ``v`` its variance over ``m**2``) [V: the
  structure, ECSS eqs. B-10 to B-12; U: the exact algebra, not read in Xapsos]. Two SPENVIS 4.6.13 runs of ESP-PSYCHIC at 95% confidence, for
  3 and for 2 active years, fix both numbers (:func:`esp_fit`) [D].
* **Events.** Events arrive at ``w`` per active year [U]; a compound Poisson process
  of lognormal event fluences has the ESP mean and variance when the spread of ln
  fluence is ``sqrt(ln(w v))`` (:func:`event_sigma`) [D]; its 95% mission fluences
  are 0.8 of ESP's (the compound Poisson's tail is lighter), a check in
  ``reliability verify``.
* **Geomagnetic shielding.** The share of the interplanetary fluence that reaches an
  orbit (SPENVIS "proton exposure factor", eccentric dipole, quiet magnetosphere):
  0.21 in an 825 km, 98.8 deg polar orbit, 0.006 at 530 km, 53 deg, 0.90 in a
  high orbit (:data:`TRANSMISSION_SOURCES`).
* **Worst case.** CREME96's worst day (October 1989) at 1 AU, for the check that
  the model's largest events reach it (:func:`cycle_exceedance`): a day at its flux
  comes in about one cycle in three, harsher than the record, where October 1989 is
  the worst day of some six cycles measured [U].

Plain numbers in and out: this module knows no orbits' other properties.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

__all__ = [
    "CREME96_WORST_DAY_30MEV",
    "ESP_RUNS_30MEV",
    "ESP_SPECTRUM_1AU",
    "SPE_FLUENCE_30MEV",
    "SPE_FLUENCE_VARIANCE",
    "TRANSMISSION_SOURCES",
    "combined_share",
    "compound_quantile",
    "cycle_exceedance",
    "esp_fit",
    "esp_quantile",
    "event_flux",
    "event_sigma",
    "proton_share",
]

_SPENVIS = (
    "SPENVIS 4.6.13 ESP-PSYCHIC total fluence, 95%, model fluence at 1 AU "
    "(outputs in the public tdloveless/me-radfx course repository, HW_02 P3A and P3B)"
)


def _log_interp(x: float, x0: float, y0: float, x1: float, y1: float) -> float:
    """Log-log interpolation between two points of an integral spectrum."""
    u = math.log(x / x0) / math.log(x1 / x0)
    return math.exp(math.log(y0) + u * (math.log(y1) - math.log(y0)))


#: The events' integral proton spectrum at 1 AU from 10 to 500 MeV, ``(MeV, Phi(>E)
#: per cm^2)``: the 95% ESP-PSYCHIC fluence of the 3-active-year run below, whose shape
#: (not its size) slows events' protons in the shield like the trapped ones
#: (:func:`reliability.environment.spe_shield_factors`) [V: the SPENVIS table,
#: "Model fluence at 1.0 AU, Total prediction period, Integral". Source: ``_SPENVIS``].
ESP_SPECTRUM_1AU: tuple[tuple[float, float], ...] = (
    (10.0, 9.749e10),
    (12.0, 7.925e10),
    (14.0, 6.652e10),
    (16.0, 5.661e10),
    (18.0, 4.865e10),
    (20.0, 4.248e10),
    (22.0, 3.717e10),
    (25.0, 3.107e10),
    (28.0, 2.618e10),
    (32.0, 2.128e10),
    (35.0, 1.844e10),
    (40.0, 1.475e10),
    (45.0, 1.200e10),
    (50.0, 9.915e9),
    (55.0, 8.291e9),
    (63.0, 6.353e9),
    (71.0, 4.991e9),
    (80.0, 3.882e9),
    (90.0, 3.000e9),
    (100.0, 2.363e9),
    (110.0, 1.903e9),
    (120.0, 1.563e9),
    (140.0, 1.087e9),
    (160.0, 7.862e8),
    (180.0, 5.878e8),
    (200.0, 4.512e8),
    (220.0, 3.530e8),
    (250.0, 2.528e8),
    (280.0, 1.850e8),
    (320.0, 1.279e8),
    (350.0, 9.981e7),
    (400.0, 6.899e7),
    (450.0, 4.981e7),
    (500.0, 3.722e7),
)

_ESP = dict(ESP_SPECTRUM_1AU)

#: ESP-PSYCHIC fluences above 30 MeV at 1 AU not exceeded with 95% confidence, per
#: cm^2: ``(active years, fluence)``, log-log between the tabulated 28 and 32 MeV
#: [V: the SPENVIS tables; D: the interpolation]. Source: ``_SPENVIS``.
ESP_RUNS_30MEV: tuple[tuple[float, float], ...] = (
    (3.0, _log_interp(30.0, 28.0, _ESP[28.0], 32.0, _ESP[32.0])),  # 7 y, 3 in solar max
    (2.0, _log_interp(30.0, 28.0, 1.744e10, 32.0, 1.411e10)),  # 2 y in solar max
)

#: CREME96 worst-day (October 1989) integral proton flux above 30 MeV at 1 AU,
#: omnidirectional, per cm^2 per s: 4 pi x the tabulated per-steradian flux, log-log
#: between 28 and 32 MeV [V: SPENVIS 4.6.13 "CREME-96 (worst day)", same repository,
#: P3A solar-particle fluxes; D: the interpolation and 4 pi].
CREME96_WORST_DAY_30MEV = 4.0 * math.pi * _log_interp(30.0, 28.0, 2.393e3, 32.0, 1.870e3)

#: proton exposure factors (the orbit-averaged share of the interpolated fluence that
#: geomagnetic shielding lets through) of the SPENVIS runs above, per orbit
TRANSMISSION_SOURCES: dict[str, tuple[float, str]] = {
    "polar-825": (0.2138, "V: SPENVIS 4.6.13, 825 km, 98.8 deg (me-radfx HW_02 P3A)"),
    "leo-530-53": (0.006, "V: SPENVIS 4.6.13, 530 km, 53 deg (me-radfx HW_02 starlink run)"),
    "high": (0.9030, "V: SPENVIS 4.6.13, high orbit (me-radfx HW_02 P3B)"),
}


def esp_quantile(mean_per_year: float, v: float, years: float, p: float) -> float:
    """The ESP fluence of ``years`` active years not exceeded with probability ``p``.

    ``sigma_T**2 = ln(1 + v/T)``, ``mu_T = ln(T m) - sigma_T**2/2`` (ECSS-E-ST-10-04C
    eqs. B-10 to B-12 as quoted in ``shared/reference/radiation.md`` 2.4: the
    structure [V], the exact algebra [U]).

    Examples
    --------
    >>> round(esp_quantile(1.0, 0.0, 2.0, 0.95), 12)
    2.0
    """
    s2 = math.log1p(v / years)
    mu = math.log(years * mean_per_year) - 0.5 * s2
    return math.exp(mu + math.sqrt(s2) * float(stats.norm.ppf(p)))


def esp_fit(
    run_a: tuple[float, float], run_b: tuple[float, float], p: float = 0.95
) -> tuple[float, float]:
    """Mean fluence per active year ``m`` and relative variance ``v`` of the ESP
    lognormal that gives both runs' ``(active years, fluence at p)``.

    Examples
    --------
    >>> m, v = esp_fit((3.0, esp_quantile(2e9, 40.0, 3.0, 0.95)),
    ...                (2.0, esp_quantile(2e9, 40.0, 2.0, 0.95)))
    >>> round(m / 1e9, 6), round(v, 6)
    (2.0, 40.0)
    """

    def mean_from(run: tuple[float, float], v: float) -> float:
        t, f = run
        s2 = math.log1p(v / t)
        return f / t * math.exp(0.5 * s2 - math.sqrt(s2) * float(stats.norm.ppf(p)))

    def gap(log_v: float) -> float:
        v = math.exp(log_v)
        return math.log(mean_from(run_a, v)) - math.log(mean_from(run_b, v))

    # one root above v = 1 for spectra this variable (at 10 MeV a second one sits
    # near v = 0.05: the bracket keeps to the variable branch the event data show)
    log_v = optimize.brentq(gap, 0.0, math.log(1e4), xtol=1e-13)
    v = math.exp(log_v)
    return mean_from(run_a, v), v


#: mean fluence above 30 MeV per active year at 1 AU (per cm^2) and its relative
#: variance, from the two ESP-PSYCHIC runs [D: :func:`esp_fit` of ESP_RUNS_30MEV]
SPE_FLUENCE_30MEV, SPE_FLUENCE_VARIANCE = esp_fit(*ESP_RUNS_30MEV)


def event_sigma(events_per_year: float, v: float, duration_sigma: float = 0.0) -> float:
    """Spread of ln(event intensity) that gives a compound Poisson process of
    ``events_per_year`` lognormal event fluences the relative variance ``v`` per year.

    A year's fluence has variance ``w E[X**2]`` and mean ``w E[X]``, so for lognormal
    fluences of ln-spread ``s``, ``v = exp(s**2) / w``. Event fluence is intensity
    times duration, so the intensity takes what the duration's spread leaves.

    Examples
    --------
    >>> round(event_sigma(6.0, math.exp(4.0) / 6.0), 12)
    2.0
    """
    s2 = math.log(events_per_year * v) - duration_sigma**2
    if s2 <= 0:
        raise ValueError(f"events_per_year * v = {events_per_year * v:g} leaves no spread")
    return math.sqrt(s2)


#: a Julian year, the unit of the per-year fluences
SECONDS_PER_YEAR = 365.25 * 86400.0


def event_flux(fluence_per_active_year: float, transmission: float, active_fraction: float):
    """The events' flux at the orbit averaged over the solar cycle, per cm^2 s: the
    fluence of an active year, the share of years that are active, and the share the
    geomagnetic field lets through.

    Examples
    --------
    >>> round(event_flux(SECONDS_PER_YEAR, 0.5, 0.5), 12)
    0.25
    """
    return fluence_per_active_year * active_fraction * transmission / SECONDS_PER_YEAR


def proton_share(
    fluence_per_active_year: float,
    transmission: float,
    trapped_per_cm2_s: float,
    active_fraction: float,
) -> float:
    """Share of an orbit's long-run proton fluence above 30 MeV that solar events
    bring: ``S / (S + P)`` with ``S`` the transmitted event fluence averaged over the
    cycle and ``P`` the trapped-proton orbit mean (both omnidirectional, per cm^2 s).

    The share stands in for a proton-driven upset rate's share [U]: event spectra are
    softer than the trapped ones above 30 MeV, so it leans high for parts of high
    proton threshold or behind thick shielding, and low for parts that low-energy
    protons upset or behind thin shielding. ``P`` is AP-8 MIN, the spectrum the quiet
    rates are computed from, so the events add ``S/P`` of a part's quiet response.

    Examples
    --------
    >>> round(proton_share(2e9, 0.2, 60.0, 7 / 11), 4)
    0.1185
    """
    solar = event_flux(fluence_per_active_year, transmission, active_fraction)
    total = solar + trapped_per_cm2_s
    return solar / total if total > 0 else 0.0


def combined_share(ion_share: float, proton_share: float, heavy_ion_share: float) -> float:
    """Share of a rate from solar events when ``heavy_ion_share`` of its quiet part is
    heavy ions (events add ``ion_share`` of theirs) and the rest trapped protons
    (events add ``proton_share``).

    Examples
    --------
    >>> round(combined_share(0.02, 0.2, 1.0), 12), round(combined_share(0.02, 0.2, 0.0), 12)
    (0.02, 0.2)
    """
    extra = 0.0
    for weight, share in ((heavy_ion_share, ion_share), (1.0 - heavy_ion_share, proton_share)):
        if weight > 0:
            if share >= 1.0:
                return 1.0  # a part that has no quiet rate: events bring it all
            extra += weight * share / (1.0 - share)
    return extra / (1.0 + extra)


def cycle_exceedance(
    flux: float,
    *,
    fluence_per_active_year: float,
    events_per_year: float,
    duration_median_h: float,
    duration_sigma: float,
    intensity_sigma: float,
    active_years: float,
    window_h: float = 24.0,
) -> float:
    """Probability that a solar cycle holds a ``window_h`` (a day) whose mean flux
    exceeds ``flux`` (per cm^2 s, same energy and place as the fluence).

    Events are boxes: an event of intensity ``I`` (lognormal, mean 1) and duration
    ``D`` (lognormal) runs at ``I`` times the mean event flux ``m / (w E[D])``, so its
    worst window averages that times ``min(D, window) / window``.

    Examples
    --------
    >>> p = cycle_exceedance(1.0, fluence_per_active_year=3.6e3 * 48.0, events_per_year=1.0,
    ...                      duration_median_h=48.0, duration_sigma=1e-9,
    ...                      intensity_sigma=1e-9, active_years=7.0)
    >>> round(p, 6)  # every event runs at exactly 1/cm^2 s for two days: a coin flip
    0.969803
    """
    mean_d = duration_median_h * math.exp(0.5 * duration_sigma**2)
    base = fluence_per_active_year / (events_per_year * mean_d * 3600.0)
    # the duration's quantiles on a fine grid: the expectation over D of P(I > need)
    u = (np.arange(400) + 0.5) / 400
    d = duration_median_h * np.exp(duration_sigma * stats.norm.ppf(u))
    need = flux / (base * np.minimum(d, window_h) / window_h)
    z = (np.log(need) + 0.5 * intensity_sigma**2) / intensity_sigma
    per_event = float(np.mean(stats.norm.sf(z)))
    return -math.expm1(-events_per_year * active_years * per_event)


def compound_quantile(
    mean_per_year: float,
    events_per_year: float,
    sigma: float,
    years: float,
    p: float,
    *,
    rng: np.random.Generator,
    trials: int = 200_000,
) -> float:
    """The fluence of ``years`` active years not exceeded with probability ``p`` under
    the event model: Poisson(``events_per_year`` x ``years``) events of lognormal
    fluence (ln-spread ``sigma``, mean ``mean_per_year / events_per_year``), by
    simulation; compare with :func:`esp_quantile`."""
    n = rng.poisson(events_per_year * years, size=trials)
    owner = np.repeat(np.arange(trials), n)
    each = mean_per_year / events_per_year
    x = each * np.exp(-0.5 * sigma**2 + sigma * rng.standard_normal(owner.size))
    return float(np.quantile(np.bincount(owner, weights=x, minlength=trials), p))
