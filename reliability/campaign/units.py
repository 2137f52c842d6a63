"""Reading unit types: failure modes, radiation fault entries, protected memory, and
the orbit environment their rates are laid out in."""

from __future__ import annotations

import datetime as _dt
import itertools
import math
from typing import Any

from reliability import envfiles
from reliability.campaign.errors import MISSING, CampaignError
from reliability.campaign.model import (
    FailureMode,
    Memory,
    Profile,
    RadiationEntry,
    UnitMaintenance,
    UnitType,
)
from reliability.campaign.reader import Table, data_file, read_duration_law, read_law, read_name
from reliability.devices import DEVICES, MEMORIES
from reliability.environment import ORBITS, OVERRIDABLE, Environment, preset, trapped_above_30
from reliability.laws import Law
from reliability.radiation import DEFAULT_RECOVER_H, EFFECTS, FAULT_CLASSES
from reliability.shielding import OutsideCurve

__all__ = ["read_environment", "read_unit"]

_RATE_SOURCES = ("per_rad", "per_device_day", "per_bit_day", "weibull", "bendel", "proton_sigma")


def read_unit(
    name: str, t: Table, profiles: dict[str, Profile], env: Environment | None
) -> UnitType:
    has_radiation = t.has("radiation") or t.has("memory")
    other = has_radiation or t.has("design_life")  # failures may then be left out
    raw = t.raw("failures", [] if other else MISSING)
    if not isinstance(raw, list) or (not raw and not other):
        raise t.error("failures", "expected a non-empty list of failure-mode tables", raw)
    if len(raw) > 64:
        raise t.error("failures", "at most 64 failure modes per unit type", len(raw))
    modes: list[FailureMode] = []
    for i, item in enumerate(raw):
        mt = Table(item, f"{t.path}.failures[{i}]", t.source)
        mode_name = read_name(mt, "name", mt.raw("name", f"mode{i}"))
        if any(m.name == mode_name for m in modes):
            raise mt.error("name", "duplicate failure-mode name", mode_name)
        life = read_law(mt, life=True)
        profile = mt.string("profile", None)
        if profile is not None and profile not in profiles:
            known = ", ".join(profiles) or "none defined"
            raise mt.error("profile", f"no such profile in [profiles] ({known})", profile)
        activation = (
            mt.number("activation_ev", positive=True, maximum=5.0)
            if mt.has("activation_ev")
            else None
        )
        if activation is not None and profile is not None:
            raise mt.error(
                "activation_ev",
                "the temperature sets this mode's rate profile: give a profile or an "
                "activation energy, not both",
                activation,
            )
        repair = read_duration_law(mt, "repair", None)
        crew = mt.boolean("crew", True)
        renew = mt.boolean("renew", True)
        if repair is not None and not renew and life.law == "fixed":
            raise mt.error(
                "renew", "a fixed life cannot be resumed after repair; use renew = true", False
            )
        effect = mt.string("effect", "down", choices=("down", "shock"))
        if effect == "shock" and life.law == "fixed":
            # shocks recur as after a minimal repair: a fixed life would strike at
            # one age only, and again at once
            raise mt.error("law", "a shock recurs: give it a law with a spread", "fixed")
        shock_p = 1.0
        if mt.has("p"):
            if effect != "shock":
                raise mt.error(
                    "p", 'is the probability of a shock: set effect = "shock"', mt.data["p"]
                )
            shock_p = mt.number("p", minimum=0.0, maximum=1.0)
            if shock_p <= 0.0:
                raise mt.error("p", "must be above 0 (a shock that fails no unit)", shock_p)
        mt.finish()
        modes.append(
            FailureMode(
                name=mode_name,
                life=life,
                profile=profile,
                restore="replace" if repair is None else "repair",
                repair=repair,
                crew=crew,
                renew=renew,
                shock=shock_p if effect == "shock" else None,
                activation_ev=activation,
            )
        )
    if t.has("design_life"):
        # the Starlink model: deorbited at its design life and replaced like a lost bus
        life_h = t.duration("design_life", positive=True)
        if any(m.name == "end_of_life" for m in modes):
            raise t.error("design_life", "a failure mode is already named end_of_life", life_h)
        modes.append(
            FailureMode(name="end_of_life", life=Law(law="fixed", p1=life_h), planned=True)
        )
    radiation = _validate_radiation(t, env, {m.name for m in modes})
    mt = t.table("memory")
    memory = _validate_memory(mt, env) if mt is not None else None
    pt = t.table("maintenance")
    maintenance = _validate_maintenance(pt, [m.name for m in modes]) if pt is not None else None
    return UnitType(
        name=name,
        failures=tuple(modes),
        radiation=radiation,
        memory=memory,
        maintenance=maintenance,
    )


