"""Reading the sections of a campaign file into its settings and its :class:`Design`:
``[campaign]``, ``[profiles]``, ``[units]`` (see :mod:`.units`), ``[environment]``,
``[cluster]``, ``[maintenance]``, ``[workload]``, ``[cost]``, ``[rare_event]`` and
``[verify]``."""

from __future__ import annotations

import math
from typing import Any

from reliability.campaign.cluster import read_levels
from reliability.campaign.errors import MAX_TRIALS, CampaignError, check_seed
from reliability.campaign.links import read_links
from reliability.campaign.model import (
    FAULT_METRICS,
    METRICS,
    PRECISION_METRICS,
    SPLIT_METRICS,
    TARGET_METRICS,
    Derating,
    Design,
    Expectation,
    Precision,
    Profile,
    RareEvent,
    Resupply,
    Servicing,
    Target,
    UnitType,
    Workload,
)
from reliability.campaign.power import read_power, read_thermal
from reliability.campaign.reader import Table, read_duration_law, read_name
from reliability.campaign.units import read_environment, read_unit
from reliability.units import parse_duration_h

__all__ = ["draws_power", "read_document"]


def read_document(doc: dict[str, Any], source: str) -> tuple[dict[str, Any], Design]:
    """Read a campaign document without its sweep: the campaign's own settings (as
    :class:`Campaign` keyword arguments) and its design."""
    top = Table(doc, "", source)
    ct = top.table("campaign", required=True)
    assert ct is not None
    name = read_name(ct, "name", ct.raw("name"))
    mission = ct.duration("mission", positive=True, maximum=1e7)
    precision = None
    if ct.has("precision"):
        pt_ = ct.table("precision")
        assert pt_ is not None
        precision = _validate_precision(pt_)
        ct.refuse("trials", "give trials or precision, not both")
        trials = precision.min_trials
    else:
        trials = ct.integer("trials", minimum=1, maximum=MAX_TRIALS)
    seed = ct.raw("seed")
    check_seed(seed, "campaign.seed", source)
    block_size = ct.integer("block_size", min(trials, 1000), minimum=1, maximum=MAX_TRIALS)
    time_step = ct.duration("time_step", mission / 100, positive=True)
    if mission / time_step > 100_000:
        raise ct.error(
            "time_step",
            f"gives {math.ceil(mission / time_step)} grid cells; at most 100000 are allowed",
            ct.data["time_step"],
        )
    warmup = ct.duration("warmup", 0.0)
    if warmup >= mission:
        raise ct.error(
            "warmup", f"must be shorter than the mission ({mission:g} h)", ct.data["warmup"]
        )
    age_while_down = ct.boolean("age_while_down", True)
    campaign = {
        "name": name,
        "description": ct.string("description", ""),
        "trials": trials,
        "seed": seed,
        "block_size": block_size,
        "common_random_numbers": ct.boolean("common_random_numbers", True),
        "precision": precision,
        "target": _validate_target(ct),
        "method": ct.string(
            "method", "crude", choices=("crude", "importance", "splitting", "auto")
        ),
        "engine": ct.string("engine", "auto", choices=("auto", "units", "counts")),
    }
    if precision is not None and campaign["method"] != "crude":
        raise ct.error(
            "precision",
            "a precision target sizes crude runs; rare-event methods size their runs in "
            "[rare_event] (cycles, or effort and replicates)",
            ct.data["precision"],
        )
    ct.finish()

    profiles: dict[str, Profile] = {}
    pt = top.table("profiles")
    if pt is not None:
        for pname in pt.data:
            sub = pt.table(pname)
            assert sub is not None
            profiles[read_name(pt, pname, pname)] = _validate_profile(pname, sub, mission)
            sub.finish()
        pt.finish()

    environment = read_environment(top.table("environment"))
    units: dict[str, UnitType] = {}
    ut = top.table("units", required=True)
    assert ut is not None
    if not ut.data:
        raise CampaignError(
            "define at least one unit type, e.g. [units.node]", source=source, path="units"
        )
    for uname in ut.data:
        sub = ut.table(uname)
        assert sub is not None
        units[read_name(ut, uname, uname)] = read_unit(uname, sub, profiles, environment)
        sub.finish()
    ut.finish()

    lt = top.table("cluster", required=True)
    assert lt is not None
    levels = read_levels(lt, units)
    servicing, resupply = _validate_maintenance(top.table("maintenance"), mission)
    if resupply is not None and not any(lv.spares for lv in levels):
        raise CampaignError(
            "resupply needs spares on some [cluster] level",
            source=source,
            path="maintenance.resupply",
        )
    workload = _validate_workload(
        top.table("workload"), math.prod(lv.n for lv in levels), profiles, environment
    )
    if workload is not None and workload.kind == "training" and any(lv.platform for lv in levels):
        raise CampaignError(
            "a training job with platforms (group-level failures) is not modelled yet: "
            "the job follows particular accelerators, not the groups that carry them; "
            "use a serving workload or none",
            source=source,
            path="workload.kind",
            value="training",
        )
    derating = _validate_derating(top.table("derating"), profiles, workload)
    power = read_power(
        top.table("power"),
        levels,
        has_environment=environment is not None,
        training=workload is not None and workload.kind == "training",
    )
    if power is not None and environment is not None:
        _check_power(top, power, environment, mission)
    thermal = read_thermal(top.table("thermal"), power, levels)
    links = read_links(
        top.table("links"),
        levels,
        power,
        thermal,
        has_environment=environment is not None,
        training=workload is not None and workload.kind == "training",
    )
    for uname, ut in units.items():
        for i, e in enumerate(ut.radiation):
            if e.tested_at_c is not None and thermal is None:
                raise CampaignError(
                    "a latch-up test temperature needs a [thermal] table: it sets the "
                    "temperature the part runs at",
                    source=source,
                    path=f"units.{uname}.radiation[{i}].tested_at_c",
                    value=e.tested_at_c,
                )
        for i, m in enumerate(ut.failures):
            if m.activation_ev is not None and thermal is None:
                raise CampaignError(
                    "an activation energy needs a [thermal] table: it sets the temperature",
                    source=source,
                    path=f"units.{uname}.failures[{i}].activation_ev",
                    value=m.activation_ev,
                )
    costs = _validate_costs(top.table("cost"), units)
    rare_event = _validate_rare_event(top.table("rare_event"))
    case, expectations = _validate_verify(top.table("verify"), mission)
    for i, e in enumerate(expectations):
        if (e.metric in SPLIT_METRICS) != (campaign["method"] == "splitting"):
            raise CampaignError(
                "failure_probability and unavailability are what a splitting run "
                "estimates, and all it estimates"
                f" (method = {campaign['method']!r})",
                source=source,
                path=f"verify.expect[{i}].metric",
                value=e.metric,
            )
    top.finish()
    campaign.update(rare_event=rare_event, case=case, expectations=expectations)
    design = Design(
        mission_h=mission,
        time_step_h=time_step,
        warmup_h=warmup,
        age_while_down=age_while_down,
        environment=environment,
        units=tuple(units.values()),
        profiles=tuple(profiles.values()),
        levels=levels,
        servicing=servicing,
        resupply=resupply,
        workload=workload,
        derating=derating,
        power=power,
        thermal=thermal,
        links=links,
        costs=costs,
    )
    return campaign, design


