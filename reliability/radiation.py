"""Device response to radiation: cross-sections, upset rates and fault classes.

Formulas and their sources are in ``shared/reference/radiation.md`` section 1:

* the heavy-ion Weibull cross-section and the LET-spectrum rate integral
  ``R = k_geo * integral sigma'(L) Phi(>L) dL`` (integration by parts of the
  differential form, numerically better behaved);
* Petersen's figure of merit ``FOM = sigma_sat / L_0.25**2`` with per-orbit
  coefficients ``C`` (rate in upsets per bit-day = ``C * FOM``), and the proton-only
  variant ``FOM ~ 4.5e4 * sigma_PL``;
* the Bendel one- and two-parameter proton cross-sections.

:func:`fault_processes` turns a unit type's ``radiation`` entries and ``memory`` (see
:mod:`reliability.campaign`) into :class:`FaultProcess` objects: a fault class, its
effect on the unit and its rate laid out in time by the orbit environment.
This module knows no cluster layout and no engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import integrate, optimize

from reliability.environment import (
    HOURS_PER_YEAR,
    Environment,
    RateShape,
    preset,
    rate_shape,
    saa_pass_h,
    spe_worst_factor,
    steps_integral,
)
from reliability.environment import spe_share as env_spe_share
from reliability.laws import Law
from reliability.mitigation import (
    mbu_due_rate,
    secded_due_in_passes,
    secded_noscrub_weibull_scale,
    symbol_mbu_due_rate,
)
from reliability.protons import (
    _BENDEL_A_TYPICAL,
    bendel,
    dose_proxy_rad_per_y,
    event_shield_factors,
    proton_rate,
    proton_shield_factor,
)

__all__ = [
    "DEFAULT_RECOVER_H",
    "EFFECTS",
    "FAULT_CLASSES",
    "FaultProcess",
    "RateRow",
    "bendel",
    "fault_processes",
    "figure_of_merit",
    "l25",
    "proton_fom",
    "proton_rate",
    "proton_shield_factor",
    "rate_integral",
    "rate_table",
    "spe_worst_factor",
    "weibull_cross_section",
]

SECONDS_PER_DAY = 86400.0

#: Highest LET (MeV cm^2/mg) of the recoils proton nuclear reactions leave in silicon:
#: a part whose heavy-ion onset L0 is above it has no proton-induced upsets, and the
#: figure of merit's proton term does not apply to it. [U: the value commonly quoted
#: in proton test guidance (about 15), not yet traced to its primary source]
RECOIL_LET_MAX = 15.0

#: fault classes of radiation entries and their default effect on the unit
FAULT_CLASSES: dict[str, str] = {
    "corrected": "none",  # flip corrected by ECC: counted, never replayed one by one
    "sdc": "silent",  # silent data corruption
    "due": "transient",  # detected uncorrectable error: restart
    "sefi": "transient",  # functional interrupt: reset or power cycle
    "sel": "transient",  # latch-up: power cycle (a share may destroy the part)
    "tid": "permanent",  # total-dose wear-out
    "seb": "permanent",  # burnout of a power device
}
#: effects a fault can have on the unit it hits
EFFECTS = ("none", "silent", "transient", "permanent")
#: default recovery of transient classes [U: the reference gives only ranges]
DEFAULT_RECOVER_H = {"due": 10 / 60, "sefi": 5 / 60, "sel": 2 / 60}


# ----------------------------------------------------------------------------- cross-sections


def weibull_cross_section(let, sigma_sat: float, l0: float, w: float, s: float):
    """Heavy-ion Weibull cross-section sigma(L) (ECSS-E-ST-10-12C section 9.5).

    Examples
    --------
    >>> round(float(weibull_cross_section(21.0, 1e-8, 1.0, 20.0, 1.0)) / 1e-8, 6)
    0.632121
    """
    x = np.maximum(np.asarray(let, dtype=float) - l0, 0.0) / w
    return sigma_sat * -np.expm1(-(x**s))


def l25(sigma_sat: float, l0: float, w: float, s: float) -> float:
    """LET at which sigma reaches a quarter of saturation, by root finding on sigma(L).

    The closed form ``L0 + W (ln 4/3)**(1/s)`` is what ``reliability verify`` checks
    this against.
    """
    target = 0.25 * sigma_sat
    hi = l0 + w
    while weibull_cross_section(hi, sigma_sat, l0, w, s) < target:
        hi = l0 + 2.0 * (hi - l0)
    return optimize.brentq(
        lambda x: float(weibull_cross_section(x, sigma_sat, l0, w, s)) - target,
        l0,
        hi,
        xtol=1e-14,
        rtol=4 * np.finfo(float).eps,
    )


def figure_of_merit(sigma_sat: float, l0: float, w: float, s: float) -> float:
    """Petersen's figure of merit ``sigma_sat / L_0.25**2`` (cm^2/bit over (MeV cm^2/mg)^2)."""
    return sigma_sat / l25(sigma_sat, l0, w, s) ** 2