def _validate_maintenance(t: Table, modes: list[str]) -> UnitMaintenance:
    """``maintenance = { every = "1 y", duration = "4 h", first, renew, crew, stagger }``;
    ``renew`` is true, false or a list of the unit's failure-mode names."""
    every = t.duration("every", positive=True)
    first = t.duration("first", every)
    duration = read_duration_law(t, "duration")
    if duration.mean_h >= every:
        raise t.error(
            "duration", f"must be shorter on average than every = {every:g} h", t.data["duration"]
        )
    renew = t.raw("renew", True)
    if isinstance(renew, list):
        unknown = [x for x in renew if x not in modes]
        if not renew or unknown:
            raise t.error(
                "renew",
                f"expected true, false or a list of this unit's failure modes ({', '.join(modes)})",
                renew,
            )
        renew = tuple(dict.fromkeys(renew))
    elif not isinstance(renew, bool):
        raise t.error("renew", "expected true, false or a list of failure-mode names", renew)
    out = UnitMaintenance(
        every_h=every,
        first_h=first,
        duration=duration,
        renew=renew,
        crew=t.boolean("crew", False),
        stagger=t.boolean("stagger", True),
    )
    t.finish()
    return out


def _fraction(t: Table, key: str, *, below_one: bool = False) -> float | None:
    if not t.has(key):
        return None
    x = t.number(key, minimum=0.0, maximum=1.0)
    if below_one and x >= 1.0:
        raise t.error(key, "must be below 1", t.data[key])
    return x


