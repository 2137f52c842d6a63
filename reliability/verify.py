"""The verification suite: campaigns whose exact answers are known.

Each file in ``campaigns/validation/`` carries a ``[verify]`` table with the exact
values (from closed forms or exactly solved Markov chains, see
``shared/reference/reliability.md`` section 6). A check passes when the Monte Carlo
estimate lies within ``z_max`` (default 4) standard errors of the exact value; the
95% confidence interval is reported with it.

Means of per-trial values use ``SE = s / sqrt(n)``; probabilities (mission
reliability, point availability) use the binomial ``SE = sqrt(p (1 - p) / n)`` at the
exact ``p`` (the test statistic under the hypothesis being checked), with a Wilson
interval for the report. Published figures without an exact value (a per-chip-year
rate from a beam test) state a range the estimate must fall in.

Closed forms of the physics (cross-sections, figures of merit, ECC and TMR) are
checked without simulation by :func:`analytic_checks`: the library's numerical
route (quadrature, root finding, binomial tails, Markov-chain solves) against an
independent closed form to 1e-6 relative, and against the reference's printed
numbers to their printed precision.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from reliability.campaign import Campaign, Expectation, load_campaign
from reliability.runner import run_campaign
from reliability.stats import Estimate, mean_ci, proportion_ci

__all__ = [
    "Check",
    "analytic_checks",
    "evaluate",
    "format_table",
    "rare_event_checks",
    "run_verify",
    "validation_dir",
]


@dataclass(frozen=True, slots=True)
class Check:
    """One metric of one validation case against its exact value."""

    case: str
    metric: str
    estimate: Estimate
    exact: float
    z: float
    passed: bool
    note: str = ""
    kind: str = "mc"  # "mc": Monte Carlo with a CI; "analytic": relative error in ``z``
    bounds: tuple[float, float] | None = None  # a published range's (kind "range")

    @property
    def label(self) -> str:
        """The metric with its time argument, e.g. ``reliability(500 h)``."""
        return self.metric


def validation_dir() -> Path:
    """Folder of the validation campaigns (shipped in the wheel or in the source tree)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_validation", here.parent / "campaigns" / "validation"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("validation campaigns not found (campaigns/validation)")


def _time_index(ds: xr.Dataset, at_h: float) -> int:
    times = ds["time"].values
    idx = int(np.argmin(np.abs(times - at_h)))
    if abs(times[idx] - at_h) > 1e-6 * max(1.0, at_h):
        raise ValueError(f"no time-grid cell ends at {at_h:g} h; set time_step to divide it")
    return idx