def proton_fom(sigma_pl: float) -> float:
    """Figure of merit from proton data only: ``4.5e4 * sigma_PL`` (Petersen 1998)."""
    return 4.5e4 * sigma_pl


def rate_integral(
    sigma_sat: float,
    l0: float,
    w: float,
    s: float,
    flux_above: Callable[[float], float] | Sequence[tuple[float, float]],
    *,
    k_geo: float = 0.5,
    l_max: float = 120.0,
) -> float:
    """Upset rate ``k_geo * integral_{L0}^{Lmax} sigma'(L) Phi(>L) dL`` per bit per second.

    Parameters
    ----------
    sigma_sat, l0, w, s : float
        Weibull fit (cm^2/bit, MeV cm^2/mg).
    flux_above : callable or table
        Integral LET spectrum Phi(>L) in cm^-2 s^-1 behind shielding: a function, or
        ``[(L, Phi), ...]`` interpolated log-log.
    k_geo : float
        Geometry factor: 1/2 for a thin planar volume in an omnidirectional (4 pi)
        flux (Cauchy), 1 when the spectrum is already per projected area.
    l_max : float
        Upper LET limit (the spectrum is zero above it).
    """
    if callable(flux_above):
        phi = flux_above
    else:
        table = np.asarray(flux_above, dtype=float)
        lx, ly = np.log(table[:, 0]), np.log(np.maximum(table[:, 1], 1e-300))

        def phi(x: float) -> float:
            if x < table[0, 0] or x > table[-1, 0]:
                return 0.0
            return float(np.exp(np.interp(math.log(x), lx, ly)))

    # substitute u = sigma(L) / sigma_sat (the Weibull CDF): the integral becomes
    # sigma_sat * int_0^u_max Phi(>L(u)) du, smooth however narrow the Weibull is
    u_max = float(weibull_cross_section(l_max, sigma_sat, l0, w, s)) / sigma_sat

    def f(u: float) -> float:
        return phi(l0 + w * (-math.log1p(-u)) ** (1.0 / s))

    value, _ = integrate.quad(f, 0.0, u_max, limit=500, epsabs=0.0, epsrel=1e-12)
    value *= sigma_sat
    return k_geo * value


# ----------------------------------------------------------------------------- fault processes


@dataclass(frozen=True, slots=True)
class FaultProcess:
    """One source of faults of a unit type, ready for the system compiler.

    ``shape`` gives an exponential (Poisson) rate laid out in time by the environment;
    otherwise ``life`` is a life in hours on the unit's own clock, drawn afresh after
    each fault (``renew_clock``).
    """

    name: str
    fault_class: str
    effect: str
    shape: RateShape | None = None
    life: Law | None = None
    recover: Law | None = None  # recovery of a transient effect
    renew_clock: bool = False
    lot_sigma: float = 0.0  # of a lognormal life: the part of ln life's spread a lot shares


