"""The decision table: which design meets the requirement, at what cost.

Every number is computed from the result dataset (and the campaign's costs), so a
report can be regenerated from a run directory alone. A scenario *meets* the
requirement ``P(metric >= target) >= confidence`` when the lower end of the 95%
Wilson interval of that probability is at least ``confidence``; its margin is that
lower end minus ``confidence``. The recommendation is the cheapest scenario that
meets it (by the first cost measure, ties broken by the higher probability).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from reliability.campaign import Campaign, Target
from reliability.selection import design_cost
from reliability.stats import Estimate, mean_ci, proportion_ci

__all__ = [
    "Decision",
    "Row",
    "decide",
    "design_cost",
    "paired_differences",
    "pick_warnings",
    "requirement_arithmetic",
]


@dataclass(frozen=True, slots=True)
class Row:
    """One scenario of the decision table."""

    scenario: str
    mean: Estimate
    p05: float
    p_meet: Estimate | None
    cost: dict[str, float]
    meets: bool
    margin: float


@dataclass(frozen=True, slots=True)
class Decision:
    """The table, the requirement it was judged against, and the recommendation."""

    metric: str
    target: Target | None
    rows: list[Row]
    recommended: str | None
    closest: str | None
    statement: str
    measures: list[str] = field(default_factory=list)
    #: why the pick may not be the one to fly: at the edge of the sweep, or past a
    #: coarse step (see :func:`pick_warnings`)
    warnings: list[str] = field(default_factory=list)


def decide(ds: xr.Dataset, campaign: Campaign, target: Target | None = None) -> Decision:
    """Build the decision table of a result for ``target`` (default: the campaign's)."""
    target = target or campaign.target
    metric = target.metric if target else "availability"
    designs = {sc.name: sc.design for sc in campaign.scenarios}
    rows = []
    for s in ds["scenario"].values:
        x = ds[metric].sel(scenario=s).values.astype(float)
        x = x[~np.isnan(x)]
        est = mean_ci(x)
        p05 = float(np.quantile(x, 0.05)) if x.size else math.nan
        p_meet = None
        meets, margin = False, math.nan
        if target is not None:
            p_meet = proportion_ci(int((x >= target.at_least).sum()), x.size)
            margin = p_meet.low - target.confidence
            meets = margin >= 0
        design = designs.get(str(s), campaign.base)
        rows.append(Row(str(s), est, p05, p_meet, design_cost(design), meets, margin))
    measures = list(rows[0].cost) if rows else []

    def cost_key(r: Row) -> tuple[float, float]:
        first = r.cost[measures[0]] if measures else 0.0
        return (first, -(r.p_meet.value if r.p_meet else r.mean.value))

    recommended = closest = None
    if target is None:
        statement = "No target given: the table shows the metric only."
    else:
        ok = sorted((r for r in rows if r.meets), key=cost_key)
        requirement = (
            f"P({metric} >= {target.at_least:g}) >= {target.confidence:g} "
            "(lower end of the 95% Wilson interval)"
        )
        if ok:
            best = ok[0]
            recommended = best.scenario
            tied = [r.scenario for r in ok[1:] if r.cost == best.cost]
            if measures and tied:
                which = (
                    f"at {measures[0]} = {best.cost[measures[0]]:g}, which it shares with "
                    f"{', '.join(tied)}: of the designs that meet at that cost, the one "
                    "with the highest probability (their costs do not tell them apart)"
                    " that meets"
                )
            elif measures:
                which = (
                    f"at {measures[0]} = {best.cost[measures[0]]:g}, the cheapest design "
                    f"(by {measures[0]}) that meets"
                )
            else:  # nothing to rank by: do not call it the cheapest
                same = [
                    r.scenario
                    for r in ok[1:]
                    if r.p_meet is not None and r.p_meet.value == best.p_meet.value
                ]
                which = "the design with the highest probability among those that meet " + (
                    f"(shared with {', '.join(same)}: nothing tells them apart, the first in "
                    "the sweep is named; give [cost] to rank them by mass or price)"
                    if same
                    else "(no [cost] given to rank them by)"
                )
            statement = (
                f"Recommended: {best.scenario}, {which} {requirement}: P = "
                f"{best.p_meet.value:.4f} [{best.p_meet.low:.4f}, {best.p_meet.high:.4f}], "
                f"margin {best.margin:+.4f}."
            )
        else:
            near = max(rows, key=lambda r: r.p_meet.low if r.p_meet else -1.0)
            closest = near.scenario
            statement = (
                f"No design meets {requirement}. The closest is {near.scenario}: "
                f"P = {near.p_meet.value:.4f} [{near.p_meet.low:.4f}, {near.p_meet.high:.4f}], "
                f"short by {-near.margin:.4f}."
            )
    warnings = pick_warnings(campaign, {r.scenario: r.meets for r in rows}, recommended)
    return Decision(metric, target, rows, recommended, closest, statement, measures, warnings)


def requirement_arithmetic(decision: Decision, ds: xr.Dataset) -> list[str]:
    """How the requirement was judged, in words and with the numbers of the pick (or
    the closest design): the two layers of confidence, the margin as a probability
    and as the metric, and why a mean below the target can meet a percentile
    requirement. Nothing without a target."""
    t = decision.target
    name = decision.recommended or decision.closest
    if t is None or name is None:
        return []
    r = next(r for r in decision.rows if r.scenario == name)
    x = ds[decision.metric].sel(scenario=name).values.astype(float)
    x = x[~np.isnan(x)]
    layers = (
        f"Each trial is one simulated mission, and its {decision.metric} is one number. The "
        f"requirement is on missions, not on the mean: at least {t.confidence:.0%} of "
        f"missions must reach {t.at_least:g}. That is the first layer. The second is the "
        "Monte Carlo estimate of that share: a design meets the requirement only when the "
        f"lower end of the 95% Wilson interval of the share reaches {t.confidence:g}."
    )
    margin = (
        f"{name}: {int((x >= t.at_least).sum())} of {x.size} missions reached "
        f"{t.at_least:g}, P = {r.p_meet.value:.4f} with Wilson 95% [{r.p_meet.low:.4f}, "
        f"{r.p_meet.high:.4f}], so the margin is {r.margin:+.4f} in probability "
        f"(the lower end minus {t.confidence:g})."
    )
    out = [layers, margin]
    q = float(np.quantile(x, 1.0 - t.confidence)) if x.size else math.nan
    line = (
        f"In {decision.metric}, the {1.0 - t.confidence:.0%} quantile of its missions is "
        f"{q:.6g} against the target {t.at_least:g}"
    )
    mission = float(ds.attrs.get("mission_h", math.nan)) - float(ds.attrs.get("warmup_h", 0.0))
    if decision.metric == "availability" and math.isfinite(mission):
        line += (
            f": at most {(1 - q) * mission:.4g} h down in a mission of {mission:.6g} h, "
            f"against {(1 - t.at_least) * mission:.4g} h allowed"
        )
    out.append(line + ".")
    if r.mean.value < t.at_least and r.meets:
        out.append(
            f"Its mean {decision.metric} ({r.mean.value:.6g}) is below the target and it "
            "still meets: a few very bad missions pull the mean down, while the requirement "
            "counts missions."
        )
    elif r.mean.value >= t.at_least and not r.meets:
        out.append(
            f"Its mean {decision.metric} ({r.mean.value:.6g}) reaches the target, but too "
            "many single missions fall short: the mean hides them."
        )
    return out


def pick_warnings(campaign: Campaign, meets: dict[str, bool], pick: str | None) -> list[str]:
    """What a design board should know before it flies ``pick``: for each swept
    numeric knob, whether the pick sits at the edge of the sweep (a value beyond it
    was not tried), or whether values between the last that fails and the pick were
    skipped (a coarse step: a cheaper design may meet). ``meets`` maps each scenario
    to whether it meets the requirement. Nothing without a sweep or without a pick.
    """
    sweep = campaign.sweep
    if sweep is None or pick is None:
        return []
    settings = {sc.name: dict(sc.settings) for sc in campaign.scenarios}
    chosen = settings[pick]
    out = []
    for path, values in zip(sweep.paths, sweep.values, strict=True):
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            continue
        # the pick's neighbours along this knob: every other setting as the pick's
        line = {
            settings[name][path]: ok
            for name, ok in meets.items()
            if all(v == chosen[p] for p, v in settings[name].items() if p != path)
        }
        here = chosen[path]
        below = sorted(v for v in line if v < here)
        above = sorted(v for v in line if v > here)
        if not below and not above:
            continue
        if not below:
            out.append(
                f"The pick has the lowest {path} swept ({here:g}): a smaller value was "
                f"not tried and may meet the requirement too; sweep below {here:g}."
            )
            continue
        failing = [v for v in below if not line[v]]
        if not failing:
            continue
        last = failing[-1]
        skipped = (
            here - last > 1
            if all(isinstance(v, int) for v in values)
            else (here - last) > 0.25 * abs(here)
        )
        if skipped:
            if isinstance(here, int) and here - last == 2:
                span = f"the value {last + 1} was not tried and may meet: sweep it."
            elif isinstance(here, int) and isinstance(last, int):
                span = f"values {last + 1} to {here - 1} were not tried and a smaller one "
                span += "may meet: sweep them."
            else:
                span = "values between them were not tried and a smaller one may meet."
            out.append(f"Coarse step: {path} = {last:g} fails and {here:g} meets; {span}")
    return out


def _validate_compare(a: xr.Dataset, b: xr.Dataset, metric: str) -> str:
    """The method both runs used ("crude", "importance" or "splitting")."""
    method_a = a.attrs.get("method", "crude")
    method_b = b.attrs.get("method", "crude")
    if method_a != method_b:
        raise ValueError(
            f"run A used {method_a} and run B {method_b}: compare runs of the same method"
        )
    if metric not in a.data_vars or metric not in b.data_vars:
        have = ", ".join(RARE_METRICS.get(method_a, ())) or "crude metrics"
        raise ValueError(f"`metric` = {metric!r} is not in these {method_a} runs ({have})")
    return method_a


#: what each rare-event method estimates, and the variable of its relative error
RARE_METRICS = {
    "importance": {"unavailability": "relative_error"},
    "splitting": {
        "unavailability": "relative_error",
        "failure_probability": "failure_probability_re",
    },
}


def paired_differences(
    a: xr.Dataset, b: xr.Dataset, metric: str = "availability"
) -> list[tuple[str, Estimate, bool]]:
    """Per scenario present in both runs: the mean of B - A with a 95% CI.

    When both runs share the seed and block size, trial *i* of A and of B used the
    same random numbers (a trial's key depends on its block and its place in it, not
    on the run's length), and the difference is paired (tight intervals) over the
    trials they have in common: the first min(trials) of each (``Estimate.n`` says
    how many). Otherwise the interval is Welch's for independent samples. Rare-event runs
    (importance sampling, splitting) compare their estimates of ``metric`` as
    independent, with the standard errors their relative errors give.
    """
    method = _validate_compare(a, b, metric)
    if method != "crude":
        return _rare_differences(a, b, metric, RARE_METRICS[method][metric])
    paired = a.attrs.get("seed_entropy") == b.attrs.get("seed_entropy") and a.attrs.get(
        "block_size"
    ) == b.attrs.get("block_size")
    common = min(a.sizes["trial"], b.sizes["trial"])
    out = []
    for s in a["scenario"].values:
        if s not in b["scenario"].values:
            continue
        x = a[metric].sel(scenario=s).values.astype(float)
        y = b[metric].sel(scenario=s).values.astype(float)
        if paired and common >= 1:
            out.append((str(s), mean_ci(y[:common] - x[:common]), True))
            continue
        ex, ey = mean_ci(x), mean_ci(y)
        se = math.hypot(ex.se, ey.se)
        diff = ey.value - ex.value
        half = 1.959963984540054 * se
        out.append(
            (str(s), Estimate(diff, se, diff - half, diff + half, x.size + y.size, 0.95), False)
        )
    return out


def _rare_differences(
    a: xr.Dataset, b: xr.Dataset, metric: str, relative_error: str
) -> list[tuple[str, Estimate, bool]]:
    out = []
    for s in a["scenario"].values:
        if s not in b["scenario"].values:
            continue
        x, y = (float(d[metric].sel(scenario=s)) for d in (a, b))
        se = math.hypot(
            *(float(d[relative_error].sel(scenario=s)) * v for d, v in ((a, x), (b, y)))
        )
        half = 1.959963984540054 * se
        diff = y - x
        out.append((str(s), Estimate(diff, se, diff - half, diff + half, 2, 0.95), False))
    return out
