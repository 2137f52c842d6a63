"""The main numbers of a result, per scenario, as rows: what ``reliability run``
prints when it finishes and the report's summary table."""

from __future__ import annotations

import json

import numpy as np
import xarray as xr

from reliability.stats import Estimate, count_ci, mean_ci, nonnegative_ci, proportion_ci

__all__ = ["criticality_rows", "search_evidence", "search_rows", "summary_rows"]

#: causes listed per scenario in the criticality table (the rest are summed)
TOP_CAUSES = 8


def summary_rows(ds: xr.Dataset) -> list[tuple[str, str, str, str]]:
    """(scenario, metric, estimate, 95% interval) rows of a result: the main metrics
    of a crude run, or the estimates and diagnostics of a rare-event run."""
    rows = []
    if ds.attrs.get("method") == "importance":
        for s in ds["scenario"].values:
            sel = ds.sel(scenario=s)
            u = float(sel["unavailability"])
            ci = (
                f"[{float(sel['unavailability_low']):.4g}, {float(sel['unavailability_high']):.4g}]"
            )
            rows.append((str(s), "unavailability (IS)", f"{u:.4g}", ci))
            rows.append((str(s), "relative error", f"{float(sel['relative_error']):.3g}", ""))
            rows.append(
                (
                    str(s),
                    "ESS / largest weight share",
                    f"{float(sel['ess']):.0f}",
                    f"{float(sel['max_weight_share']):.2g}",
                )
            )
            rows.append(
                (str(s), "gamma", f"{float(sel['gamma']):.4g}", f"se {float(sel['gamma_se']):.2g}")
            )
        return rows
    if ds.attrs.get("method") == "splitting":
        for s in ds["scenario"].values:
            sel = ds.sel(scenario=s)
            for name, label in (
                ("failure_probability", "P(failure in mission) (splitting)"),
                ("unavailability", "unavailability (splitting)"),
            ):
                ci = f"[{float(sel[name + '_low']):.4g}, {float(sel[name + '_high']):.4g}]"
                rows.append((str(s), label, f"{float(sel[name]):.4g}", ci))
            rows.append(
                (
                    str(s),
                    "relative error P / U",
                    f"{float(sel['failure_probability_re']):.3g}",
                    f"{float(sel['relative_error']):.3g}",
                )
            )
            rows.append(
                (
                    str(s),
                    "ESS / largest replicate share",
                    f"{float(sel['ess']):.1f}",
                    f"{float(sel['max_weight_share']):.2g}",
                )
            )
        return rows
    # spares rows only where spares were used or wanted somewhere in the run
    spares = bool(ds["spares_used"].any() or ds["spare_stockouts"].any())
    # (variable, label with its unit, kind of interval: see _interval)
    metrics = [
        ("availability", "availability", "fraction"),
        ("mean_capacity", "mean capacity", "fraction"),
        ("outages", "outages per mission", "count"),
        ("downtime_h", "downtime (h per mission)", "duration"),
    ]
    if spares:
        metrics += [
            ("spares_used", "spares used per mission", "count"),
            ("spare_stockouts", "spare stock-outs per mission", "count"),
        ]
    if ds["group_spares_used"].any() or ds["group_spare_stockouts"].any():
        metrics += [
            ("group_spares_used", "spare satellites (groups) used per mission", "count"),
            (
                "group_spare_stockouts",
                "satellites (groups) that waited for a spare per mission",
                "count",
            ),
        ]
    # what limits capacity, next to the failures: slots down, unpowered, or stalled
    limits = [v for v in ("power_limited", "link_limited") if v in ds and ds[v].any()]
    if limits:
        metrics.append(
            ("lost_to_failures", "down: failed or in repair (share of slots)", "fraction")
        )
    if "power_limited" in limits:
        metrics.append(
            ("power_limited", "usable, not run: power or cooling (share of slots)", "fraction")
        )
    if "link_limited" in limits:
        metrics.append(
            ("link_limited", "run but stalled by the links (share of slots)", "fraction")
        )
    if "job_restarts" in ds and ds["job_restarts"].any():
        metrics.append(("job_restarts", "restarts from the first step per mission", "count"))
    if ds["launches"].any():  # groups (satellites) replaced or restocked by launches
        metrics += [
            ("launches", "launches per mission", "count"),
            ("launch_failures", "failed launches per mission", "count"),
        ]
    for s in ds["scenario"].values:
        sel = ds.sel(scenario=s)
        if limits:
            sel = sel.assign(
                lost_to_failures=1.0 - sel["mean_capacity"] - sum(sel[v] for v in limits)
            )
        for name, label, kind in metrics:
            e = _interval(sel[name].values.astype(float), kind)
            rows.append((str(s), label, f"{e.value:.6g}", e.interval()))
        ttff = sel["time_to_first_failure_h"].values
        no_fail = int(np.isnan(ttff).sum())  # NaN: no system failure in the mission
        p = proportion_ci(no_fail, ttff.size)
        rows.append(
            (str(s), "P(no system failure)", f"{p.value:.6g}", f"[{p.low:.6g}, {p.high:.6g}]")
        )
        workload = ds.attrs.get("workload")
        extra = []
        if workload == "serving":
            extra = [
                ("throughput", "delivered / demand", "fraction"),
                ("slo_attainment", "SLO attainment", "fraction"),
            ]
        elif workload == "training":
            extra = [("throughput", "training throughput", "fraction")]
            if np.isfinite(sel["job_completion_h"].values).any():
                extra.append(("job_completion_h", "job completion (h)", "duration"))
        for name, label, kind in extra:
            x = sel[name].values.astype(float)
            if np.isnan(x).any():
                label += f" ({int(np.isnan(x).sum())} not done)"
                x = x[~np.isnan(x)]
            if x.size:
                e = _interval(x, kind)
                rows.append((str(s), label, f"{e.value:.6g}", e.interval()))
    return rows