def _entry_rate_per_h(entry, env: Environment) -> tuple[float, float | None, float]:
    """Mean rate per device-hour of a rate source, its heavy-ion share (if known) and
    its share from solar events (the entry's, else
    :func:`reliability.environment.spe_share`).

    Cross-section fits use the environment's LET or proton spectrum when it has one
    (rate integral), and otherwise Petersen's figure of merit with the orbit's
    coefficients, split C_HI (heavy ions) and C_p (trapped protons). A heavy-ion fit
    gets the proton term only when its onset L0 is below :data:`RECOIL_LET_MAX`; a
    proton (Bendel) fit keeps its heavy-ion term when a proton spectrum replaces its
    proton term.
    """
    src = entry.source
    given = entry.spe_share
    if src in ("per_rad", "per_device_day", "per_bit_day"):
        if given is None:  # a dose proxy moves with the shield as a typical part would
            shield = event_shield_factors(env, _BENDEL_A_TYPICAL)
            spe = env_spe_share(env, None, entry.saa_share, 0.0, shield)
        else:
            spe = given
        if src == "per_rad":
            # calibrated at the orbit's dose; a chosen shielding moves it as it moves the
            # trapped-proton upsets (protons.dose_proxy_rad_per_y)
            return entry.value * (dose_proxy_rad_per_y(env) / HOURS_PER_YEAR), None, spe
        return entry.value * (entry.bits if src == "per_bit_day" else 1.0) / 24.0, None, spe
    c_hi = env.c_heavy_ion
    a_b = _bendel_args(entry.params) if src == "bendel" else (_BENDEL_A_TYPICAL, None)
    c_p = env.c_proton * proton_shield_factor(env, *a_b)
    if src == "weibull":
        fom = figure_of_merit(*entry.params)
        heavy = c_hi * fom
        if env.let_spectrum:  # heavy ions: the LET spectrum, which holds no proton recoils
            per_s = rate_integral(*entry.params, env.let_spectrum, k_geo=env.k_geo)
            heavy = per_s * SECONDS_PER_DAY
        # protons upset a part through the recoils of their nuclear reactions, whose LET
        # stays below RECOIL_LET_MAX: a part whose onset is above it has no proton term
        fom_p = fom if entry.params[1] < RECOIL_LET_MAX else 0.0
        proton = c_p * fom_p
    elif src == "bendel":
        # a proton fit; its heavy-ion rate comes from the figure of merit either way
        fom = fom_p = proton_fom(float(bendel(150.0, *_bendel_args(entry.params))))
        heavy = c_hi * fom
        proton = c_p * fom
        if env.proton_spectrum:
            proton = proton_rate(*_bendel_args(entry.params), env.proton_spectrum)
            proton *= SECONDS_PER_DAY
    elif src == "proton_sigma":
        fom = fom_p = proton_fom(entry.value)
        heavy, proton = c_hi * fom, c_p * fom
    else:
        raise ValueError(f"unknown rate source {src!r}")
    total = heavy + proton
    if total <= 0:
        return 0.0, None, 0.0
    # fits and coefficients give the quiet rate: solar events come on top of it
    if given is None:
        shield = event_shield_factors(env, *a_b)
        spe = env_spe_share(env, heavy / total, None, fom_p / total, shield)
    else:
        spe = given
    return total * entry.bits / 24.0 / (1.0 - spe), heavy / total, spe


#: latch-up heats up: the onset LET of CMOS test structures at 125 C was about 0.4 of
#: its room-temperature value (Johnston, Swift and Shaw, "The effect of temperature on
#: single-particle latchup", IEEE TNS 38(6), 1991) [S, two points]; taken as
#: exponential in temperature between and beyond them [U]
SEL_ONSET_PER_100K = 0.4


def sel_onset(l0: float, t_c: float | np.ndarray, tested_c: float) -> np.ndarray:
    """Onset LET of a latch-up fit measured at ``tested_c``, at ``t_c`` (degrees C).

    >>> round(float(sel_onset(10.0, 125.0, 25.0)), 6)
    4.0
    """
    return l0 * SEL_ONSET_PER_100K ** ((np.asarray(t_c, dtype=float) - tested_c) / 100.0)


