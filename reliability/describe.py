"""What a campaign resolved to, in words: ``reliability validate`` and the report's summary."""

from __future__ import annotations

import itertools
import math
from typing import Any

from reliability.campaign import Campaign, RareEvent, draws_power
from reliability.describe_orbit import (
    describe_geometry,
    describe_links,
    describe_power,
    describe_solar,
    describe_thermal,
)
from reliability.devices import DEVICES, MEMORIES
from reliability.engine import counts_blocker, levels, state_bytes
from reliability.engine.spec import Effect
from reliability.environment import HOURS_PER_YEAR, provenance
from reliability.limits import check_events, check_resources
from reliability.mitigation import describe_code, mbu_due_rate
from reliability.protons import dose_text, shielding_note
from reliability.radiation import rate_table, spe_worst_factor
from reliability.runner import resolve_engine, resolve_method
from reliability.selection import look_schedule
from reliability.system import SystemPlan, compile_plan, job_mtbf_h, time_edges
from reliability.system import satellite as sat
from reliability.system.heat import unit_heat, unit_temperature_steps
from reliability.units import duration_text, hours_text

__all__ = ["describe", "describe_design", "describe_question", "design_warnings"]


def describe(c: Campaign) -> list[str]:
    """What ``c`` resolved to, one line per item: the check before a run (what
    ``reliability validate`` prints): the design, then how it will be run."""
    design = describe_design(c)
    lines = [
        f"campaign      {c.name}  (config {c.config_sha256[:8]})",
        design[0],
        f"trials        {c.trials} in blocks of {c.block_size}, seed {c.seed}",
        *design[1:],
    ]
    lines += describe_question(c)
    method, _ = resolve_method(c)
    plans = [] if method == "importance" else [compile_plan(d) for d in c.designs]
    if method == "crude":
        lines.append(_describe_crude(c))
        lines.append(check_resources(c, plans).describe())
        lines.append(_describe_engine(c, plans))
    else:
        if method == "splitting":
            check_events(c, plans)
        lines.append(_describe_rare(c, method, plans))
    for e in c.expectations:
        at = "" if e.at_h is None else f"({e.at_h:g} h)"
        lines.append(f"expect        {e.metric}{at} = {e.exact:.10g}")
    return lines


