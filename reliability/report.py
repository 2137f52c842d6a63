"""The design-review report of a finished run: figures, decision table, provenance.

``write_report(run_dir)`` writes ``report.md``, a self-contained ``report.html``
(figures embedded) and ``figures/*.png`` and ``*.svg``. Everything is rendered
headless and deterministically: regenerating the report of the same run gives
byte-identical files (no timestamps but the run's own, fixed SVG ids, no
software-version stamps in the images).
"""

from __future__ import annotations

import base64
import json
import math
import shlex
from pathlib import Path

import jinja2
import numpy as np
import xarray as xr
from matplotlib.figure import Figure

from reliability import plots, plots_orbit
from reliability.assumptions import Assumption, assumptions, at_a_glance, suggested_swings
from reliability.campaign import Campaign, Target, parse_campaign, tornado
from reliability.decision import Decision, decide, pick_warnings, requirement_arithmetic
from reliability.describe import describe_design
from reliability.results import SchemaError, atomic_write, config_files, open_result
from reliability.summary import criticality_rows, summary_rows
from reliability.swings import swing_table

__all__ = ["write_report"]

_MD = """# {{ title }}

{{ decision.statement }}
{% for w in decision.warnings %}
> **Check before flying it:** {{ w }}
{% endfor %}
## At a glance
{% if description %}
{{ description }}
{% endif %}
{% for g in glance %}- {{ g }}
{% endfor %}- {{ placeholder_line }}

## Assumptions and evidence

Tags: V validated (primary source), S secondary (published model or estimate), U
unverified (judgement), D derived or a design choice. Placeholders come first.

| | set in | assumption | tags |
|---|---|---|---|
{% for a in assumptions -%}
| {{ "placeholder" if a.placeholder else "" }} | {{ a.where }} | {{ a.text|replace("|", "\\\\|") }} | {{ a.tags|join(", ") }} |
{% else -%}
| | | none tagged | |
{% endfor %}
## Design evaluated

```text
{{ design }}
```

## Results summary

| scenario | metric | mean | 95% CI |
|---|---|---|---|
{% for r in summary -%}
| {{ r[0] }} | {{ r[1] }} | {{ r[2] }} | {{ r[3] }} |
{% endfor %}
## Decision table

| scenario | mean {{ decision.metric }} | 95% CI | 5th percentile |{% if decision.target %} P({{ decision.metric }} ≥ {{ "%g"|format(decision.target.at_least) }}) | Wilson 95% | meets | margin |{% endif %}{% for m in decision.measures %} {{ m }} |{% endfor %}
|---|---|---|---|{% if decision.target %}---|---|---|---|{% endif %}{% for m in decision.measures %}---|{% endfor %}
{% for r in decision.rows -%}
| {{ r.scenario }} | {{ f6(r.mean.value) }} | {{ r.mean.interval() }} | {{ f6(r.p05) }} |{% if decision.target %} {{ f4(r.p_meet.value) }} | [{{ f4(r.p_meet.low) }}, {{ f4(r.p_meet.high) }}] | {{ "yes" if r.meets else "no" }} | {{ "%+.4f"|format(r.margin) }} |{% endif %}{% for m in decision.measures %} {{ "%g"|format(r.cost[m]) }} |{% endfor %}
{% endfor %}
{% if arithmetic %}
### How the requirement is judged
{% for p in arithmetic %}
{{ p }}
{% endfor %}
{% endif %}
{% if sensitivity %}
## Sensitivity

{{ sensitivity }}
{% if swings %}
```{{ "toml" if swings.startswith("[swings]") else "" }}
{{ swings }}
```
{% endif %}{% endif %}
{% if criticality %}
## What drives downtime

Share of the unplanned system downtime started by each fault class (the downtime
criticality index), over all trials; servicing visits are planned and not shared out,
but a planned retirement (`end_of_life`, `retired`) that leaves a slot empty is an
outage and counts.

| scenario | fault class | level | share | 95% CI | downtime h per mission |
|---|---|---|---|---|---|
{% for r in criticality -%}
| {{ r[0] }} | {{ r[1] }} | {{ r[2] }} | {{ r[3] }} | {{ r[4] }} | {{ r[5] }} |
{% endfor %}
{% endif %}
## Figures
{% for f in figures %}
### {{ f.title }}

![{{ f.title }}](figures/{{ f.name }}.svg)
{% endfor %}
## Provenance

| | |
|---|---|
{% for k, v in provenance -%}
| {{ k }} | {{ v }} |
{% endfor %}
Rerun with:

```bash
{{ rerun }}
```
"""