def _heated_shape(entry, env: Environment, temperature, mission_h: float, scale: float):
    """A latch-up fit's rate shape at the unit's temperature steps: per step, the rate
    and heavy-ion share of the fit at its hot onset (:func:`sel_onset`), laid out by
    the orbit (a hot onset below :data:`RECOIL_LET_MAX` brings in trapped protons, in
    SAA passes: the rate jumps there), joined over the steps; ``scale``: the part of
    the rate this process takes (a destructive share)."""
    starts, temps = temperature
    starts = np.asarray(starts, dtype=float)
    sigma, l0, w, s = entry.params
    shapes = []
    for t in temps:
        hot = replace(entry, params=(sigma, float(sel_onset(l0, t, entry.tested_at_c)), w, s))
        rate, hi, spe = _entry_rate_per_h(hot, env)
        shapes.append(
            rate_shape(
                env,
                mission_h,
                rate * scale,
                saa_share=entry.saa_share,
                spe_share=spe,
                heavy_ion_share=hi,
            )
        )

    def joined(side: str) -> tuple:
        cuts = sorted({t for sh in shapes for t, _ in getattr(sh, side)} | set(starts.tolist()))
        out = []
        for c in (c for c in cuts if c < mission_h or c == 0.0):
            k = max(0, int(np.searchsorted(starts, c, side="right")) - 1)
            steps = getattr(shapes[k], side)
            out.append((c, next(r for t, r in reversed(steps) if t <= c)))
        return tuple(out)

    ends = np.minimum(np.append(starts[1:], mission_h), mission_h)
    w_t = np.clip(ends - starts, 0.0, None)
    w_t = w_t / w_t.sum() if w_t.sum() > 0 else np.full(len(starts), 1.0 / len(starts))

    def mean(attr: str) -> float:
        return float(sum(wk * getattr(sh, attr) for wk, sh in zip(w_t, shapes, strict=True)))

    rate_w = np.array([wk * sh.mean_per_h for wk, sh in zip(w_t, shapes, strict=True)])
    share_w = rate_w / rate_w.sum() if rate_w.sum() > 0 else w_t
    return RateShape(
        mean_per_h=mean("mean_per_h"),
        outside=joined("outside"),
        inside=joined("inside"),
        spe_per_intensity_h=mean("spe_per_intensity_h"),
        saa_share=float(sum(q * sh.saa_share for q, sh in zip(share_w, shapes, strict=True))),
        spe_share=float(sum(q * sh.spe_share for q, sh in zip(share_w, shapes, strict=True))),
    )


def _secded_shape(upsets: RateShape, env: Environment, mem, words: float, mission_h: float):
    """SEC-DED uncorrectable errors of a scrubbed memory laid out like its upsets, but
    with the square that double errors take of the rate: per solar phase, the upsets
    inside SAA passes and outside them (:func:`secded_due_in_passes`; the orbit-mean
    formula understates a scrub shorter than a pass about 13x where the SAA holds
    97.5% of the upsets in 7% of the time). A solar event's errors scale with its
    upsets linearly (its square is not taken: an understatement)."""
    f, period = env.saa_fraction, env.orbit_period_h
    pass_h, _, _ = saa_pass_h(env)
    cell = mem.symbol_bits or 1  # chipkill: a symbol fails as a bit does under SEC-DED
    n, bits = mem.word_bits // cell, mem.bits / cell
    outside, inside, weights, quiet_up = [], [], [], []
    ends = [t for t, _ in upsets.outside[1:]] + [mission_h]
    for (t, o), (_, i), end in zip(upsets.outside, upsets.inside, ends, strict=True):
        if f > 0:
            lam_in, lam_out = i / (bits * f), o / (bits * (1.0 - f))
        else:
            lam_in = lam_out = (i + o) / bits
        d_in, d_out = secded_due_in_passes(
            words,
            n,
            lam_in,
            lam_out,
            pass_h=pass_h,
            period_h=period,
            scrub_h=mem.scrub_h,
            kind=mem.scrub_kind,
            passes=int(env.saa_passes_per_day),
        )
        if f <= 0:
            d_in, d_out = 0.0, d_in + d_out
        outside.append((t, d_out))
        inside.append((t, d_in))
        weights.append(max(0.0, min(end, mission_h) - t))
        quiet_up.append(i + o)
    w = np.asarray(weights)
    due_q = float((w * [a[1] + b[1] for a, b in zip(inside, outside, strict=True)]).sum())
    up_q = float((w * quiet_up).sum())
    ratio = due_q / up_q if up_q > 0 else 0.0
    saa = float((w * [a[1] for a in inside]).sum()) / due_q if due_q > 0 else 0.0
    return RateShape(
        mean_per_h=upsets.mean_per_h * ratio,
        outside=tuple(outside),
        inside=tuple(inside),
        spe_per_intensity_h=upsets.spe_per_intensity_h * ratio,
        saa_share=saa,
        spe_share=upsets.spe_share,
    )