def _validate_rate_source(
    t: Table, env: Environment | None, *, with_bits: bool, allow_threshold: bool
) -> dict[str, Any]:
    """The rate source of a radiation entry or memory upset table (exactly one given)."""
    given = [k for k in (*_RATE_SOURCES, "threshold_rad") if t.has(k)]
    if len(given) != 1:
        choices = ", ".join((*_RATE_SOURCES, "threshold_rad") if allow_threshold else _RATE_SOURCES)
        raise CampaignError(
            f"give exactly one rate: {choices}",
            source=t.source,
            path=t.path,
            value=given or t.data,
        )
    src = given[0]
    out: dict[str, Any] = {"source": src}
    if src == "threshold_rad":
        if not allow_threshold:
            raise t.error(src, "a dose threshold only applies to class tid", t.data[src])
        raw = t.raw(src)
        if isinstance(raw, dict):
            tt = Table(raw, t.key(src), t.source)
            median = tt.number("median", positive=True)
            sigma = tt.number("sigma", positive=True, maximum=10.0)
            # a production lot's shared part of the spread (the units of one lot are
            # alike): ln threshold = ln median + lot_sigma Z_lot + sigma Z_unit
            if tt.has("lot_sigma"):
                out["lot_sigma"] = tt.number("lot_sigma", positive=True, maximum=10.0)
                out["lot"] = tt.string("lot", None) if tt.has("lot") else None
            else:
                tt.refuse("lot", "names the level whose groups are lots: set lot_sigma")
            tt.finish()
            out["threshold"] = ("lognormal", math.log(median), sigma)
        else:
            out["threshold"] = ("fixed", t.number(src, positive=True), 0.0)
        if env is None:
            raise t.error(src, "needs an [environment] to give the dose rate", raw)
        return out
    if src in ("weibull", "bendel"):
        sub = t.table(src)
        assert sub is not None
        if src == "weibull":
            out["params"] = (
                sub.number("sigma_sat", positive=True, maximum=1.0),
                sub.number("l0", minimum=0.0, maximum=1e3),
                sub.number("w", positive=True, maximum=1e3),
                sub.number("s", positive=True, minimum=0.05, maximum=50.0),
            )
        else:
            a = sub.number("a", positive=True, maximum=1e4)
            out["params"] = (a,) if not sub.has("b") else (a, sub.number("b", positive=True))
        sub.finish()
        if env is None:
            raise t.error(src, "needs an [environment] (orbit coefficients)", t.data[src])
    elif src == "proton_sigma":
        out["value"] = t.number(src, positive=True, maximum=1.0)
        if env is None:
            raise t.error(src, "needs an [environment] (orbit coefficients)", t.data[src])
    else:
        out["value"] = t.number(src, minimum=0.0, maximum=1e12)
        if src == "per_rad" and env is None:
            raise t.error(src, "needs an [environment] to give the dose rate", t.data[src])
        if src == "per_rad" and env is not None and env.c_proton <= 0:
            # a per-rad rate is a beam-test dose proxy for trapped protons (the LEO
            # calibration it comes from); beyond the inner belt the dose is mostly from
            # electrons, which cause almost no single-event effects (radiation.md 2.1)
            raise t.error(
                src,
                f"a dose-proxy rate is for orbits whose dose is from trapped protons; "
                f"the {env.orbit} dose is mostly from electrons, which cause almost no "
                "single-event effects: give the rate as a heavy-ion fit (weibull = "
                "{...}), per_device_day or per_bit_day",
                t.data[src],
            )
    if with_bits and src in ("per_bit_day", "weibull", "bendel"):
        out["bits"] = t.number("bits", positive=True, maximum=1e18)
    elif with_bits and src == "proton_sigma" and t.has("bits"):
        out["bits"] = t.number("bits", positive=True, maximum=1e18)  # sigma per bit
    out["saa_share"] = _fraction(t, "saa_share")
    out["spe_share"] = _fraction(t, "spe_share", below_one=True)
    share = out["saa_share"]
    if env is not None and share is not None and share < env.saa_fraction:
        raise t.error(
            "saa_share", f"is below the SAA time fraction {env.saa_fraction:g} of the orbit", share
        )
    return out


def _validate_radiation(
    t: Table, env: Environment | None, taken: set[str]
) -> tuple[RadiationEntry, ...]:
    raw = t.raw("radiation", [])
    if not isinstance(raw, list):
        raise t.error("radiation", "expected a list of radiation fault tables", raw)
    if len(raw) > 24:
        raise t.error("radiation", "at most 24 radiation entries per unit type", len(raw))
    out: list[RadiationEntry] = []
    items: list[tuple[str, Any]] = []
    for i, item in enumerate(raw):
        path = f"{t.path}.radiation[{i}]"
        if isinstance(item, dict) and "device" in item:
            dt = Table(item, path, t.source)
            device = dt.string("device", choices=tuple(DEVICES))
            dt.finish()
            items += [(f"{path}(device {device})", dict(e), device) for e in DEVICES[device][0]]
        else:
            items.append((path, item, ""))
    for path, item, device in items:
        rt = Table(item, path, t.source)
        cls = rt.string("class", choices=tuple(FAULT_CLASSES))
        entry_name = read_name(rt, "name", rt.raw("name", cls))
        if entry_name in taken:
            raise rt.error("name", "duplicate fault name in this unit type", entry_name)
        taken.add(entry_name)
        effect = rt.string("effect", FAULT_CLASSES[cls], choices=EFFECTS)
        rate = _validate_rate_source(rt, env, with_bits=True, allow_threshold=cls == "tid")
        if rate["source"] == "threshold_rad" and effect != "permanent":
            raise rt.error("effect", "total-dose wear-out is permanent", effect)
        recover = None
        if effect == "transient":
            recover = read_duration_law(
                rt, "recover", Law(law="fixed", p1=DEFAULT_RECOVER_H.get(cls, 5 / 60))
            )
        elif rt.has("recover"):
            raise rt.error("recover", f"only transient faults recover (effect = {effect})")
        tested = None
        if rt.has("tested_at_c"):
            tested = rt.number("tested_at_c", minimum=-60.0, maximum=200.0)
            if cls != "sel" or rate["source"] != "weibull":
                raise rt.error(
                    "tested_at_c",
                    "the temperature model is for latch-up heavy-ion fits (class = 'sel', "
                    "weibull = {...}): the onset LET falls as the part heats",
                    tested,
                )
        destructive = 0.0
        if rt.has("destructive"):
            if effect != "transient":
                raise rt.error("destructive", "only a transient fault can destroy a share")
            destructive = rt.number("destructive", minimum=0.0, maximum=1.0)
        rt.finish()
        out.append(
            RadiationEntry(
                name=entry_name,
                fault_class=cls,
                effect=effect,
                recover=recover,
                destructive=destructive,
                device=device,
                tested_at_c=tested,
                **rate,
            )
        )
    return tuple(out)