def _check_power(top: Table, ps: Any, env: Any, mission_h: float) -> None:
    """A satellite whose battery cannot carry its bus through the longest eclipse, or
    whose array cannot carry the bus and recharge the battery by the mission end,
    would brown out: refused, rather than counted as up with nothing running."""
    from reliability.eclipses import eclipse_days

    _, shade = eclipse_days(env, mission_h)
    t_e = float(shade.max()) / 60.0
    t_s = env.orbit_period_h - t_e
    where = "power"
    if ps.depth_of_discharge * ps.battery_wh < ps.bus_w * t_e:
        raise CampaignError(
            f"the battery gives {ps.depth_of_discharge * ps.battery_wh:g} Wh an eclipse, less "
            f"than the bus draws through the longest ({ps.bus_w * t_e:.0f} Wh in "
            f"{60 * t_e:.0f} min): the satellite would brown out",
            source=top.source,
            path=f"{where}.battery_wh",
            value=top.data["power"]["battery_wh"],
        )
    end = ps.array_w * (1.0 - ps.degradation_per_y) ** (mission_h / 8760.0)
    need = ps.bus_w * (1.0 + t_e / (ps.charge_efficiency * t_s))
    if end < need:
        raise CampaignError(
            f"the array gives {end:.0f} W by the mission end, less than the bus and its "
            f"eclipse recharge need ({need:.0f} W): the satellite would brown out",
            source=top.source,
            path=f"{where}.array_w",
            value=top.data["power"]["array_w"],
        )


