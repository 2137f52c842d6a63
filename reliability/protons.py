"""Trapped protons at a part: the Bendel cross-sections, the proton upset rate over a
spectrum, and how the aluminium around the parts changes it.

Formulas and sources as in :mod:`reliability.radiation` (Bendel & Petersen 1983,
Stapor et al. 1990); the shield is :mod:`reliability.shielding`'s.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

from reliability.environment import (
    COEFFICIENTS_SHIELDING_MM,
    TRAPPED_SOURCE,
    Environment,
    dose_depth,
    preset,
    trapped_above_30,
    trapped_protons,
)
from reliability.shielding import shield_protons
from reliability.solar import ESP_SPECTRUM_1AU

__all__ = [
    "bendel",
    "dose_proxy_rad_per_y",
    "dose_text",
    "equivalent_shielding_mm",
    "event_shield_factors",
    "proton_rate",
    "proton_shield_factor",
    "shielding_note",
]


def bendel(energy_mev, a: float, b: float | None = None):
    """Bendel proton cross-section in cm^2/bit.

    One-parameter form (``b`` omitted, Bendel & Petersen 1983): ``(24/A)**14 * F``;
    two-parameter form (Stapor et al. 1990): ``(B/A)**14 * F``, with
    ``F = [1 - exp(-0.18 Y**0.5)]**4 * 1e-12`` and ``Y = (18/A)**0.5 (E - A)``.

    Examples
    --------
    >>> f"{bendel(30.0, 15.0, 15.0):.3e}"
    '7.195e-14'
    """
    e = np.asarray(energy_mev, dtype=float)
    y = np.sqrt(18.0 / a) * np.maximum(e - a, 0.0)
    scale = ((24.0 if b is None else b) / a) ** 14
    return scale * 1e-12 * (-np.expm1(-0.18 * np.sqrt(y))) ** 4


def proton_rate(
    a: float,
    b: float | None,
    flux_above: Sequence[tuple[float, float]],
) -> float:
    """Proton upset rate per bit per second: ``integral sigma'(E) Phi(>E) dE`` (k_geo = 1)."""
    table = np.asarray(flux_above, dtype=float)
    e = np.geomspace(max(a, table[0, 0]) * (1 + 1e-9), table[-1, 0], 4001)
    phi = np.exp(np.interp(np.log(e), np.log(table[:, 0]), np.log(np.maximum(table[:, 1], 1e-300))))
    sig = bendel(e, a, b)
    # by parts: sigma(A) = 0 and Phi(>E_max) ends the table
    return float(np.trapezoid(np.gradient(sig, e) * phi, e))


#: Bendel A (MeV) that weighs the trapped-proton spectrum for fits that have none (a
#: heavy-ion Weibull or a proton saturation cross-section) [U: a typical onset of
#: modern SRAM, e.g. Petersen 1998's examples run 8-20 MeV]
_BENDEL_A_TYPICAL = 10.0


def proton_shield_factor(env: Environment, a: float, b: float | None = None) -> float:
    """How the aluminium around the parts changes the trapped-proton upset rate of a
    Bendel(A, B) part, against the shielding the orbit's C_p holds for
    (``COEFFICIENTS_SHIELDING_MM``): the ratio of :func:`proton_rate` over the orbit's
    trapped-proton spectrum slowed by each (:func:`reliability.shielding.shield_protons`).
    1 where no shielding is set or the orbit has no trapped protons.

    >>> from reliability.environment import preset
    >>> round(proton_shield_factor(preset("sso-650", shielding_mm=10.0), 10.0), 2)
    0.83
    """
    if env.shielding_mm is None or env.c_proton <= 0:
        return 1.0
    return _behind(env, a, b, env.shielding_mm, COEFFICIENTS_SHIELDING_MM)


def event_shield_factors(env: Environment, a: float, b: float | None = None) -> tuple[float, float]:
    """How the campaign's ``shielding_mm`` moves a Bendel(A, B) part's upset rate from the
    solar events' protons and from the trapped belt, each against its rate behind the
    2.54 mm the presets' coefficients hold for: ``(events, trapped)``, the factors
    :func:`reliability.environment.spe_share` takes. Both spectra are weighted by the
    part's own cross-section, so a part of high threshold behind a thick shield keeps
    more of the events than their flux above 30 MeV says. The events' spectrum is
    ESP-PSYCHIC's at 1 AU (:data:`reliability.solar.ESP_SPECTRUM_1AU`); the field's
    cutoff takes the lowest energies first, so at an orbit it is harder and these
    factors lean low for low-inclination orbits [U]. (1, 1) without ``shielding_mm``.

    >>> e, t = event_shield_factors(preset("sso-650", shielding_mm=10.0), 10.0)
    >>> round(e, 3), round(t, 3)
    (0.507, 0.831)
    """
    if env.shielding_mm is None:
        return 1.0, 1.0
    events = _kept(ESP_SPECTRUM_1AU, a, b, env.shielding_mm, COEFFICIENTS_SHIELDING_MM)
    trapped = proton_shield_factor(env, a, b) if trapped_above_30(env) > 0 else 1.0
    return events, trapped


def _behind(env: Environment, a: float, b: float | None, mm: float, ref_mm: float) -> float:
    """A Bendel(A, B) part's trapped-proton rate behind ``mm`` over that behind
    ``ref_mm``, in the orbit's spectrum (1 where it has none)."""
    outside = trapped_protons(env)
    return _kept(outside, a, b, mm, ref_mm) if len(outside) >= 2 else 1.0