def _validate_memory(t: Table, env: Environment | None) -> Memory:
    bits = t.number("bits", positive=True, maximum=1e18)
    ecc = t.string("ecc", "secded", choices=("secded", "chipkill", "none"))
    # chipkill: a 144-bit word of 36 x4 symbols (128 data bits over two channels) [U]
    word_bits = t.integer("word_bits", 144 if ecc == "chipkill" else 72, minimum=3, maximum=4096)
    symbol = None
    if t.has("symbol_bits") or ecc == "chipkill":
        t.refuse("symbol_bits", "a symbol needs ecc = 'chipkill'", unless=ecc == "chipkill")
        symbol = t.integer("symbol_bits", 4, minimum=2, maximum=64)
        if word_bits % symbol or word_bits // symbol < 3:
            raise t.error("word_bits", f"must hold at least 3 symbols of {symbol} bits", word_bits)
    t.refuse(
        "interleave",
        "a symbol code needs no interleaving (a burst inside a symbol is corrected)",
        unless=ecc != "chipkill",
    )
    miscorrect = None
    if t.has("miscorrect"):
        t.refuse("miscorrect", "only SEC-DED miscorrects (ecc = 'secded')", unless=ecc == "secded")
        miscorrect = t.number("miscorrect", minimum=0.0, maximum=1.0)
    defaults: dict[str, Any] = {}
    device = ""
    if t.has("device"):
        device = t.string("device", choices=tuple(MEMORIES))
        if t.has("upset"):
            raise t.error("upset", f"the device {device!r} gives the upset response already")
        response, defaults, _, _ = MEMORIES[device]
        ut = Table(dict(response), f"{t.path}(device {device}).upset", t.source)
    else:
        ut = t.table("upset", required=True)
    assert ut is not None
    rate = _validate_rate_source(ut, env, with_bits=False, allow_threshold=False)
    ut.finish()
    upset = RadiationEntry(name="memory", fault_class="corrected", effect="none", **rate)
    scrub = t.duration("scrub", None, positive=True) if t.has("scrub") else None
    kind = t.string("scrub_kind", "periodic", choices=("periodic", "random"))
    if scrub is None and t.has("scrub_kind"):
        raise t.error("scrub_kind", "needs a scrub period (scrub = ...)", kind)
    t.refuse("scrub", "scrubbing needs ECC (secded or chipkill)", unless=ecc != "none")
    memory = Memory(
        bits=bits,
        upset=upset,
        word_bits=word_bits,
        ecc=ecc,
        symbol_bits=symbol,
        miscorrect=miscorrect,
        scrub_h=scrub,
        scrub_kind=kind,
        recover=read_duration_law(t, "recover", Law(law="fixed", p1=DEFAULT_RECOVER_H["due"])),
        mbu_fraction=t.number(
            "mbu_fraction", defaults.get("mbu_fraction", 0.0), minimum=0.0, maximum=1.0
        ),
        mbu_span=t.integer("mbu_span", defaults.get("mbu_span", 2), minimum=1, maximum=64),
        interleave=t.integer("interleave", 1, minimum=1, maximum=1024),
        device=device,
    )
    t.finish()
    return memory