def evaluate(ds: xr.Dataset, exp: Expectation, case: str, z_max: float = 4.0) -> Check:
    """Compare scenario 0 of ``ds`` with one expectation."""
    sel = ds.isel(scenario=0)
    label = exp.metric if exp.at_h is None else f"{exp.metric}({exp.at_h:g} h)"
    if exp.fault_class:
        label = f"{exp.metric}[{exp.fault_class}]"
    note = exp.note
    if ds.attrs.get("method") == "splitting":
        # one estimate per independent replicate: their mean and Student-t interval
        if exp.metric == "failure_probability":
            x = sel["replicate_failure_probability"].values
        else:
            x = sel["replicate_downtime_h"].values / float(sel["window_h"])
        est = mean_ci(x)
        z = (est.value - exp.exact) / est.se if est.se > 0 else math.inf
        note = note or f"splitting, {x.size} replicates, relative error {est.se / est.value:.3f}"
        return Check(case, label, est, exp.exact, float(z), bool(abs(z) <= z_max), note)
    if exp.metric in ("reliability", "point_availability"):
        if exp.metric == "reliability":
            ttff = sel["time_to_first_failure_h"].values
            ok = np.isnan(ttff) | (ttff > exp.at_h)
        else:
            ok = sel["system_up"].values[:, _time_index(ds, exp.at_h)] == 1
        n = ok.size
        est = proportion_ci(int(ok.sum()), n)
        p = exp.exact
        se = math.sqrt(max(p * (1 - p), 1e-300) / n)
        z = (est.value - p) / se
    else:
        name = {"mttf": "time_to_first_failure_h"}.get(exp.metric, exp.metric)
        var = sel[name]
        if exp.fault_class:
            if exp.fault_class not in var["fault_class"].values:
                nan = Estimate(math.nan, math.nan, math.nan, math.nan, 0, 0.95)
                return Check(case, label, nan, exp.exact, math.nan, False, "no such fault class")
            var = var.sel(fault_class=exp.fault_class)
        if "time" in var.dims:  # a value at the end of a grid cell
            var = var.isel(time=_time_index(ds, exp.at_h))
        x = var.values.astype(float) / exp.scale
        if exp.metric in ("mttf", "job_completion_h") and np.isnan(x).any():
            censored = int(np.isnan(x).sum())
            nan = Estimate(math.nan, math.nan, math.nan, math.nan, x.size, 0.95)
            return Check(
                case,
                label,
                nan,
                exp.exact,
                math.nan,
                False,
                f"{censored} trials censored: lengthen the mission",
            )
        est = mean_ci(x)
        if exp.low is not None and exp.high is not None:
            inside = exp.low <= est.value <= exp.high
            note = note or f"published range [{exp.low:g}, {exp.high:g}]"
            return Check(
                case,
                label,
                est,
                exp.exact,
                math.nan,
                bool(inside),
                note,
                kind="range",
                bounds=(exp.low, exp.high),
            )
        z = (
            (est.value - exp.exact) / est.se
            if est.se > 0
            else (0.0 if est.value == exp.exact else math.inf)
        )
    return Check(case, label, est, exp.exact, float(z), bool(abs(z) <= z_max), note)


def _analytic(case: str, metric: str, value: float, exact: float, rtol: float, note: str) -> Check:
    rel = abs(value - exact) / abs(exact) if exact else abs(value)
    est = Estimate(value, 0.0, value, value, 1, 1.0)
    return Check(case, metric, est, exact, rel, bool(rel <= rtol), note, kind="analytic")