def describe_design(c: Campaign) -> list[str]:
    """The designs of ``c`` in words: mission, tree, units and their faults, radiation
    environment and derived rates, maintenance, and the sweep."""
    base = c.base
    lines = [
        (
            f"mission       {hours_text(c.mission_h)}, warm-up {hours_text(base.warmup_h)}, "
            f"grid {len(time_edges(c.mission_h, c.time_step_h)) - 1} cells of {c.time_step_h:g} h"
        ),
        (
            f"semantics     units age while the system is down: "
            f"{'yes' if base.age_while_down else 'no'}"
        ),
        f"units         {base.n_units} slots"
        + (
            f", {base.n_platforms} platforms (a platform's group is down while it is; its "
            "units keep their clocks)"
            if base.n_platforms
            else ""
        ),
        "tree (outermost first):",
    ]
    for lv in base.levels:
        extra = []
        if lv.unit:
            extra.append(f"units of type {lv.unit}")
        if lv.crews:
            extra.append(f"{lv.crews} crew(s) per group")
        if lv.spares:
            sp = lv.spares
            text = f"{sp.count} {sp.kind} spares, swap {sp.swap.describe()}"
            if sp.repair is not None:
                who = (
                    f"by {sp.repairers} repairer(s) in turn" if sp.repairers else "each on its own"
                )
                text += f", units swapped out repaired in {sp.repair.describe()} ({who}) and back as spares"
            extra.append(text)
        if lv.platform:
            extra.append(_describe_platform(lv))
        lines.append(
            f"  {lv.name:<12} {lv.k}-of-{lv.n}" + (f"  ({'; '.join(extra)})" if extra else "")
        )
    platforms = {lv.platform for lv in base.levels if lv.platform}
    handed_over = {lv.platform for lv in base.levels if lv.platform and lv.group_spares}
    for u in base.units:
        lines.append(f"unit {u.name}:" + (" (a platform)" if u.name in platforms else ""))
        for m in u.failures:
            how = (
                f"repair {m.repair.describe()}{'' if m.crew else ' (no crew)'}"
                f"{', renews' if m.renew else ', resumes ageing'}"
                if m.repair
                else "replace (spare swap or servicing)"
            )
            if m.shock is not None:
                how = f"a shock: fails each unit of the group up with p = {m.shock:g}; units hit: {how}"
            elif u.name in platforms:
                how = (
                    f"group down; platform repaired in place ({how.removeprefix('repair ')})"
                    if m.repair
                    else "group down until replaced (new units, spares restocked; a "
                    "servicing visit restores the platform only)"
                )
            rate = f", rate x profile {m.profile}" if m.profile else ""
            if m.activation_ev is not None:
                rate = f", rate x Arrhenius({m.activation_ev:g} eV) of its temperature"
            if m.planned:
                how = (
                    "planned retirement at the design life: a free spare group takes over "
                    f"at once (moved into the slot ahead of time); without one, {how}"
                    if u.name in handed_over
                    else f"planned retirement at the design life: {how}"
                )
            lines.append(f"  {m.name:<12} life {m.life.describe()}{rate}; {how}")
        if u.maintenance is not None:
            pm = u.maintenance
            lines.append(
                f"  {'maintenance':<12} every {hours_text(pm.every_h)} from {hours_text(pm.first_h)}"
                f"{', units of a group in turn' if pm.stagger else ', all units at once'}, "
                f"lasts {pm.duration.describe()}{'' if pm.crew else ' (no crew)'}, "
                f"{_renewal(pm.renew)}; skipped by a unit that is down"
            )
    lines += _describe_radiation(c)
    if base.servicing:
        s = base.servicing
        lines.append(
            f"servicing     every {hours_text(s.every_h)} from {hours_text(s.first_h)}, lasts "
            f"{s.duration_h:g} h, system {'down' if s.system_down else 'up'}, "
            f"{s.policy}, restock {'yes' if s.restock else 'no'}"
        )
    if base.resupply:
        lines.append(
            f"resupply      every {hours_text(base.resupply.every_h)} ({base.resupply.cadence})"
        )
    if base.derating:
        p = next(p for p in base.profiles if p.name == base.derating.profile)
        steps = ", ".join(f"{m:g} from {t:g} h" for t, m in p.points)
        lines.append(f"derating      share of usable slots that run: {steps}")
    both = c.sweep is not None and c.swings is not None  # a run does the sweep
    for what, t, scs in (("sweep ", c.sweep, c.scenarios), ("swings", c.swings, c.swing_scenarios)):
        if t is not None:
            how = " (run --swings)" if both and what == "swings" else ""
            lines.append(
                f"{what}        {len(scs or c.scenarios)} scenarios{how} over {', '.join(t.paths)}"
            )
            lines += [f"  scenario {i:<4} {sc.name}" for i, sc in enumerate(scs or c.scenarios)]
    lines += [f"warning       {w}" for w in design_warnings(c)]
    return lines