def _spectrum(t: Table, key: str) -> tuple[tuple[float, float], ...]:
    """An integral spectrum [[x, Phi(>x)], ...]: x increasing, Phi positive, non-increasing."""
    raw = t.raw(key)
    ok = isinstance(raw, list) and len(raw) >= 2
    points: list[tuple[float, float]] = []
    for pair in raw if ok else []:
        if not (
            isinstance(pair, list)
            and len(pair) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
            and all(math.isfinite(v) and v > 0 for v in pair)
        ):
            ok = False
            break
        points.append((float(pair[0]), float(pair[1])))
    if ok:
        ok = all(b[0] > a[0] and b[1] <= a[1] for a, b in itertools.pairwise(points))
    if not ok:
        raise t.error(
            key,
            "expected at least two [x, flux above x] pairs, x increasing, flux positive "
            "and non-increasing",
            raw,
        )
    return tuple(points)


def _read_node(t: Table) -> dict[str, Any]:
    """Where the orbit's node is and when the mission starts: ``ltan = 18.0`` (local time
    of the ascending node, h) or ``raan_deg``, and ``epoch = 2027-03-01``."""
    out: dict[str, Any] = {}
    if t.has("ltan") and t.has("raan_deg"):
        raise t.error("raan_deg", "give ltan or raan_deg, not both", t.data["raan_deg"])
    if t.has("ltan"):
        out["ltan_h"] = t.number("ltan", minimum=0.0, maximum=24.0)
    if t.has("raan_deg"):
        out["raan_deg"] = t.number("raan_deg", minimum=0.0, maximum=360.0)
    if t.has("epoch"):
        raw = t.raw("epoch")
        text = raw.isoformat() if isinstance(raw, _dt.date) else raw
        try:
            day = _dt.date.fromisoformat(text)
        except (TypeError, ValueError):
            raise t.error("epoch", "expected a date such as 2027-03-01", raw) from None
        if not 1901 <= day.year <= 2099:
            raise t.error("epoch", "the Sun's position is computed for 1901-2099", raw)
        out["epoch"] = day.isoformat()
    return out


def _read_file(t: Table, key: str, reader):
    path, text = data_file(t, key)
    try:
        return reader(path, text=text)
    except ValueError as err:
        raise t.error(key, str(err), t.data[key]) from None


def _read_shielding(t: Table, given: dict[str, Any]) -> dict[str, Any]:
    """``shielding_mm`` (aluminium around the parts) and the environment files:
    ``dose_depth_file`` (SPENVIS SHIELDOSE-2 or OMERE ``.dos``), ``proton_spectrum_file`` (SPENVIS
    trapped protons, outside the spacecraft) and ``let_spectrum_file`` (SPENVIS or
    CREME96 ``.let``, behind the shielding it was computed for)."""
    out: dict[str, Any] = {}
    if t.has("shielding_mm"):
        out["shielding_mm"] = t.number("shielding_mm", minimum=0.0, maximum=1e4)
        if "dose_rad_per_y" in given:
            raise t.error(
                "dose_rad_per_y",
                "give dose_rad_per_y or shielding_mm, not both: shielding_mm reads the dose "
                "from the dose-depth curve",
                given["dose_rad_per_y"],
            )
        moved = [k for k in ("altitude_km", "inclination_deg") if k in given]
        if moved and not t.has("dose_depth_file"):
            raise t.error(
                moved[0],
                "moves the orbit off its preset, whose dose-depth curve shielding_mm would "
                "read: give the curve of this orbit as dose_depth_file (SPENVIS)",
                given[moved[0]],
            )
        if "proton_spectrum" in given:
            raise t.error(
                "proton_spectrum",
                "is a spectrum behind the shielding already: with shielding_mm give the "
                "spectrum outside the spacecraft as proton_spectrum_file",
                t.data["proton_spectrum"],
            )
    for key, field, reader in (
        ("dose_depth_file", "dose_depth", envfiles.read_dose_depth),
        ("proton_spectrum_file", "trapped_protons", envfiles.read_proton_spectrum),
    ):
        if t.has(key):
            if "shielding_mm" not in out:
                raise t.error(
                    key, "needs shielding_mm: the aluminium around the parts", t.data[key]
                )
            out[field] = _read_file(t, key, reader)
    if t.has("let_spectrum_file"):
        if "let_spectrum" in given:
            raise t.error("let_spectrum_file", "give let_spectrum or let_spectrum_file, not both")
        spectrum, mm = _read_file(t, "let_spectrum_file", envfiles.read_let_spectrum)
        out["let_spectrum"], out["let_shielding_mm"] = spectrum, mm
    return out