def _validate_profile(name: str, t: Table, mission_h: float) -> Profile:
    kind = t.string("kind", choices=("steps", "sine"))
    if kind == "sine":
        mean = t.number("mean", 1.0, positive=True)
        amplitude = t.number("amplitude", minimum=0.0, maximum=1.0)
        period = t.duration("period", positive=True)
        phase = t.number("phase_deg", 0.0)
        return Profile(
            name=name,
            kind=kind,
            mean=mean,
            amplitude=amplitude,
            period_h=period,
            phase_rad=math.radians(phase),
        )
    raw = t.raw("points")
    if not isinstance(raw, list) or not raw:
        raise t.error("points", "expected a list of [time, multiplier] pairs", raw)
    points: list[tuple[float, float]] = []
    for i, pair in enumerate(raw):
        key = f"points[{i}]"
        if not isinstance(pair, list) or len(pair) != 2:
            raise t.error(key, "expected a [time, multiplier] pair", pair)
        try:
            when = parse_duration_h(pair[0])
        except (ValueError, TypeError) as exc:
            raise t.error(key, str(exc), pair) from None
        mult = pair[1]
        if (
            isinstance(mult, bool)
            or not isinstance(mult, int | float)
            or not (math.isfinite(mult) and mult >= 0)
        ):
            raise t.error(key, "multiplier must be a finite number >= 0", pair)
        if not math.isfinite(when) or when < 0:
            raise t.error(key, "time must be finite and >= 0", pair)
        if i == 0 and when != 0:
            raise t.error(key, "the first point must be at time 0", pair)
        if points and when <= points[-1][0]:
            raise t.error(key, "times must increase", pair)
        points.append((when, float(mult)))
    if points[-1][1] <= 0:
        raise t.error(f"points[{len(points) - 1}]", "the last multiplier must be positive", raw[-1])
    return Profile(name=name, kind=kind, points=tuple(points))


def _validate_maintenance(
    t: Table | None, mission_h: float
) -> tuple[Servicing | None, Resupply | None]:
    if t is None:
        return None, None
    servicing = resupply = None
    st = t.table("servicing")
    if st is not None:
        every = st.duration("every", positive=True)
        first = st.duration("first", every)
        duration = st.duration("duration", 0.0)
        if duration >= every:
            raise st.error(
                "duration", f"must be shorter than every = {every:g} h", st.data["duration"]
            )
        servicing = Servicing(
            every_h=every,
            first_h=first,
            duration_h=duration,
            system_down=st.boolean("system_down", True),
            policy=st.string("policy", "replace-failed", choices=("replace-failed", "replace-all")),
            restock=st.boolean("restock", True),
        )
        st.finish()
    rt = t.table("resupply")
    if rt is not None:
        every = rt.duration("every", positive=True)
        resupply = Resupply(
            every_h=every,
            first_h=rt.duration("first", every),
            cadence=rt.string("cadence", "deterministic", choices=("deterministic", "poisson")),
        )
        rt.finish()
    t.finish()
    return servicing, resupply


def _validate_rare_event(t: Table | None) -> RareEvent | None:
    if t is None:
        return None
    d = RareEvent()  # the defaults
    out = RareEvent(
        cycles=t.integer("cycles", d.cycles, minimum=100, maximum=MAX_TRIALS),
        bias=t.number("bias", d.bias, positive=True, maximum=0.95),
        crude_share=t.number("crude_share", d.crude_share, positive=True, maximum=1.0),
        effort=t.integer("effort", d.effort, minimum=10, maximum=1_000_000),
        replicates=t.integer("replicates", d.replicates, minimum=2, maximum=100_000),
    )
    t.finish()
    return out