def analytic_checks() -> list[Check]:
    """Radiation cases 1-8 of ``shared/reference/radiation.md`` section 6 that have closed
    forms, computed by the library and compared with independent forms."""
    from decimal import Decimal, getcontext

    from reliability import mitigation as mit
    from reliability import radiation as rad
    from reliability.environment import preset, rate_shape

    out: list[Check] = []
    # 1: rate integral against its closed form for s = 1 and an exponential spectrum
    sig, l0, w, f0, lam = 1e-8, 1.0, 20.0, 1e-2, 5.0

    def spectrum(x: float) -> float:
        return f0 * math.exp(-x / lam)

    r = rad.rate_integral(sig, l0, w, 1.0, spectrum, k_geo=1.0, l_max=2000.0)
    closed = sig * f0 * math.exp(-l0 / lam) * lam / (lam + w)
    out.append(_analytic("R1", "rate integral (s^-1)", r, closed, 1e-6, "quadrature vs closed"))
    out.append(_analytic("R1", "closed form vs printed", closed, 1.6375e-11, 5e-5, "printed"))
    r0 = rad.rate_integral(sig, l0, 1e-7, 1.0, spectrum, k_geo=1.0, l_max=2000.0)
    out.append(_analytic("R1", "limit W -> 0", r0, sig * spectrum(l0), 1e-6, "sigma_sat Phi(>L0)"))
    # 2: L_0.25 by root finding, figure of merit and orbit rates
    w2, s2 = 20.0, 1.5
    l25 = rad.l25(sig, l0, w2, s2)
    out.append(
        _analytic("R2", "L_0.25", l25, l0 + w2 * math.log(4 / 3) ** (1 / s2), 1e-9, "closed form")
    )
    fom = rad.figure_of_merit(sig, l0, w2, s2)
    out.append(_analytic("R2", "FOM", fom, 1.059e-10, 5e-4, "printed"))
    for where, c, printed, tol in (
        ("400 km 60 deg", 58.5, 6.2e-9, 0.01),
        ("600 km 90 deg", 144.0, 1.53e-8, 0.004),
        ("GEO", 485.0, 5.1e-8, 0.01),
    ):
        out.append(_analytic("R2", f"rate {where} (/bit/day)", c * fom, printed, tol, "printed"))
    # 3: Bendel two-parameter, A = B = 15 MeV
    for e, printed in ((30.0, 7.20e-14), (100.0, 4.61e-13), (200.0, 7.25e-13)):
        value = float(rad.bendel(e, 15.0, 15.0))
        out.append(_analytic("R3", f"sigma({e:g} MeV)", value, printed, 0.005 / 7.2, "printed"))
    out.append(_analytic("R3", "sigma(inf)", float(rad.bendel(1e9, 15.0, 15.0)), 1e-12, 1e-6, ""))
    # 4: SAA enhancement of the environment's split (f = 0.1, 97.5 % of events inside)
    env = preset(
        "geo", solar="min", saa_fraction=0.1, saa_share=0.975, spe_share=0.0, gcr_solar_ratio=1.0
    )
    shape = rate_shape(env, 8760.0, 1.0)
    k = (shape.inside[0][1] / 0.1) / (shape.outside[0][1] / 0.9)
    out.append(_analytic("R4", "SAA enhancement k", k, 351.0, 1e-9, "k f/(1-f+k f) = 0.975"))
    # 5: SEC-DED without scrubbing, M = 2**20 words
    m = 2**20
    e_k = mit.birthday_expected_upsets(m)
    out.append(
        _analytic("R5", "E[upsets to DUE]", e_k, math.sqrt(math.pi * m / 2) + 2 / 3, 1e-6, "")
    )
    out.append(_analytic("R5", "E[upsets] printed", e_k, 1284.06, 5e-6, "printed"))
    out.append(_analytic("R5", "median upsets", mit.birthday_median_upsets(m), 1206, 0, "printed"))
    # 6: SEC-DED, periodic scrub; exact word failure in 50-digit decimal arithmetic
    getcontext().prec = 50
    lam6 = 1e-6 / 24.0
    p = -math.expm1(-1e-6)
    pd = Decimal(p)
    exact_pw = float(1 - (1 - pd) ** 72 - 72 * pd * (1 - pd) ** 71)
    pw = mit.secded_word_failure(lam6, 24.0)
    out.append(_analytic("R6", "P_w (T = 1 d)", pw, exact_pw, 1e-6, "50-digit arithmetic"))
    out.append(_analytic("R6", "P_w printed", pw, 2.556e-9, 5e-4, "printed"))
    words = 2**27
    per_day = mit.secded_due_rate_periodic(words, 72, lam6, 24.0) * 24.0
    out.append(_analytic("R6", "DUE per day", per_day, 0.343, 0.0015, "printed"))
    out.append(_analytic("R6", "MTTF (d), T = 1 d", 1 / per_day, 2.92, 0.002, "printed"))
    per_day_h = mit.secded_due_rate_periodic(words, 72, lam6, 1.0) * 24.0
    out.append(_analytic("R6", "MTTF (d), T = 1 h", 1 / per_day_h, 70.0, 0.001, "printed"))
    # 7: exponential scrubbing: closed form against the 3-state Markov chain
    mu, n = 2.0 / 24.0, 72
    chain = mit.markov_mttf(np.array([[-n * lam6, n * lam6], [mu, -(mu + (n - 1) * lam6)]]))
    word = words / mit.secded_due_rate_random(words, n, lam6, mu)
    out.append(_analytic("R7", "word MTTF (h)", word, chain, 1e-6, "Markov chain"))
    out.append(_analytic("R7", "word MTTF (d) printed", word / 24, 3.913e8, 2e-4, "printed"))
    out.append(_analytic("R7", "memory MTTF (d)", word / 24 / words, 2.915, 2e-4, "printed"))
    # 8: TMR closed forms against their Markov chains; configuration memory
    lam8, mu8 = 1e-4, 0.1
    tmr = mit.markov_mttf(np.array([[-3 * lam8, 3 * lam8], [0.0, -2 * lam8]]))
    out.append(_analytic("R8", "TMR MTTF (h)", mit.tmr_mttf(lam8), tmr, 1e-9, "Markov chain"))
    tmr_r = mit.markov_mttf(np.array([[-3 * lam8, 3 * lam8], [mu8, -(mu8 + 2 * lam8)]]))
    out.append(
        _analytic("R8", "TMR+repair MTTF (h)", mit.tmr_mttf_repair(lam8, mu8), tmr_r, 1e-9, "")
    )
    out.append(_analytic("R8", "TMR+repair printed", tmr_r, 1.675e6, 5e-4, "printed"))
    cfg = mit.tmr_config_failure_per_scrub(1e8, 1e-7 / 24.0, 24.0)
    out.append(_analytic("R8", "config fails/scrub", cfg, 3.0e-6, 0.02, "printed"))
    return out + _geometry_checks()