def read_environment(t: Table | None) -> Environment | None:
    if t is None:
        return None
    orbit = t.string("orbit", choices=ORBITS)
    solar = t.string("solar", "cycle", choices=("min", "max", "cycle"))
    overrides: dict[str, float] = {}
    fractions = ("saa_fraction", "saa_share", "spe_share", "spe_ion_share", "spe_transmission")
    for key in OVERRIDABLE:
        if not t.has(key):
            continue
        if key in fractions:
            overrides[key] = t.number(key, minimum=0.0, maximum=1.0)
            if key in ("spe_share", "spe_ion_share") and overrides[key] >= 1.0:
                raise t.error(key, "must be below 1", t.data[key])
        elif key == "spe_fluence_per_active_year":  # protons per cm^2: 1e9-1e10
            overrides[key] = t.number(key, minimum=0.0, maximum=1e13)
        elif key in (
            "orbit_period_h",
            "spe_duration_median_h",
            "gcr_solar_ratio",
            "trapped_solar_ratio",
            "electron_dose_factor",
        ):
            overrides[key] = t.number(key, positive=True, maximum=1e6)
        elif key == "inclination_deg":
            overrides[key] = t.number(key, minimum=0.0, maximum=180.0)
        else:
            overrides[key] = t.number(key, minimum=0.0, maximum=1e9)
    for key in ("let_spectrum", "proton_spectrum"):
        if t.has(key):
            overrides[key] = _spectrum(t, key)
    overrides.update(_read_node(t))
    overrides.update(_read_shielding(t, overrides))
    t.finish()
    if "electron_dose_factor" in overrides:
        factor, curve = overrides["electron_dose_factor"], overrides.get("dose_depth")
        if "shielding_mm" not in overrides:
            why = "needs shielding_mm: it scales the electron part of the dose-depth curve"
            raise t.error("electron_dose_factor", why, factor)
        if curve is not None and curve.electron_rad_per_y is None:
            why = "needs a dose_depth_file whose legend names its Electrons column"
            raise t.error("electron_dose_factor", why, factor)
    try:
        env = preset(orbit, solar, **overrides)
    except OutsideCurve as err:
        raise t.error("shielding_mm", str(err), overrides.get("shielding_mm")) from None
    except ValueError as err:  # too few events to carry ESP's variance
        keys = [k for k in ("spe_per_active_year", "spe_duration_sigma") if k in overrides]
        if not keys:
            raise
        raise t.error(keys[0], str(err), overrides[keys[0]]) from None
    if "spe_proton_response" in overrides and trapped_above_30(env) > 0:
        raise t.error(
            "spe_proton_response",
            f"has no effect in orbit {orbit!r}: trapped protons reach 30 MeV there, so "
            "events scale each part's own trapped-proton rate (spe_transmission)",
            overrides["spe_proton_response"],
        )
    if env.saa_fraction >= 1.0:
        raise t.error("saa_fraction", "must be below 1", env.saa_fraction)
    passes = env.saa_passes_per_day
    if passes != int(passes):
        raise t.error(
            "saa_passes_per_day", "must be a whole number (0: a pass every orbit)", passes
        )
    if (
        passes > 0
        and env.saa_fraction > 0
        and (
            passes * env.orbit_period_h > 24.0
            or env.saa_fraction * 24.0 / passes >= env.orbit_period_h
        )
    ):
        raise t.error(
            "saa_passes_per_day",
            f"{passes:g} passes of {60 * env.saa_fraction * 24.0 / passes:.0f} min do not fit "
            f"a day of {env.orbit_period_h * 60:.0f} min orbits, one pass to an orbit",
            passes,
        )
    if env.saa_fraction > 0 and env.saa_share < env.saa_fraction:
        raise t.error(
            "saa_share",
            f"is below the SAA time fraction {env.saa_fraction:g}: the SAA never lowers a rate",
            env.saa_share,
        )
    return env