def _validate_target(ct: Table) -> Target | None:
    tt = ct.table("target")
    if tt is None:
        return None
    out = Target(
        metric=tt.string("metric", "availability", choices=TARGET_METRICS),
        at_least=tt.number("at_least", minimum=0.0, maximum=1.0),
        confidence=tt.number("confidence", 0.95, positive=True, maximum=1.0),
    )
    tt.finish()
    return out


def draws_power(measure: str) -> bool:
    """Is ``[cost]`` measure ``measure`` a power (``power_w``, ``power_kw``)? Such a
    measure counts only the units that draw it: cold spares are switched off."""
    return measure.startswith("power")


def _validate_costs(
    t: Table | None, units: dict[str, UnitType]
) -> tuple[tuple[str, tuple[tuple[str, float], ...]], ...]:
    """Per-unit costs: ``[cost] gpu = { mass_kg = 2.5, power_w = 700, usd = 30000 }``."""
    if t is None:
        return ()
    out = []
    for uname in t.data:
        if uname not in units:
            raise t.error(
                uname, f"no such unit type in [units] ({', '.join(units)})", t.data[uname]
            )
        ut = t.table(uname)
        assert ut is not None
        measures = []
        for measure in ut.data:
            read_name(ut, measure, measure)
            measures.append((measure, ut.number(measure, minimum=0.0, maximum=1e15)))
        if not measures:
            raise t.error(uname, "give at least one cost, e.g. mass_kg = 2.5", ut.data)
        ut.finish()
        out.append((uname, tuple(measures)))
    t.finish()
    return tuple(out)


def _validate_derating(
    t: Table | None, profiles: dict[str, Profile], workload: Workload | None
) -> Derating | None:
    """``[derating] profile = "name"``: a steps profile of multipliers in [0, 1]."""
    if t is None:
        return None
    name = t.string("profile")
    if name not in profiles:
        known = ", ".join(profiles) or "none defined"
        raise t.error("profile", f"no such profile in [profiles] ({known})", name)
    p = profiles[name]
    if p.kind != "steps" or any(m > 1.0 for _, m in p.points):
        raise t.error("profile", "a derating is a steps profile of multipliers in [0, 1]", name)
    if workload is not None and workload.kind == "training":
        raise t.error(
            "profile", "derating is not modelled for a training job (it runs at full speed)", name
        )
    t.finish()
    return Derating(profile=name)


def _validate_workload(
    t: Table | None, n_units: int, profiles: dict[str, Profile], env: Any
) -> Workload | None:
    if t is None:
        return None
    kind = t.string("kind", choices=("serving", "training"))
    if kind == "serving":
        demand = float(n_units)
        if t.has("demand_units") and t.has("demand_fraction"):
            raise t.error("demand_fraction", "give demand_units or demand_fraction, not both")
        if t.has("demand_units"):
            demand = t.number("demand_units", positive=True, maximum=float(n_units))
        elif t.has("demand_fraction"):
            demand = n_units * t.number("demand_fraction", positive=True, maximum=1.0)
        slo = t.number("slo", 1.0, positive=True, maximum=1.0)
        profile = t.string("demand_profile", None)
        if profile is not None:
            if profile not in profiles:
                known = ", ".join(profiles) or "none defined"
                raise t.error("demand_profile", f"no such profile in [profiles] ({known})", profile)
            if profiles[profile].kind != "steps":
                raise t.error("demand_profile", "a demand profile must be of kind steps", profile)
        t.finish()
        return Workload(kind=kind, demand_units=demand, demand_profile=profile, slo=slo)
    m = t.integer("accelerators", n_units, minimum=1)
    if m > n_units:
        raise t.error("accelerators", f"exceeds the {n_units} unit slots of the cluster", m)
    raw = t.raw("checkpoint")
    if raw in ("daly", "young", "saa"):
        how, every = raw, 1.0
    else:
        how, every = "fixed", t.duration("checkpoint", positive=True)
    work = t.duration("work", positive=True) if t.has("work") else math.inf
    mtbf = t.duration("mtbf", positive=True) if t.has("mtbf") else None
    if mtbf is not None and how in ("fixed", "saa"):
        raise t.error("mtbf", "only used to choose a Young or Daly checkpoint interval", mtbf)
    if how == "saa" and (env is None or env.saa_fraction <= 0):
        raise t.error(
            "checkpoint", "checkpoints ahead of SAA passes need an orbit that crosses the SAA", raw
        )
    out = Workload(
        kind=kind,
        accelerators=m,
        checkpoint=how,
        checkpoint_h=every,
        checkpoint_cost_h=t.duration("checkpoint_cost", 0.0),
        restart_h=t.duration("restart", 0.0),
        work_h=work,
        **_detection(t),
        checkpoint_keep=t.integer("checkpoint_keep", minimum=1)
        if t.has("checkpoint_keep")
        else None,
        sdc_harmful=(
            t.number("sdc_harmful", minimum=0.0, maximum=1.0) if t.has("sdc_harmful") else None
        ),
        elastic=t.boolean("elastic", False),
        mtbf_h=mtbf,
    )
    if how != "fixed" and out.checkpoint_cost_h <= 0:
        raise t.error("checkpoint_cost", f"a {how} interval needs a positive checkpoint cost", 0.0)
    t.finish()
    return out