def _geometry_checks() -> list[Check]:
    """Issue 16's eclipse figures at 650 km (Rickman's closed form, R = 6378 km)."""
    from reliability import orbit

    out = []
    for beta, printed in ((0.0, 35.4), (60.0, 17.8)):
        minutes = float(orbit.eclipse_minutes(650.0, beta))
        out.append(
            # printed to 0.1 min: within half its last digit
            _analytic(
                "G1", f"eclipse at beta {beta:g} (min)", minutes, printed, 0.05 / printed, "printed"
            )
        )
    out.append(
        _analytic("G1", "beta* (deg)", orbit.max_eclipse_beta(650.0), 65.2, 0.05 / 65.2, "issue 16")
    )
    return out + _contact_checks()


def _contact_checks() -> list[Check]:
    """Ground contacts from the orbit sampled (reliability.links.contact_windows)
    against closed forms: an overhead pass, and the long-run share of a year in view
    against quadrature over the sub-satellite latitude."""
    from reliability import links, orbit

    eq = (links.Station(name="equator", lat_deg=0.0, lon_deg=40.0),)
    starts, ends = links.contact_windows(
        altitude_km=650.0,
        inclination_deg=0.0,
        raan0_rad=0.0,
        gmst0_rad=0.0,
        stations=eq,
        mask_deg=10.0,
        span_h=24.0,
    )
    passes = 60.0 * (ends - starts)[(starts > 0) & (ends < 24.0)]
    exact = links.overhead_pass_min(650.0, 10.0)
    out = [
        _analytic(
            "G2",
            "overhead pass, 650 km, 10 deg (min)",
            float(passes.max()),
            exact,
            1e-6,
            f"2 lambda / (du/dt + dOmega/dt - omega_E), {passes.size} passes in a day",
        )
    ]
    for name, lat, alt, inc in (
        ("SvalSat", 78.23, 650.0, orbit.sso_inclination_deg(650.0)),
        ("WhiteSands", 32.50, 400.0, 51.6),
    ):
        st = (links.Station(name=name, lat_deg=lat, lon_deg=15.0),)
        starts, ends = links.contact_windows(
            altitude_km=alt,
            inclination_deg=inc,
            raan0_rad=0.3,
            gmst0_rad=0.0,
            stations=st,
            mask_deg=10.0,
            span_h=8760.0,
        )
        share = float((ends - starts).sum() / 8760.0)
        exact = links.contact_fraction_integral(alt, inc, lat, 10.0)
        out.append(
            _analytic(
                "G3",
                f"share in view of {name}, {alt:g} km {inc:.1f} deg",
                share,
                exact,
                5e-3,
                "a year sampled; quadrature over latitude",
            )
        )
    return out + _shielding_checks()