def describe_question(c: Campaign) -> list[str]:
    """What the run measures the designs against: the workload (demand, SLO), the
    target and the costs, with the defaults that apply when a section is absent."""
    base = c.base
    w = base.workload
    if w is None:
        lines = ["workload      none: availability and capacity only (no demand, no SLO)"]
    elif w.kind == "serving":
        demand = w.demand_units or base.n_units
        profile = f", scaled over time by profile {w.demand_profile}" if w.demand_profile else ""
        slo = f"{w.slo:g}" + (" (the default: all of it)" if w.slo == 1.0 else "")
        lines = [
            (
                f"workload      serving {demand:g} of {base.n_units} unit slots{profile}; "
                f"throughput = delivered / demand, the SLO met while it is >= {slo}"
            )
        ]
    else:
        work = "open-ended" if w.work_h == float("inf") else f"{w.work_h:g} h of work"
        every = (
            f"every {w.checkpoint_h:g} h (fixed)"
            if w.checkpoint == "fixed"
            else (
                f"ahead of every SAA pass, then Daly's interval at the rate inside and "
                f"outside the passes ({duration_text(compile_plan(base).checkpoint_h)} at the mean)"
            )
            if w.checkpoint == "saa"
            else f"every {duration_text(compile_plan(base).checkpoint_h)} (mission mean, by "
            f"{w.checkpoint.capitalize()} from the job's MTBF)"
        )
        # the design's own interval between interrupts, a reviewer's first check (Daly
        # and Young take the campaign's ``mtbf`` instead when it gives one)
        mtbf = job_mtbf_h(base)
        gap = f"every {mtbf:.4g} h on average" if math.isfinite(mtbf) else "none"
        given = f", Daly and Young use mtbf {w.mtbf_h:g} h" if w.mtbf_h is not None else ""
        lines = [
            (
                f"workload      training on {w.accelerators} units ({work}"
                f"{', elastic' if w.elastic else ''}; its interrupts {gap}, mission mean"
                f"{given}): checkpoint {every}, "
                f"costing {duration_text(w.checkpoint_cost_h)}; restart "
                f"{duration_text(w.restart_h)}; silent corruption found after "
                f"{duration_text(w.sdc_detection_h)}"
                + (f" on average, {w.sdc_detection_law.describe()}" if w.sdc_detection_law else "")
                + (f"; keeps the newest {w.checkpoint_keep}" if w.checkpoint_keep else "")
                + (
                    f", {w.sdc_harmful:.3g} of it harmful (the rest counted only)"
                    if w.sdc_harmful is not None
                    else ""
                )
            )
        ]
    varied = [p for p in (c.sweep.paths if c.sweep else ()) if p.startswith("workload.")]
    if w is not None and varied:
        # the line above is the file's own workload; each scenario replaces these keys
        lines.append(f"              as the file gives it; each scenario sets {', '.join(varied)}")
    t = c.target
    leaf = base.levels[-1].unit or base.levels[-1].name
    costs = dict(base.costs).get(leaf, ())  # what decision.design_cost counts
    pick = "the cheapest" if costs else "a design"
    lines.append(
        f"target        P({t.metric} >= {t.at_least:g}) >= {t.confidence:g} per design "
        f"(lower end of the 95% Wilson interval); the report picks {pick} that meets it"
        if t is not None
        else "target        none: the report compares the designs without a recommendation"
    )
    if costs:
        per = ", ".join(f"{m} {v:g}" for m, v in costs)
        power = [m for m, _ in costs if draws_power(m)]
        lines.append(
            f"costs         per {leaf} slot and on-board spare: {per}; designs ranked by "
            f"{costs[0][0]}" + (f" ({', '.join(power)}: cold spares draw none)" if power else "")
        )
    else:
        lines.append(
            "costs         none: of the designs that meet the target the report picks the "
            "most likely to (no cost ranking)"
        )
    return lines + _describe_optimize(c)


def _worst_event(env: Any) -> str:
    """How far the cycle's worst solar event lifts a rate, by what drives the rate."""
    proton = spe_worst_factor(env, heavy_ion_share=0.0)
    ion = spe_worst_factor(env, heavy_ion_share=1.0)
    if proton == ion:
        return f"lifts a rate to {ion:.3g} times its mean"
    return (
        f"lifts a trapped-proton rate to {proton:.3g} times its mean, a heavy-ion rate to "
        f"{ion:.3g} times"
    )