def _interval(x: np.ndarray, kind: str) -> Estimate:
    """The interval that respects the quantity: a count per mission gets a
    Poisson-rate interval, a duration one on the log scale (neither below zero), a
    fraction of time or demand a t interval kept inside [0, 1]."""
    if x.size < 2:  # one trial: no spread to go on, no interval (Estimate.interval)
        return mean_ci(x)
    if kind == "count":
        return count_ci(x)
    if kind == "duration":
        return nonnegative_ci(x)
    e = mean_ci(x)
    return Estimate(e.value, e.se, max(e.low, 0.0), min(e.high, 1.0), e.n, e.confidence_level)


def criticality_rows(ds: xr.Dataset) -> list[tuple[str, str, str, str, str, str]]:
    """(scenario, fault class, level, share of unplanned downtime, 95% interval, mean
    unplanned downtime started per mission) rows of a crude result, largest share
    first, at most :data:`TOP_CAUSES` per scenario (the others summed into one row);
    none for a scenario without unplanned downtime."""
    if "downtime_share" not in ds:
        return []
    rows = []
    levels = ds["fault_level"].values.astype(str)
    classes = ds["fault_class"].values.astype(str)
    for s in ds["scenario"].values:
        sel = ds.sel(scenario=s)
        share = sel["downtime_share"].values
        if not np.isfinite(share).any():
            continue
        hours = sel["outage_downtime_h"].mean("trial").values
        low, high = sel["downtime_share_low"].values, sel["downtime_share_high"].values
        order = [int(i) for i in np.argsort(-share) if share[i] > 0]
        rows.extend(
            (
                str(s),
                classes[i],
                levels[i],
                f"{share[i]:.1%}",
                f"[{low[i]:.1%}, {high[i]:.1%}]",
                f"{hours[i]:.4g}",
            )
            for i in order[:TOP_CAUSES]
        )
        rest = order[TOP_CAUSES:]
        if rest:
            rows.append(
                (
                    str(s),
                    f"({len(rest)} others)",
                    "",
                    f"{share[rest].sum():.1%}",
                    "",
                    f"{hours[rest].sum():.4g}",
                )
            )
    return rows


#: what each verdict of a search means, as a reader sees it
VERDICTS = {
    "meets": "meets",
    "fails": "fails",
    "implied": "fails (implied)",
    "undecided": "undecided",
    "open": "open",
    "not run": "not needed",
}