def _read_back(tool: str, path, table: list, at_10_mm: float, source: str) -> list[Check]:
    """A dose-depth file read back at its own depths: its dose at 10 mm, and the
    largest deviation from its ``(mm, rad per year)`` rows as this test reads them."""
    from reliability import envfiles

    curve = envfiles.read_dose_depth(path)
    worst = max(abs(curve.at(mm) / dose - 1.0) for mm, dose in table)
    return [
        _analytic(
            "S1",
            f"{tool} dose at 10 mm (rad/y)",
            curve.at(10.0),
            at_10_mm,
            1e-12,
            f"its table ({source})",
        ),
        _analytic(
            "S1",
            f"{tool} largest deviation, {len(table)} depths",
            1.0 + worst,
            1.0,
            1e-12,
            "its table",
        ),
    ]


def _shielding_checks() -> list[Check]:
    """Issue 15 item 7-8: a published SPENVIS SHIELDOSE-2 file read back at its own
    depths, and the protons' CSDA transport against its closed form."""
    from reliability import shielding

    data = validation_dir().parent / "data"
    spenvis = data / "spenvis_sd2_550km_95deg.txt"
    years = 1825.0 / 365.25  # the file's MIS_DUR
    rows = [line.split(",") for line in spenvis.read_text().splitlines() if line.startswith(" ")]
    table = [(float(r[0]), float(r[1]) / years) for r in rows if len(r) == 5]
    out = _read_back(
        "SPENVIS", spenvis, table, 5.6028e2 / years, "SPENVIS 4.6.11, Pfandzelter 2023"
    )
    # an OMERE file (AE9/AP9 and ESP, 700 km, one year): total dose in its last column
    omere = data / "omere_dose_700km_98deg.dos"
    rows = [line.split() for line in omere.read_text(encoding="latin-1").splitlines()]
    table = [(float(r[0]), float(r[8])) for r in rows if len(r) == 9 and not r[0].startswith("#")]
    out += _read_back("OMERE", omere, table, 5.014e2, "OMERE 5.9.3, AE9/AP9 + ESP 95%")
    # a spectrum that is a function of the range, Phi0 = R^-2, comes out (R + rho t)^-2
    energies = np.geomspace(1.0, 500.0, 240)
    outside = [(float(e), float(shielding.proton_range_g_cm2(e)) ** -2.0) for e in energies]
    rho_t = shielding.AL_DENSITY_G_CM3 * 0.7
    e, phi = np.asarray(shielding.shield_protons(outside, 7.0)).T
    exact = (shielding.proton_range_g_cm2(e) + rho_t) ** -2.0
    exact *= math.exp(-rho_t / shielding.AL_NUCLEAR_LENGTH_G_CM2)
    out.append(
        _analytic(
            "S2",
            "protons behind 7 mm Al, worst point",
            1.0 + float(np.max(np.abs(phi / exact - 1.0))),
            1.0,
            2e-3,
            "CSDA range shift, closed form",
        )
    )
    return out + _solar_checks()


def _solar_checks() -> list[Check]:
    """Issue 15 item 3: the presets' solar events (Poisson events of lognormal fluence,
    :mod:`reliability.solar`) against the ESP-PSYCHIC 95% mission fluences they were
    fitted to in mean and variance; the compound Poisson's tail is lighter."""
    from reliability import solar
    from reliability.environment import preset

    env = preset("sso-650")
    sigma = math.hypot(env.spe_intensity_sigma, env.spe_duration_sigma)
    rng = np.random.default_rng(20261207)
    out = []
    for years, fluence in solar.ESP_RUNS_30MEV:
        q = solar.compound_quantile(
            env.spe_fluence_per_active_year, env.spe_per_active_year, sigma, years, 0.95, rng=rng
        )
        out.append(
            _analytic(
                "S3",
                f"95% >30 MeV fluence, {years:g} active y / ESP",
                q / fluence,
                1.0,
                0.3,
                f"ESP-PSYCHIC {fluence:.3g}/cm2 at 1 AU (SPENVIS 4.6.13)",
            )
        )
    return out