_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.meets td { background: #e8f5e9; }
tr.placeholder td { background: #fff6e5; }
#assumptions td, #assumptions th { text-align: left; }
.statement { font-size: 1.1em; padding: 0.8em; background: #f3f6fa; border-left: 4px solid #1f77b4; }
.warning { padding: 0.6em; background: #fff6e5; border-left: 4px solid #e08a00; }
img { max-width: 100%; }
pre { background: #f6f6f6; padding: 0.6em; }
</style></head><body>
<h1>{{ title }}</h1>
<p class="statement" id="recommendation">{{ decision.statement }}</p>
{% for w in decision.warnings %}<p class="warning"><strong>Check before flying it:</strong> {{ w }}</p>
{% endfor %}
<h2>At a glance</h2>
{% if description %}<p>{{ description }}</p>{% endif %}
<ul id="glance">{% for g in glance %}<li>{{ g }}</li>{% endfor %}<li>{{ placeholder_line }}</li></ul>
<h2>Assumptions and evidence</h2>
<p>Tags: V validated (primary source), S secondary (published model or estimate), U
unverified (judgement), D derived or a design choice. Placeholders come first.</p>
<table id="assumptions"><tr><th></th><th>set in</th><th>assumption</th><th>tags</th></tr>
{% for a in assumptions %}<tr{% if a.placeholder %} class="placeholder"{% endif %}><td>{{ "placeholder" if a.placeholder else "" }}</td><td>{{ a.where }}</td><td>{{ a.text }}</td><td>{{ a.tags|join(", ") }}</td></tr>
{% endfor %}</table>
<h2>Design evaluated</h2>
<pre id="design">{{ design }}</pre>
<h2>Results summary</h2>
<table id="summary"><tr><th>scenario</th><th>metric</th><th>mean</th><th>95% CI</th></tr>
{% for r in summary %}<tr><td>{{ r[0] }}</td><td>{{ r[1] }}</td><td>{{ r[2] }}</td><td>{{ r[3] }}</td></tr>
{% endfor %}</table>
<h2>Decision table</h2>
<table id="decision"><tr><th>scenario</th><th>mean {{ decision.metric }}</th><th>95% CI</th><th>5th percentile</th>
{% if decision.target %}<th>P({{ decision.metric }} &ge; {{ "%g"|format(decision.target.at_least) }})</th><th>Wilson 95%</th><th>meets</th><th>margin</th>{% endif %}
{% for m in decision.measures %}<th>{{ m }}</th>{% endfor %}</tr>
{% for r in decision.rows %}<tr{% if r.meets %} class="meets"{% endif %}><td>{{ r.scenario }}</td><td>{{ f6(r.mean.value) }}</td><td>{{ r.mean.interval() }}</td><td>{{ f6(r.p05) }}</td>
{% if decision.target %}<td>{{ f4(r.p_meet.value) }}</td><td>[{{ f4(r.p_meet.low) }}, {{ f4(r.p_meet.high) }}]</td><td>{{ "yes" if r.meets else "no" }}</td><td>{{ "%+.4f"|format(r.margin) }}</td>{% endif %}
{% for m in decision.measures %}<td>{{ "%g"|format(r.cost[m]) }}</td>{% endfor %}</tr>
{% endfor %}</table>
{% if arithmetic %}<h3>How the requirement is judged</h3>
{% for p in arithmetic %}<p>{{ p }}</p>
{% endfor %}{% endif %}
{% if sensitivity %}<h2>Sensitivity</h2>
<p id="sensitivity">{{ sensitivity }}</p>{% if swings %}<pre>{{ swings }}</pre>{% endif %}{% endif %}
{% if criticality %}<h2>What drives downtime</h2>
<p>Share of the unplanned system downtime started by each fault class (the downtime
criticality index), over all trials; servicing visits are planned and not shared out,
but a planned retirement (<code>end_of_life</code>, <code>retired</code>) that leaves a
slot empty is an outage and counts.</p>
<table id="criticality"><tr><th>scenario</th><th>fault class</th><th>level</th><th>share</th><th>95% CI</th><th>downtime h per mission</th></tr>
{% for r in criticality %}<tr><td>{{ r[0] }}</td><td>{{ r[1] }}</td><td>{{ r[2] }}</td><td>{{ r[3] }}</td><td>{{ r[4] }}</td><td>{{ r[5] }}</td></tr>
{% endfor %}</table>{% endif %}
<h2>Figures</h2>
{% for f in figures %}<h3>{{ f.title }}</h3><img alt="{{ f.title }}" src="data:image/png;base64,{{ f.png }}">
{% endfor %}
<h2>Provenance</h2>
<table>{% for k, v in provenance %}<tr><td>{{ k }}</td><td>{{ v }}</td></tr>{% endfor %}</table>
<p>Rerun with:</p><pre>{{ rerun }}</pre>
</body></html>
"""


def _placeholder_line(notes: list[Assumption], campaign: Campaign) -> str:
    """How much of the design rests on placeholders, in one line."""
    own = [a for a in notes if a.where == "campaign file"]
    held = [a for a in notes if a.placeholder]
    moved = campaign.sweep or campaign.swings  # a run does its sweep, or its swings
    swept = set(moved.paths if moved else ())
    line = (
        f"{len(held)} of the {len(notes)} tagged assumptions "
        + ("is a placeholder" if len(held) == 1 else "are placeholders")
        if held
        else f"none of the {len(notes)} tagged assumptions is a placeholder"
        if notes
        else "no assumption is tagged with its evidence"
    )
    if not own:
        line += (
            "; the campaign file tags none of its own numbers (add `# * what [tag]` notes): "
            "treat them as unverified"
        )
    if swept:
        line += f"; swept here: {', '.join(sorted(swept))}"
    return line + "."


def _sensitivity(notes: list[Assumption], campaign: Campaign) -> str:
    """Where the report's tornado is, or what to run to get one."""
    if campaign.swings is not None and campaign.sweep is None:
        return (
            "Each uncertain input was moved on its own around the baseline, under common "
            "random numbers: the table and the tornado figure below rank their effect."
        )
    if campaign.swings is not None:
        n = len(campaign.swings.paths)
        return (
            f"The campaign's [swings] move {n} uncertain input{'s' if n > 1 else ''} on "
            f"{'their' if n > 1 else 'its'} own around the baseline; `reliability run "
            "CAMPAIGN --swings` runs them, and its report draws the tornado that ranks "
            "their effect."
        )
    uncertain = [a for a in notes if a.placeholder or "U" in a.tags]
    untagged = not any(a.where == "campaign file" for a in notes)
    if not uncertain and not untagged:
        return ""
    what = (
        f"{len(uncertain)} "
        + ("assumption is" if len(uncertain) == 1 else "assumptions are")
        + " unverified (U) or placeholders"
        if uncertain
        else "The campaign's own numbers carry no evidence tags"
    )
    text = (
        f"{what}, and this run moved none of them, so it cannot show which one the "
        "decision hinges on."
    )
    if not suggested_swings(campaign):
        return text + " Give the campaign a [swings] table of them to see it."
    return (
        text + " Add the table below to the campaign file (each life and rate at half and "
        "twice its value; it loads as given) and run it with --swings: its report draws "
        "the tornado."
    )


def _f(digits: int):
    def fmt(x: float) -> str:
        return "nan" if math.isnan(x) else f"{x:.{digits}g}"

    return fmt


def _figures(ds: xr.Dataset, decision: Decision) -> list[tuple[str, str, Figure]]:
    out = []
    target = decision.target.at_least if decision.target else None

    def new(size=(7.0, 4.2)) -> tuple[Figure, object]:
        fig = Figure(figsize=size, layout="constrained")
        return fig, fig.add_subplot()

    if target is not None:
        for path in plots.swept_paths(ds):
            if np.issubdtype(ds[path].dtype, np.number) or decision.measures:
                fig, ax = new()
                plots.requirement_curve(ds, decision, path=path, ax=ax)
                out.append((f"requirement_{path}", "which designs meet the requirement", fig))
                if decision.measures:
                    break  # one cost axis for every knob
    fig, ax = new()
    plots.availability_ecdf(ds, metric=decision.metric, target=target, ax=ax)
    out.append(("ecdf", f"{decision.metric}: ECDF per scenario", fig))
    if decision.metric in ("availability", "mean_capacity", "slo_attainment"):
        fig, ax = new()
        plots.unavailability_ecdf(ds, metric=decision.metric, target=target, ax=ax)
        out.append(("shortfall_ecdf", f"1 - {decision.metric} per trial (log scale)", fig))
    fig, ax = new()
    plots.capacity_fan(ds, ax=ax)
    out.append(("capacity_fan", "capacity over the mission", fig))
    fig, ax = new()
    plots.point_availability(ds, ax=ax)
    out.append(("point_availability", "availability over the mission (point)", fig))
    fig, ax = new()
    plots.reliability_curve(ds, ax=ax)
    out.append(("reliability_curve", "reliability: time to the first system failure", fig))
    if ds.attrs.get("workload") in ("serving", "training"):
        fig, ax = new()
        plots.throughput_distribution(ds, ax=ax)
        out.append(("throughput", "throughput distribution", fig))
    if float(ds["fault_count"].sum()) > 0:
        fig, ax = new((7.0, 0.5 + 0.35 * ds.sizes["fault_class"] * ds.sizes["scenario"]))
        plots.fault_counts(ds, ax=ax)
        out.append(("fault_counts", "faults by class", fig))
    if "power_ceiling" in ds:
        fig, ax = new()
        plots_orbit.power_ceiling(ds, ax=ax)
        out.append(("power_ceiling", "capacity and the power ceiling over the mission", fig))
    if "unit_temperature_c" in ds:
        fig, ax = new()
        plots_orbit.cell_series(ds, "unit_temperature_c", ax=ax)
        out.append(("unit_temperature", "the running units' temperature over the mission", fig))
    if "link_ceiling" in ds:
        fig, ax = new()
        plots_orbit.power_ceiling(ds, ax=ax, variable="link_ceiling")
        out.append(("link_ceiling", "capacity and what the links carry over the mission", fig))
        fig, ax = new()
        plots_orbit.link_wait(ds, ax=ax)
        out.append(("link_wait", "how long results wait on board for a ground station", fig))
    for var, label in (
        ("spare_stock", "free spare units"),
        ("group_spare_stock", "free spare satellites (groups)"),
    ):
        if ds[var].any() or (var == "group_spare_stock" and ds["launches"].any()):
            fig, ax = new()
            plots.capacity_fan(ds, variable=var, label=label, ax=ax)
            out.append((var, f"{label} over the mission", fig))
    fig, ax = new((7.0, 0.8 + 0.35 * (ds.sizes["fault_class"] + 1) * ds.sizes["scenario"]))
    plots.downtime_by_cause(ds, ax=ax)
    out.append(("downtime_by_cause", "downtime by cause", fig))
    shown = int((np.nan_to_num(ds["downtime_share"].values).max(axis=0) > 0).sum())
    if shown:
        fig, ax = new((7.0, 1.0 + 0.3 * shown * max(ds.sizes["scenario"], 2)))
        plots.downtime_criticality(ds, ax=ax)
        out.append(("criticality", "what drives downtime (criticality)", fig))
    if ds.attrs.get("swings"):
        fig, ax = new()
        plots.tornado(ds, metric=decision.metric, ax=ax)
        out.append(("tornado", f"sensitivity of {decision.metric} (one at a time)", fig))
    for path in plots.swept_paths(ds):
        fig, ax = new()
        plots.trade_curve(ds, metric=decision.metric, path=path, ax=ax)
        out.append((f"trade_{path}", f"trade curve: {decision.metric} against {path}", fig))
    return out


def _rare_decision(ds: xr.Dataset, campaign: Campaign, target: Target | None) -> Decision:
    """Decision table of a rare-event run: the long-run unavailability per scenario,
    judged by the upper end of its 95% interval against 1 - target."""
    from reliability.decision import Row, design_cost
    from reliability.stats import Estimate

    target = target or campaign.target
    designs = {sc.name: sc.design for sc in campaign.scenarios}
    rows = []
    for s in ds["scenario"].values:
        sel = ds.sel(scenario=s)
        u, lo, hi = (
            float(sel[v]) for v in ("unavailability", "unavailability_low", "unavailability_high")
        )
        se = float(sel["relative_error"]) * u
        est = Estimate(u, se, lo, hi, int(ds.sizes.get("cycle", ds.sizes.get("replicate"))), 0.95)
        meets, margin = False, math.nan
        if target is not None:
            margin = (1 - target.at_least) - hi
            meets = margin >= 0
        cost = design_cost(designs.get(str(s), campaign.base))
        rows.append(Row(str(s), est, math.nan, None, cost, meets, margin))
    measures = list(rows[0].cost) if rows else []
    if target is None:
        statement = "No target given: the table shows the unavailability estimates."
        rec = None
    else:
        ok = sorted(
            (r for r in rows if r.meets),
            key=lambda r: r.cost.get(measures[0], 0.0) if measures else 0.0,
        )
        req = (
            f"long-run unavailability <= {1 - target.at_least:.3g} (availability >= "
            f"{target.at_least:.10g}; upper end of the 95% interval)"
        )
        if ok:
            rec = ok[0].scenario
            which = (
                "the cheapest design that meets"
                if measures
                else ("the first design that meets (no [cost] given to rank them by)")
            )
            statement = f"Recommended: {rec}, {which} {req}."
        else:
            rec = None
            statement = f"No design meets {req}."
    how = (
        "fixed-effort splitting on the failures still needed to bring the system down "
        f"({ds.sizes['replicate']} independent replicates of {ds.attrs.get('effort')} "
        "trajectories per stage; unplanned downtime over the mission)"
        if ds.attrs.get("method") == "splitting"
        else "importance sampling (balanced failure biasing, regenerative)"
    )
    statement += (
        f" Estimated by {how}; relative errors and weight diagnostics are in the provenance table."
    )
    warnings = pick_warnings(campaign, {r.scenario: r.meets for r in rows}, rec)
    return Decision("unavailability", None, rows, rec, None, statement, measures, warnings)


def _rare_figures(ds: xr.Dataset) -> list[tuple[str, str, Figure]]:
    fig = Figure(figsize=(7.0, 0.8 + 0.5 * ds.sizes["scenario"]), layout="constrained")
    ax = fig.add_subplot()
    u = ds["unavailability"].values
    lo, hi = ds["unavailability_low"].values, ds["unavailability_high"].values
    y = range(len(u))
    ax.errorbar(u, y, xerr=[u - lo, hi - u], fmt="o", capsize=3)
    ax.set_yticks(list(y), ds["scenario"].values.astype(str))
    if np.any(u > 0):  # a splitting run whose stages saw no arrivals estimates 0
        ax.set_xscale("log")
    splitting = ds.attrs.get("method") == "splitting"
    ax.set_xlabel(
        "unavailability (95% CI, splitting)"
        if splitting
        else "long-run unavailability (95% CI, importance sampling)"
    )
    out = [("unavailability", "unavailability per scenario", fig)]
    if splitting:
        fig = Figure(figsize=(7.0, 3.5), layout="constrained")
        ax = fig.add_subplot()
        reach = np.cumprod(ds["level_probability"].values, axis=0)
        levels = np.arange(1, reach.shape[0] + 1)
        for s, name in enumerate(ds["scenario"].values.astype(str)):
            seen = reach[:, s] > 0  # NaN (past the last stage reached) and 0 are not drawn
            ax.plot(levels[seen], reach[seen, s], "o-", label=name)
        if np.any(reach > 0):
            ax.set_yscale("log")
        ax.set_xlabel("level (failures towards system down)")
        ax.set_ylabel("P(reach the level in the mission)")
        ax.legend(loc="lower left")
        out.append(("levels", "splitting levels: probability of reaching each", fig))
    return out


def _campaign_of(ds: xr.Dataset, run: Path) -> Campaign:
    """The campaign a result was run with: its stored text with the run's overrides,
    checked against its stored configuration hash."""
    where = f"{run / 'result.nc' if run.is_dir() else run} attribute config_toml"
    c = parse_campaign(
        str(ds.attrs.get("config_toml", "")), source=where, files=config_files(ds, where)
    )
    a = ds.attrs
    if a.get("swings") and c.sweep is not None:  # a `run --swings` of a swept campaign
        c = tornado(c)
    trials = a.get("trials")
    c = c.with_overrides(
        seed=int(a["seed_entropy"], 16),
        block_size=int(a["block_size"]),
        trials=int(trials) if trials is not None and int(trials) != c.trials else None,
    )
    if c.config_sha256 != a["config_sha256"]:
        raise SchemaError(
            f"{where}: gives configuration {c.config_sha256[:8]}, but the result was run "
            f"with {str(a['config_sha256'])[:8]} (config_sha256): not the campaign it ran"
        )
    return c


def _provenance(ds: xr.Dataset, campaign: Campaign) -> list[tuple[str, str]]:
    a = ds.attrs
    samples = (
        ("trials", str(ds.sizes["trial"]))
        if "trial" in ds.sizes
        else ("regenerative cycles", f"{ds.sizes['cycle']} (importance sampling)")
        if "cycle" in ds.sizes
        else ("splitting replicates", f"{ds.sizes['replicate']} of {a.get('effort')} per stage")
    )
    rows = [
        ("campaign", str(a.get("campaign"))),
        ("config hash (sha256)", str(a.get("config_sha256"))),
        ("seed", str(int(str(a.get("seed_entropy")), 16))),
        samples,
        ("block size", str(a.get("block_size"))),
        ("scenarios", str(ds.sizes["scenario"])),
        ("common random numbers", "yes" if a.get("common_random_numbers", 1) else "no"),
        ("created", str(a.get("created_at"))),
    ]
    if a.get("method") in ("importance", "splitting"):
        rows.append(("method", str(a.get("estimator"))))
    if "converged" in a:
        rows.append(
            (
                "convergence",
                (
                    f"{'converged' if a['converged'] else 'NOT converged'}: relative 95% "
                    f"half-width {a.get('relative_half_width')} of "
                    f"{a.get('precision_metric')}, target {a.get('precision_relative_target')}"
                ),
            )
        )
    else:
        rows.append(("convergence", "fixed trial count (no precision target)"))
    versions = json.loads(a.get("library_versions", "{}"))
    if a.get("method") == "importance":
        for s in ds["scenario"].values:
            sel = ds.sel(scenario=s)
            rows.append(
                (
                    f"diagnostics {s}",
                    (
                        f"relative error {float(sel['relative_error']):.3g}, per cycle "
                        f"{float(sel['re_per_cycle']):.3g}, ESS {float(sel['ess']):.0f}, largest "
                        f"weight share {float(sel['max_weight_share']):.2g}, gamma "
                        f"{float(sel['gamma']):.4g}"
                    ),
                )
            )
    if a.get("method") == "splitting":
        for s in ds["scenario"].values:
            sel = ds.sel(scenario=s)
            levels = ", ".join(
                f"{p:.3g}" for p in sel["level_probability"].values if not math.isnan(p)
            )
            rows.append(
                (
                    f"diagnostics {s}",
                    (
                        f"P(failure) {float(sel['failure_probability']):.4g} (relative error "
                        f"{float(sel['failure_probability_re']):.3g}), unavailability relative "
                        f"error {float(sel['relative_error']):.3g}, effective replicates "
                        f"{float(sel['ess']):.1f}, largest replicate share "
                        f"{float(sel['max_weight_share']):.2g}, stage probabilities {levels}"
                    ),
                )
            )
    rows.append(("library versions", ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))))
    return rows


def write_report(
    run_dir: str | Path, *, out_dir: str | Path | None = None, target: Target | None = None
) -> Path:
    """Write the report of the run in ``run_dir`` (to ``out_dir``, default the run dir).

    Returns the path of ``report.html``.
    """
    run = Path(run_dir)
    ds = open_result(run)
    campaign = _campaign_of(ds, run)
    rare = ds.attrs.get("method") in ("importance", "splitting")
    decision = _rare_decision(ds, campaign, target) if rare else decide(ds, campaign, target)
    if not rare and "power_limited" in ds and float(ds["power_limited"].max()) > 0:
        decision.warnings.append(
            "Power limits shed compute here, but they do not enter availability: a "
            "satellite shed below its k in eclipse still counts as up. Availability, "
            "outages and P(no system failure) see usable units; capacity and throughput "
            "see powered ones."
        )
    out = Path(out_dir) if out_dir is not None else run
    fig_dir = out / "figures"
    fig_dir.mkdir(parents=True, exist_ok=True)
    figures = []
    for name, title, fig in _rare_figures(ds) if rare else _figures(ds, decision):
        png = plots.save_figure(fig, fig_dir / f"{name}.png", "png")
        plots.save_figure(fig, fig_dir / f"{name}.svg", "svg")
        figures.append({"name": name, "title": title, "png": base64.b64encode(png).decode()})
    seed = int(str(ds.attrs.get("seed_entropy")), 16)
    rerun = shlex.join(
        [
            "reliability",
            "run",
            str(run / "campaign.toml"),
            "--seed",
            str(seed),
            *(["--trials", str(ds.sizes["trial"])] if not rare else []),
            "--block-size",
            str(ds.attrs.get("block_size")),
            *(["--swings"] if ds.attrs.get("swings") else []),
        ]
    )
    env = jinja2.Environment(autoescape=False, keep_trailing_newline=True)
    context = {
        "title": f"Design review: {campaign.name}",
        "decision": decision,
        "figures": figures,
        "provenance": _provenance(ds, campaign),
        "description": campaign.description,
        "design": "\n".join(describe_design(campaign)),
        "glance": at_a_glance(campaign),
        "assumptions": (notes := assumptions(campaign)),
        "placeholder_line": _placeholder_line(notes, campaign),
        "sensitivity": "" if rare else _sensitivity(notes, campaign),
        "swings": "" if rare else swing_table(ds, decision.metric) or suggested_swings(campaign),
        "summary": summary_rows(ds),
        "criticality": [] if rare else criticality_rows(ds),
        "arithmetic": [] if rare else requirement_arithmetic(decision, ds),
        "rerun": rerun,
        "f6": _f(6),
        "f4": _f(4),
    }
    md = env.from_string(_MD).render(**context)
    html_env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    html = html_env.from_string(_HTML).render(**context)
    atomic_write(out / "report.md", lambda tmp: Path(tmp).write_text(md))
    atomic_write(out / "report.html", lambda tmp: Path(tmp).write_text(html))
    return out / "report.html"