def _describe_optimize(c: Campaign) -> list[str]:
    """What ``reliability optimize`` would search, and how."""
    o = c.optimize
    if o is None:
        return []
    knobs = "; ".join(
        f"{p} in {_values(v)}" + (" (monotone)" if p in o.monotone else "")
        for p, v in zip(o.paths, o.values, strict=True)
    )
    bs = c.block_size
    first = -(-o.first_trials // bs)
    looks = look_schedule(first, max(first, -(-o.max_trials // bs)))
    return [
        f"optimize      {o.size} designs: {knobs}",
        (
            f"  `reliability optimize` takes the cheapest by {o.rank_by} first, {o.width} "
            f"at a time, looking at {', '.join(str(b * bs) for b in looks)} trials (whole "
            f"blocks of {bs}); a design meets or fails when an exact one-sided bound clears "
            f"the confidence, each verdict wrong at most {100 * o.error:g}% of the time"
        ),
    ]


def _values(values: tuple) -> str:
    """A knob's values, a long integer run shown as its ends."""
    if len(values) > 4 and all(isinstance(v, int) for v in values):
        step = values[1] - values[0]
        if all(b - a == step for a, b in itertools.pairwise(values)):
            return f"{values[0]}..{values[-1]}" + (f" step {step}" if step != 1 else "")
    return "[" + ", ".join(map(str, values)) + "]"


def _describe_crude(c: Campaign) -> str:
    """Crude Monte Carlo: a fixed trial count or a precision target."""
    p = c.precision
    if p is None:
        return f"method        crude Monte Carlo, {c.trials} trials per scenario"
    return (
        f"method        crude Monte Carlo until {p.metric} is known to +/-{p.relative:g} "
        f"(relative, 95%), {p.min_trials} to {p.max_trials} trials per scenario"
    )


def design_warnings(c: Campaign) -> list[str]:
    """What in the design can never act as configured (each scenario's design)."""
    out: dict[str, None] = {}
    for sc in c.scenarios:
        d = sc.design
        if d.thermal is not None:
            _, temps = unit_temperature_steps(d)
            if temps.max() > 125.0:  # the usual upper rating of electronic parts
                out[
                    f"the running units reach {temps.max():.0f} C (radiator "
                    f"{d.thermal.radiator_m2:g} m^2): above the 125 C rating of most "
                    "electronic parts; check radiator_m2 and the loads"
                ] = None
        if d.links is not None:
            far = sat.stations_out_of_reach(d)
            for i in far:
                st = d.links.stations[i]
                out[
                    f"links.stations[{i}] ({st.name}) never sees the {d.environment.orbit} "
                    "orbit: it carries nothing there"
                    + (
                        "; no station does, so only the relay carries results"
                        if len(far) == len(d.links.stations)
                        else ""
                    )
                ] = None
        env = d.environment
        curve = None if env is None else env.dose_depth
        if curve is not None and curve.solar_rad_per_y and curve.source_years:
            years = d.mission_h / HOURS_PER_YEAR
            if abs(years / curve.source_years - 1.0) > 0.01:
                out[
                    f"the dose file's solar protons ({curve.source}) are read as a rate for "
                    f"a {years:.3g} y mission: a confidence-level fluence does not scale "
                    "with time, so the solar part is conservative for a longer mission and "
                    "optimistic for a shorter one; give a file for the mission's length"
                ] = None
        mm = (None, None) if env is None else (env.shielding_mm, env.let_shielding_mm)
        if None not in mm and abs(mm[0] - mm[1]) > 0.5:
            out[
                f"the LET spectrum was computed behind {mm[1]:g} mm of aluminium and the "
                f"parts sit behind {mm[0]:g} mm: heavy ions are not transported here; "
                "import the spectrum at that depth"
            ] = None
        plan = compile_plan(d).arrays
        # a unit's own modes are the modes of its clocks (any mode that takes it down
        # has one); it uses a spare only after one of them that replaces it, or a shock
        c0 = plan.unit_clock0[0]
        own = set(plan.clock_mode[c0 : c0 + plan.unit_nmodes[0]].tolist())
        swapping = [
            m
            for m in range(plan.n_modes)
            if plan.mode_replace[m]
            and (
                (m in own and plan.mode_effect[m] == Effect.DOWN)
                or plan.mode_effect[m] == Effect.SHOCK
            )
        ]
        for lv in d.levels:
            if lv.spares is not None and lv.spares.count > 0 and not swapping:
                out[
                    f"the spares of level {lv.name!r} are never used: every failure mode of "
                    f"unit {d.leaf_unit.name!r} is repaired in place (give a mode no repair, "
                    "or a permanent radiation effect, for it to be replaced)"
                ] = None
        for u in d.units:
            mem = u.memory
            if (
                mem is not None
                and mem.ecc == "secded"
                and mbu_due_rate(1.0, 1.0, mem.mbu_fraction, mem.mbu_span, mem.interleave) > 0
            ):
                out[
                    f"memory of unit {u.name!r}: with SEC-DED and interleave = {mem.interleave}, "
                    f"every multi-bit upset ({mem.mbu_fraction:.1%} of upsets, {mem.mbu_span} "
                    "adjacent cells) is uncorrectable; if the ECC layout interleaves words, set "
                    f"memory.interleave (>= {mem.mbu_span} removes them)"
                ] = None
    return list(out)


def _describe_platform(lv: Any) -> str:
    """How the groups a platform level carries are replaced."""
    launch = f" by a launch that fails with p = {lv.launch_failure:g}" if lv.launch_failure else ""
    text = f"each carried by a platform of type {lv.platform}"
    if lv.retire_below_k:
        text += " (retired and replaced when it falls below its k)"
    gs = lv.group_spares
    if gs is None:
        when = lv.replace.describe() if lv.replace else "the next servicing visit"
        return f"{text}, replaced in {when}{launch}"
    text += f"; {gs.count} {gs.kind} spare groups shared, relocating in {gs.relocate.describe()}"
    cadence = gs.launch_every_h is not None
    if gs.reorder is None and not cadence:
        return f"{text}, never replenished (a group waits for a spare or the next visit)"
    if cadence:
        times = f"{gs.launch_count} times" if gs.launch_count else "to the mission end"
        text += (
            f"; {gs.batch} more launched every {hours_text(gs.launch_every_h)} from "
            f"{hours_text(gs.launch_first_h)}, {times}{launch}"
        )
    if gs.reorder is not None:
        text += (
            f"; {gs.batch} more ordered whenever free + on order - waiting <= {gs.reorder}, "
            f"arriving in {lv.replace.describe()}{launch}"
        )
    return text


def _renewal(renew: bool | tuple[str, ...]) -> str:
    if isinstance(renew, tuple):
        return f"renews {', '.join(renew)} (the other modes resume ageing)"
    return "renews" if renew else "resumes ageing"


def _describe_rare(c: Campaign, method: str, plans: list[SystemPlan]) -> str:
    """The rare-event method a run will use, its effort and (splitting) its memory."""
    rare = c.rare_event or RareEvent()
    if method == "importance":
        return (
            f"method        importance sampling (balanced failure biasing {rare.bias:g}): "
            f"{rare.cycles} regenerative cycles per scenario in blocks of {c.block_size}"
        )
    depth = ", ".join(dict.fromkeys(str(levels(p.arrays)) for p in plans))
    memory = max(2 * rare.effort * state_bytes(p.arrays) for p in plans)
    return (
        f"method        fixed-effort splitting: {depth} levels, {rare.effort} trajectories "
        f"per stage, {rare.replicates} replicates per scenario; saved states about "
        f"{memory / 1024**2:.1f} MiB per stage on a worker"
    )


def _describe_engine(c: Campaign, plans: list[SystemPlan]) -> str:
    """Which engine a crude run would use, and why."""
    engine = resolve_engine(c, plans)
    if engine == "counts":
        why = "identical exponential units simulated as counts"
    elif c.engine == "units":
        why = "as asked"
    else:
        blocked = next((b for p in plans if (b := counts_blocker(p.arrays, p.mode_labels))), None)
        why = (
            f"per-unit clocks: {blocked}"
            if blocked
            else "per-unit clocks, so that scenarios share random numbers slot by slot"
        )
    return f"engine        {engine} ({why})"


def _device_sources(unit: Any) -> list[str]:
    """Where the published device presets of a unit come from."""
    names = dict.fromkeys(e.device for e in unit.radiation if e.device)
    out = [f"  device {d}: [{DEVICES[d][1]}] {DEVICES[d][2]}" for d in names]
    if unit.memory is not None and unit.memory.device:
        _, _, tag, source = MEMORIES[unit.memory.device]
        out.append(f"  memory {unit.memory.device}: [{tag}] {source}")
    if unit.memory is not None and unit.memory.ecc != "none":
        out.append(f"  memory code: {describe_code(unit.memory)}")
    return out


def _moved(env) -> str:
    """' preset, moved' when the campaign set the orbit off its preset's altitude or
    inclination (whose coefficients it keeps)."""
    preset = {key: value for key, value, *_ in provenance(env.orbit)}
    moved = any(
        key in preset and getattr(env, key) != preset[key]
        for key in ("altitude_km", "inclination_deg")
    )
    return " preset, moved" if moved else ""


def _rate_tables(design) -> dict[str, list]:
    """The rate table of each unit type of ``design`` that radiation reaches."""
    return {
        u.name: rate_table(
            u,
            design.environment,
            design.mission_h,
            unit_heat(design) if u is design.leaf_unit else None,
        )
        for u in design.units
        if u.radiation or u.memory is not None
    }


def _describe_radiation(c: Campaign) -> list[str]:
    """Derived fault rates per scenario and unit type: the physics check before launch."""
    lines: list[str] = []
    scenarios = c.scenarios
    designs = [(sc.name, sc.design) for sc in scenarios] if c.sweep else [("", c.base)]
    shown: dict[str, list] = {}
    last: tuple = ()
    # a scenario is named beside an orbit or a rate table only where the sweep changes it
    orbits = {(d.environment, d.power, d.links) for _, d in designs}
    tables = [_rate_tables(d) for _, d in designs]
    varies = {n for t in tables[1:] for n, rows in t.items() if rows != tables[0].get(n)}
    for (label, design), table in zip(designs, tables, strict=True):
        env = design.environment
        units = [u for u in design.units if u.name in table]
        if env is not None and (env, design.power, design.links) != last:
            last = (env, design.power, design.links)  # each orbit, power and link once
            tag = f"  [scenario {label}]" if label and len(orbits) > 1 else ""
            lines.append(
                f"environment   {env.orbit}{_moved(env)} ({env.altitude_km:g} km, "
                f"{env.inclination_deg:g} deg, orbit {env.orbit_period_h * 60:.1f} min), solar "
                f"{env.solar}, dose {dose_text(env.dose_rad_per_y)} rad/y, SAA {env.saa_fraction:.0%} of "
                "the time"
                + (
                    f" in {env.saa_passes_per_day:g} passes a day, "
                    if env.saa_fraction > 0 and env.saa_passes_per_day > 0
                    else ", "
                )
                + f"{env.spe_per_active_year:g} solar events per active year, the worst "
                + _worst_event(env)
                + tag
            )
            lines.append(describe_geometry(env, design.mission_h))
            lines.append(describe_solar(env))
            lines.append(f"              {shielding_note(env)}")
            if design.power is not None:
                lines.append(describe_power(design))
            if design.links is not None:
                lines.append(describe_links(design))
        for u in units:
            rows = table[u.name]
            if shown.get(u.name) == rows:
                continue  # the sweep does not change this unit's physics
            shown[u.name] = rows
            tag = f"  [scenario {label}]" if label and u.name in varies else ""
            head = f"radiation     {u.name}{tag}"
            lines.append(head + "  (per unit, mission mean)")
            lines.extend(_device_sources(u))
            lines.append(
                f"  {'fault':<20} {'class':<10} {'effect':<10} {'per day':>11} "
                f"{'per year':>11} {'in SAA':>7} {'solar ev.':>9}  note"
            )
            lines.extend(
                f"  {r.name:<20} {r.fault_class:<10} {r.effect:<10} {r.per_unit_day:>11.4g} "
                f"{r.per_unit_day * 365:>11.4g} {r.saa_share:>7.1%} {r.spe_share:>9.1%}  {r.note}"
                for r in rows
            )
    if c.base.thermal is not None:
        lines.append(describe_thermal(c.base))
    return lines