def _bendel_args(params: tuple[float, ...]) -> tuple[float, float | None]:
    return (params[0], params[1] if len(params) > 1 else None)


def fault_processes(
    unit, env: Environment | None, mission_h: float, temperature=None
) -> list[FaultProcess]:
    """The radiation fault processes of a unit type in an environment.

    Parameters
    ----------
    unit : reliability.campaign.UnitType
        Its ``radiation`` entries and ``memory`` are used.
    env : Environment or None
        The orbit environment (``None``: no SAA, no solar modulation, no SPEs).
    mission_h : float
    temperature : (starts, degrees C), optional
        The running unit's temperature steps: a latch-up fit with ``tested_at_c``
        follows them (:func:`sel_onset`).
    """
    if env is None:
        env = preset("geo", solar="min", spe_share=0.0, gcr_solar_ratio=1.0)
    out: list[FaultProcess] = []
    for e in unit.radiation:
        effect = e.effect
        if e.fault_class == "tid" or e.source == "threshold_rad":
            dose_h = env.dose_rad_per_h
            law, p1, p2 = e.threshold
            if dose_h <= 0:
                continue
            life = (
                Law(law="fixed", p1=p1 / dose_h)
                if law == "fixed"
                else Law(law="lognormal", p1=p1 - math.log(dose_h), p2=p2)
            )
            out.append(
                FaultProcess(e.name, e.fault_class, effect, life=life, lot_sigma=e.lot_sigma or 0.0)
            )
            continue
        mean, hi, spe = _entry_rate_per_h(e, env)
        saa = e.saa_share
        parts = [(e.name, effect, mean)]
        if e.destructive > 0:
            parts = [
                (e.name, effect, mean * (1.0 - e.destructive)),
                (f"{e.name}-destructive", "permanent", mean * e.destructive),
            ]
        for name, eff, rate in parts:
            if rate <= 0:
                continue
            shape = rate_shape(
                env, mission_h, rate, saa_share=saa, spe_share=spe, heavy_ion_share=hi
            )
            if e.tested_at_c is not None and temperature is not None:
                shape = _heated_shape(e, env, temperature, mission_h, rate / mean)
            out.append(FaultProcess(name, e.fault_class, eff, shape=shape, recover=e.recover))
    mem = unit.memory
    if mem is not None:
        lam_bit_h, hi, spe = _entry_rate_per_h(mem.upset, env)  # per bit-hour (bits = 1)
        saa = mem.upset.saa_share
        bits = mem.bits
        words = bits / mem.word_bits

        def shaped(rate: float) -> RateShape:
            return rate_shape(
                env,
                mission_h,
                rate,
                saa_share=saa,
                spe_share=spe,
                heavy_ion_share=hi,
            )

        if mem.ecc == "none":
            out.append(FaultProcess("memory-sdc", "sdc", "silent", shape=shaped(bits * lam_bit_h)))
        else:
            out.append(
                FaultProcess(
                    "memory-corrected", "corrected", "none", shape=shaped(bits * lam_bit_h)
                )
            )
            cell = mem.symbol_bits or 1  # chipkill: symbols in place of bits
            n = mem.word_bits // cell
            if mem.scrub_h is None:
                # no scrubbing: time to the first double error in a word is Weibull(2)
                scale = secded_noscrub_weibull_scale(words, n, cell * lam_bit_h)
                out.append(
                    FaultProcess(
                        "memory-due",
                        "due",
                        "transient",
                        life=Law(law="weibull", p1=scale, p2=2.0),
                        recover=mem.recover,
                        renew_clock=True,
                    )
                )
            elif lam_bit_h > 0:
                upsets = shaped(bits * lam_bit_h)
                due = _secded_shape(upsets, env, mem, words, mission_h)
                if due.mean_per_h > 0:
                    out.append(
                        FaultProcess(
                            "memory-due", "due", "transient", shape=due, recover=mem.recover
                        )
                    )
            span, lam, f_mbu = mem.mbu_span, lam_bit_h, mem.mbu_fraction
            if mem.ecc == "chipkill":
                mbu = symbol_mbu_due_rate(bits, lam, f_mbu, span, mem.symbol_bits or 4)
                wrong = 0.0
            else:
                mbu = mbu_due_rate(bits, lam, f_mbu, span, mem.interleave)
                # SEC-DED takes some odd 3+ bit errors for a single one and "corrects"
                # it (an even count has an even syndrome: always detected)
                k = math.ceil(span / mem.interleave)
                wrong = mbu * (mem.miscorrect or 0.0) if k >= 3 and k % 2 else 0.0
            if mbu - wrong > 0:
                out.append(
                    FaultProcess(
                        "memory-mbu-due",
                        "due",
                        "transient",
                        shape=shaped(mbu - wrong),
                        recover=mem.recover,
                    )
                )
            if wrong > 0:
                out.append(FaultProcess("memory-mbu-sdc", "sdc", "silent", shape=shaped(wrong)))
    return out