def _detection(t: Table) -> dict[str, Any]:
    """``sdc_detection``: a fixed latency ("1 h") or a law table (the latency of each
    silent corruption drawn from it)."""
    if not isinstance(t.raw("sdc_detection", None), dict):
        return {"sdc_detection_h": t.duration("sdc_detection", 1.0, positive=True)}
    law = read_duration_law(t, "sdc_detection")
    if not 0.0 < law.mean_h < math.inf:
        raise t.error("sdc_detection", "needs a positive mean latency", t.raw("sdc_detection"))
    if law.law == "fixed":  # as the plain duration
        return {"sdc_detection_h": law.p1}
    return {"sdc_detection_h": law.mean_h, "sdc_detection_law": law}


def _validate_verify(t: Table | None, mission_h: float) -> tuple[str, tuple[Expectation, ...]]:
    if t is None:
        return "", ()
    case = t.string("case")
    raw = t.raw("expect")
    if not isinstance(raw, list) or not raw:
        raise t.error("expect", "expected a non-empty list of expectation tables", raw)
    out = []
    for i, item in enumerate(raw):
        et = Table(item, f"{t.path}.expect[{i}]", t.source)
        metric = et.string("metric", choices=METRICS)
        low = high = None
        if et.has("range"):
            rng = et.raw("range")
            if (
                not isinstance(rng, list)
                or len(rng) != 2
                or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in rng)
                or not all(math.isfinite(x) for x in rng)
                or rng[0] > rng[1]
            ):
                raise et.error("range", "expected [low, high] with low <= high", rng)
            low, high = float(rng[0]), float(rng[1])
            exact = et.number("exact", 0.5 * (low + high))
        else:
            exact = et.number("exact")
        fault_class = ""
        if metric in FAULT_METRICS:
            fault_class = et.string("fault_class")
        at = None
        if metric in ("point_availability", "reliability", "spare_stock", "group_spare_stock"):
            at = et.duration("at")
            if at > mission_h:
                raise et.error("at", f"is after the mission end ({mission_h:g} h)", at)
        scale = et.number("scale", 1.0, positive=True)
        note = et.string("note", "")
        et.finish()
        out.append(
            Expectation(
                metric=metric,
                exact=exact,
                at_h=at,
                scale=scale,
                note=note,
                fault_class=fault_class,
                low=low,
                high=high,
            )
        )
    t.string("source", "")  # documentation only
    t.finish()
    return case, tuple(out)


def _validate_precision(t: Table) -> Precision:
    metric = t.string("metric", "unavailability", choices=PRECISION_METRICS)
    relative = t.number("relative", positive=True, maximum=1.0)
    min_trials = t.integer("min_trials", 1000, minimum=2, maximum=MAX_TRIALS)
    # by default 100 x min_trials, within the cap on trials
    max_trials = t.integer(
        "max_trials", min(100 * min_trials, MAX_TRIALS), minimum=2, maximum=MAX_TRIALS
    )
    if max_trials < min_trials:
        raise t.error("max_trials", f"is below min_trials = {min_trials}", max_trials)
    t.finish()
    return Precision(metric=metric, relative=relative, min_trials=min_trials, max_trials=max_trials)