def _kept(outside: tuple, a: float, b: float | None, mm: float, ref_mm: float) -> float:
    """A Bendel(A, B) part's rate in spectrum ``outside`` behind ``mm`` over that behind
    ``ref_mm`` (1 where nothing reaches it behind ``ref_mm``)."""
    ref = _rate_behind(outside, a, b, ref_mm)
    return _rate_behind(outside, a, b, mm) / ref if ref > 0 else 1.0


@functools.lru_cache(maxsize=512)
def _rate_behind(outside: tuple, a: float, b: float | None, mm: float) -> float:
    # every radiation entry, latch-up temperature step and scenario asks again
    return proton_rate(a, b, shield_protons(outside, mm))


def dose_proxy_rad_per_y(env: Environment) -> float:
    """The dose a dose-proxy (``per_rad``) rate is multiplied by. As given, the orbit's
    dose; behind a chosen ``shielding_mm``, the preset's dose (where the proxy is
    calibrated: Google's 150 rad/y in the 650 km SSO) moved as the trapped-proton
    upset rate moves from the aluminium that dose implies to ``shielding_mm``
    (:func:`proton_shield_factor`'s Bendel A = 10 MeV weighting [U]). Not the dose
    behind ``shielding_mm`` itself: its electrons upset nothing, and its protons fall
    faster with depth than their upsets (low energies carry the dose, high ones the
    upsets). For the same reason ``electron_dose_factor`` does not move it: the
    aluminium the calibration dose implies is read off the preset's curve as AE-8
    gives it.

    >>> from reliability.environment import preset
    >>> mm = equivalent_shielding_mm(preset("sso-650"))  # 19.2: the preset's own
    >>> round(dose_proxy_rad_per_y(preset("sso-650", shielding_mm=mm)), 6)
    150.0
    >>> round(dose_proxy_rad_per_y(preset("sso-650", shielding_mm=1.0)), 1)
    229.8
    """
    if env.shielding_mm is None:
        return env.dose_rad_per_y
    given = preset(env.orbit)
    if env.c_proton <= 0:
        return given.dose_rad_per_y
    ref_mm = equivalent_shielding_mm(given)
    ref_mm = dose_depth(given).depth_mm[-1] if ref_mm is None else ref_mm
    return given.dose_rad_per_y * _behind(env, _BENDEL_A_TYPICAL, None, env.shielding_mm, ref_mm)


def equivalent_shielding_mm(env: Environment) -> float | None:
    """The aluminium behind which the orbit's dose-depth curve gives ``env``'s dose
    (what a preset or overridden ``dose_rad_per_y`` implies); None outside the curve.

    >>> from reliability.environment import preset
    >>> round(equivalent_shielding_mm(preset("geo")), 1)
    10.8
    """
    base = preset(env.orbit)
    moved = (env.altitude_km, env.inclination_deg) != (base.altitude_km, base.inclination_deg)
    if moved and env.dose_depth is None:
        return None  # the preset's curve is not this orbit's
    curve = dose_depth(env)
    depth = np.asarray(curve.depth_mm)
    log_dose = np.log(np.asarray(curve.total_rad_per_y))
    x = math.log(env.dose_rad_per_y) if env.dose_rad_per_y > 0 else -math.inf
    if not log_dose[-1] <= x <= log_dose[0]:
        return None
    return float(np.interp(x, log_dose[::-1], depth[::-1]))


def _solar_part(env: Environment, mm: float, source: str) -> str:
    solar = None if env.dose_depth is None else env.dose_depth.solar_at(mm)
    if solar is None:
        return f" [D: {source}, no solar protons]"
    return f", {dose_text(solar)} of it solar protons [D: {source}]"


def dose_text(dose: float) -> str:
    """A dose for a line of ``validate`` (whole rad from 100 up).

    >>> dose_text(6114.99), dose_text(12.34)
    ('6,115', '12.3')
    """
    return f"{dose:,.0f}" if dose >= 100 else f"{dose:.3g}"


def shielding_note(env: Environment) -> str:
    """One line on what ``env``'s shielding sets: the dose and its trapped-proton part,
    where the curve comes from, the trapped-proton upset factor, and the aluminium an
    imported LET spectrum was computed behind; without ``shielding_mm``, the
    aluminium the dose as given implies."""
    mm = env.shielding_mm
    if mm is None:
        behind = equivalent_shielding_mm(env)
        return (
            f"dose {env.dose_rad_per_y:g} rad(Si)/y as given: the {env.orbit} curve gives it "
            + (
                f"behind {behind:.1f} mm Al"
                if behind is not None
                else "behind no depth 0.5-20 mm (or the orbit is moved off its preset)"
            )
            + " [D]; set shielding_mm to choose the aluminium"
        )
    source = f"{env.orbit}: {TRAPPED_SOURCE}" if env.dose_depth is None else env.dose_depth.source
    proton = env.dose_proton_rad_per_y
    text = (
        f"shielding {mm:g} mm Al (centre of a solid sphere): dose {dose_text(env.dose_rad_per_y)} "
        f"rad(Si)/y"
        + (f", {dose_text(proton)} of it trapped protons" if proton is not None else "")
        + _solar_part(env, mm, source)
    )
    if env.electron_dose_factor is not None:
        text += f"; electrons x{env.electron_dose_factor:g} of the curve's"
    text += f"; dose-proxy rates at {dose_proxy_rad_per_y(env):.4g} rad/y"
    if env.c_proton > 0:
        factor = proton_shield_factor(env, _BENDEL_A_TYPICAL)
        text += (
            f"; trapped-proton upsets x{factor:.3g} of C_p's {COEFFICIENTS_SHIELDING_MM:g} mm [U]"
        )
    if env.let_spectrum:
        behind = env.let_shielding_mm
        text += "; heavy ions not transported: the LET spectrum is " + (
            f"behind {behind:g} mm" if behind is not None else "taken as given"
        )
    return text