@dataclass(frozen=True, slots=True)
class RateRow:
    """Derived rate of one fault process, for checking the physics before a run."""

    name: str
    fault_class: str
    effect: str
    per_unit_day: float  # mission mean (solar phase and expected solar events included)
    saa_share: float  # share of the mission's events arriving in SAA passes
    spe_share: float  # share due to solar particle events
    note: str = ""


def rate_table(unit, env: Environment | None, mission_h: float, temperature=None) -> list[RateRow]:
    """Per fault process of ``unit``: mean events per unit-day over the mission and the
    SAA and solar-event shares (what ``reliability validate`` prints)."""
    from reliability.environment import solar_steps

    rows = []
    for fp in fault_processes(unit, env, mission_h, temperature):
        if fp.shape is None:
            assert fp.life is not None
            mean_life = fp.life.mean_h * math.exp(0.5 * fp.lot_sigma**2)  # lots widen it
            note = f"{fp.life.law} life, mean {mean_life / HOURS_PER_YEAR:.3g} y" + (
                " in orbit (dose runs while down; a spare carries its time in orbit)"
                if fp.fault_class == "tid"
                else ""
            )
            if fp.lot_sigma:
                note += f" (sigma {fp.lot_sigma:g} of ln life shared by each lot)"
            rows.append(RateRow(fp.name, fp.fault_class, fp.effect, 24.0 / mean_life, 0, 0, note))
            continue
        shape = fp.shape
        out = steps_integral(shape.outside, mission_h)
        inside = steps_integral(shape.inside, mission_h)
        spe = 0.0
        if env is not None and shape.spe_per_intensity_h > 0:
            phases = solar_steps(env, mission_h)
            ends = [s for s, _ in phases[1:]] + [mission_h]
            active_h = sum(
                end - start for (start, active), end in zip(phases, ends, strict=True) if active
            )
            spe_hours = (
                env.spe_per_active_year / HOURS_PER_YEAR * active_h * env.spe_mean_duration_h
            )
            spe = shape.spe_per_intensity_h * spe_hours
        total = out + inside + spe
        rows.append(
            RateRow(
                fp.name,
                fp.fault_class,
                fp.effect,
                total / mission_h * 24.0,
                inside / total if total else 0.0,
                spe / total if total else 0.0,
                f"long-run mean {shape.mean_per_h * 24:.4g}/unit-day",
            )
        )
    return rows