def search_rows(ds: xr.Dataset) -> list[tuple[str, str, str, str, str, str]]:
    """(design, cost, trials, P(meet), interval, verdict) rows of an ``optimize``
    search, cheapest first; designs never needed are left out."""
    order = np.lexsort((np.arange(ds.sizes["design"]), ds["cost"].values))
    pick = ds.attrs.get("pick", "")
    rows = []
    for i in order:
        sel = ds.isel(design=int(i))
        verdict = str(sel["verdict"].values)
        if verdict == "not run":
            continue
        name = str(sel["design"].values)
        shown = VERDICTS[verdict]
        if verdict == "implied":
            shown += f" by {sel['implied_by'].values}"
        if name == pick:
            shown += "  <- pick"
        n = int(sel["trials"])
        p = float(sel["p_meet"])
        rows.append(
            (
                name,
                f"{float(sel['cost']):g}",
                str(n) if n else "-",
                f"{p:.4f}" if n else "-",
                f"[{float(sel['p_meet_low']):.4f}, {float(sel['p_meet_high']):.4f}]" if n else "",
                shown,
            )
        )
    return rows


def search_evidence(ds: xr.Dataset) -> list[str]:
    """Sentences on how the pick of an ``optimize`` search was reached. The third is
    the pick itself (or that none meets); warnings come last, prefixed ``Warning:``."""
    a = ds.attrs
    looks = json.loads(a["looks_trials"])
    err = 100 * float(a["error"])
    out = [
        (
            f"Requirement: P({a['metric']} >= {a['at_least']:g}) >= {a['confidence']:g}. "
            f"Each design was looked at after {', '.join(map(str, looks))} trials; at each "
            f"look exact one-sided bounds of P(meet) at {100 * a['level_per_look']:.2f}% "
            f"each decided it: *meets* when the lower bound reaches the confidence, *fails* "
            f"when the upper bound is below it. Over all {len(looks)} looks (union bound) a "
            f"design that truly meets is judged to fail with probability at most {err:g}%, "
            f"and one that does not is judged to meet with probability at most {err:g}%."
        ),
        f"Designs were ranked by {a['rank_by']}, cheapest first, {a['width']} at a time; "
        + (
            f"knobs along which more never hurts ({', '.join(json.loads(a['monotone']))}) "
            "let a failing design rule out every design it dominates. "
            if json.loads(a["monotone"])
            else ""
        )
        + f"{a['trials_run']:,} trials in all, against {a['full_grid_trials']:,} for "
        f"every design of the space at {looks[-1]:,} trials "
        f"({a['trials_run'] / a['full_grid_trials']:.1%}).",
    ]
    pick = a.get("pick", "")
    if not pick:
        out.append("No design of the space was shown to meet the requirement.")
    else:
        sel = ds.sel(design=pick)
        order = np.lexsort((np.arange(ds.sizes["design"]), ds["cost"].values))
        names = ds["design"].values.astype(str)
        cheaper = names[order[: list(names[order]).index(pick)]]
        verdicts = {str(v): 0 for v in ("fails", "implied", "undecided")}
        for name in cheaper:
            v = str(ds["verdict"].sel(design=name).values)
            verdicts[v] = verdicts.get(v, 0) + 1
        parts = [
            f"{n} {label}"
            for label, n in (
                ("judged to fail", verdicts["fails"]),
                ("implied to fail", verdicts["implied"]),
                ("undecided", verdicts["undecided"]),
            )
            if n
        ]
        out.append(
            f"Pick: {pick} (cost {float(sel['cost']):g} {a['rank_by']}): "
            f"P(meet) = {float(sel['p_meet']):.4f}, bounds "
            f"[{float(sel['p_meet_low']):.4f}, {float(sel['p_meet_high']):.4f}] over "
            f"{int(sel['trials']):,} trials. Of the {len(cheaper)} designs ranked before it, "
            + (", ".join(parts) if parts else "none")
            + f". The pick is the cheapest unless one of those truly meets, at most "
            f"{err:g}% for each judged (or implied) to fail"
            + ("; the undecided ones are open questions." if verdicts["undecided"] else ".")
        )
        if "paired_against" in a:
            m = json.loads(a["paired_metric_difference"])
            p = json.loads(a["paired_p_meet_difference"])
            crn = (
                "the same trials (common random numbers)"
                if int(a.get("common_random_numbers", 1))
                else "independent trials (common random numbers are off)"
            )
            out.append(
                f"Against the strongest design ranked before it, {a['paired_against']}, on "
                f"{a['paired_trials']:,} of {crn}: {a['metric']} "
                f"{m[0]:+.4g} [{m[1]:+.4g}, {m[2]:+.4g}], P(meet) {p[0]:+.4f} "
                f"[{p[1]:+.4f}, {p[2]:+.4f}] (95%)."
            )
    out.extend(f"Warning: {w}" for w in json.loads(a.get("warnings", "[]")))
    return out