def rare_event_checks(z_max: float = 4.0) -> list[Check]:
    """B13 (balanced failure biasing at three rarities, bounded relative error) and a
    hierarchical design near 1e-8 unavailability, against exact chain solutions."""
    from reliability.rare import (
        MarkovDesign,
        estimate_gamma,
        estimate_unavailability,
        exact_unavailability,
    )

    out: list[Check] = []
    res = []
    for lam, exact in ((1e-3, 4.861282e-2), (1e-4, 6.183674e-4), (1e-5, 6.320790e-6)):
        design = MarkovDesign(levels=((12, 10),), lam=lam, mu=1 / 24, crews=1)
        e = estimate_gamma(design, 1313, 20000)
        res.append(e.re_per_sample)
        est = Estimate(e.value, e.se, e.low, e.high, e.n, 0.95)
        z = (e.value - exact) / e.se
        note = f"BFB, RE per cycle {e.re_per_sample:.2f}, ESS {e.ess:.0f}"
        out.append(Check("B13", f"gamma (lam={lam:g})", est, exact, z, abs(z) <= z_max, note))
    spread = max(res) / min(res)
    flat = Estimate(spread, 0.0, min(res), max(res), 3, 1.0)
    out.append(
        Check(
            "B13",
            "RE per cycle, max/min",
            flat,
            2.0,
            math.nan,
            spread <= 2.0,
            "bounded relative error: flat within a factor 2 (CI column: min, max)",
            kind="range",
        )
    )
    design = MarkovDesign(levels=((4, 3), (8, 6)), lam=2e-4, mu=1 / 24, crews=1)
    exact = exact_unavailability(design)
    e, _ = estimate_unavailability(design, 1414, 600_000)
    est = Estimate(e.value, e.se, e.low, e.high, e.n, 0.95)
    z = (e.value - exact) / e.se
    half = 1.96 * e.relative_error
    out.append(
        Check(
            "RARE-3of4x6of8",
            "unavailability",
            est,
            exact,
            z,
            abs(z) <= z_max and half <= 0.10,
            f"relative half-width {half:.3f} (goal <= 0.10); exact by sparse solve",
        )
    )
    return out


def run_verify(
    paths: Iterable[str | Path] | None = None,
    *,
    n_workers: int = 0,
    z_max: float = 4.0,
    on_case: Callable[[Campaign, float], None] | None = None,
) -> list[Check]:
    """Run the validation campaigns (and, for the whole suite, the analytic checks) and
    return every check."""
    files = sorted(paths) if paths is not None else sorted(validation_dir().glob("*.toml"))
    checks: list[Check] = analytic_checks() + rare_event_checks(z_max) if paths is None else []
    for f in files:
        campaign = load_campaign(f)
        if not campaign.expectations:
            continue
        start = time.perf_counter()
        ds = run_campaign(campaign, n_workers=n_workers)
        checks += [
            evaluate(ds, e, campaign.case or campaign.name, z_max) for e in campaign.expectations
        ]
        if on_case:
            on_case(campaign, time.perf_counter() - start)
    return checks


def _fmt(x: float) -> str:
    return "nan" if not math.isfinite(x) else f"{x:.6g}"


def format_table(checks: list[Check]) -> str:
    """The verification table as aligned text."""
    header = ("case", "metric", "estimate", "95% CI", "exact", "z", "result")
    rows = [header]
    for c in checks:
        ci = f"[{_fmt(c.estimate.low)}, {_fmt(c.estimate.high)}]"
        z = "nan" if not math.isfinite(c.z) else f"{c.z:+.2f}"
        exact = _fmt(c.exact)
        if c.kind == "analytic":
            ci, z = "(analytic)", f"rel {c.z:.1e}"
        elif c.kind == "range":
            z = "in range" if c.passed else "outside"
            if c.bounds is not None:  # the range, not its middle
                exact = f"[{_fmt(c.bounds[0])}, {_fmt(c.bounds[1])}]"
        rows.append(
            (
                c.case,
                c.label,
                _fmt(c.estimate.value),
                ci,
                exact,
                z,
                "PASS" if c.passed else "FAIL",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
