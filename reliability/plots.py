"""Reliability figures from a result dataset, seaborn style.

Every function takes the dataset (and ``ax=`` where one axes is drawn) and returns
the Axes. They draw with matplotlib's object API only (no global pyplot state), so
they work headless and inside a report.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from reliability import plots  # doctest: +SKIP
>>> ax = plots.availability_ecdf(ds, target=0.999)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import seaborn as sns
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reliability.results import atomic_write
from reliability.stats import mean_ci, proportion_ci
from reliability.swings import swing_effects

__all__ = [
    "availability_ecdf",
    "capacity_fan",
    "downtime_by_cause",
    "downtime_criticality",
    "fault_counts",
    "point_availability",
    "reliability_curve",
    "requirement_curve",
    "save_figure",
    "throughput_distribution",
    "tornado",
    "trade_curve",
    "unavailability_ecdf",
]


#: deterministic output: fixed SVG ids, paths for text, one resolution
_RC = {
    "svg.hashsalt": "orbital-reliability",
    "svg.fonttype": "path",
    "figure.dpi": 100,
    "savefig.dpi": 100,
}


def save_figure(fig: Figure, path: Path, fmt: str) -> bytes:
    """Write ``fig`` to ``path`` as ``fmt`` (png or svg) atomically, byte-identical when
    drawn again (no software or date stamps); return the bytes written."""
    meta = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    with matplotlib.rc_context(_RC):
        atomic_write(path, lambda tmp: fig.savefig(tmp, format=fmt, metadata=meta))
    return path.read_bytes()


def _axes(ax: Axes | None, size: tuple[float, float] = (6.4, 4.0)) -> Axes:
    if ax is not None:
        return ax
    return Figure(figsize=size, layout="constrained").add_subplot()


def _long(ds: xr.Dataset, name: str) -> pd.DataFrame:
    da = ds[name]
    return pd.DataFrame(
        {
            "scenario": np.repeat(ds["scenario"].values.astype(str), ds.sizes["trial"]),
            name: da.transpose("scenario", "trial").values.ravel().astype(float),
        }
    )


def availability_ecdf(
    ds: xr.Dataset, *, metric: str = "availability", target: float | None = None, ax=None
) -> Axes:
    """ECDF of a per-trial metric per scenario, with the target line and the share of
    trials that miss it in the legend."""
    ax = _axes(ax)
    df = _long(ds, metric)
    if target is not None:
        miss = df.groupby("scenario", sort=False)[metric].apply(lambda x: (x < target).mean())
        df["scenario"] = df["scenario"].map(lambda s: f"{s} ({miss[s]:.1%} miss)")
    sns.ecdfplot(data=df, x=metric, hue="scenario", ax=ax)
    if target is not None:
        ax.axvline(target, color="0.2", linestyle="--", linewidth=1)
        ax.annotate(f"target {target:g}", (target, 0.02), rotation=90, fontsize=8, ha="right")
    ax.set_ylabel("share of trials")
    ax.set_title(f"{metric} per trial")
    return ax


def unavailability_ecdf(
    ds: xr.Dataset, *, metric: str = "availability", target: float | None = None, ax=None
) -> Axes:
    """ECDF of 1 - metric per trial on a log scale, where the 0.99-1 region of a
    fraction is visible: the target's shortfall line and, per scenario, the share of
    trials at exactly 0 (never down, which a log axis cannot show)."""
    ax = _axes(ax)
    df = _long(ds, metric)
    df["shortfall"] = 1.0 - df[metric]
    zero = df.groupby("scenario", sort=False)["shortfall"].apply(lambda x: (x <= 0).mean())
    df["scenario"] = df["scenario"].map(lambda s: f"{s} ({zero[s]:.0%} at 0)")
    shown = df[df["shortfall"] > 0]
    if shown.empty:
        ax.text(0.5, 0.5, "no trial fell short of 1", ha="center", transform=ax.transAxes)
    else:
        sns.ecdfplot(data=shown, x="shortfall", hue="scenario", ax=ax, log_scale=True)
    if target is not None and target < 1.0:
        ax.axvline(1.0 - target, color="0.2", linestyle="--", linewidth=1)
        ax.annotate(
            f"target: 1 - {target:g}", (1.0 - target, 0.02), rotation=90, fontsize=8, ha="right"
        )
    ax.set_xlabel(f"1 - {metric} per trial (log scale)")
    ax.set_ylabel("share of the trials above 0")
    ax.set_title(f"1 - {metric}: how far each trial falls short")
    return ax


def requirement_curve(ds: xr.Dataset, decision, *, path: str, ax=None) -> Axes:
    """P(metric >= target) with its 95% Wilson interval against a swept setting (or,
    with costs, against the cost that ranks), the required confidence as a line and
    the pick circled. ``decision``: a :class:`reliability.decision.Decision` with a
    target."""
    ax = _axes(ax)
    target = decision.target
    rows = {r.scenario: r for r in decision.rows}
    others = [p for p in swept_paths(ds) if p != path]
    by_cost = bool(decision.measures)
    groups: dict[str, list] = {}
    for s in ds["scenario"].values:
        sel = ds.sel(scenario=s)
        r = rows[str(s)]
        x = r.cost[decision.measures[0]] if by_cost else sel[path].item()
        label = ", ".join(f"{_readable(o)}={sel[o].item()}" for o in others) or "all"
        groups.setdefault(label, []).append((x, r))
    for label, points in groups.items():
        points.sort(key=lambda p: p[0])
        xs = np.array([p[0] for p in points], dtype=float)
        ps = np.array([p[1].p_meet.value for p in points])
        lo = np.array([p[1].p_meet.low for p in points])
        hi = np.array([p[1].p_meet.high for p in points])
        ax.errorbar(xs, ps, yerr=[ps - lo, hi - ps], marker="o", capsize=3, label=label)
        for x, r in points:
            pick = r.scenario == decision.recommended
            if pick:
                ax.plot([x], [r.p_meet.value], "o", ms=14, mfc="none", mec="0.1", mew=1.5)
            if by_cost or pick:  # on a cost axis the point says which design it is
                text = f"{r.scenario} (pick)" if pick else r.scenario
                ax.annotate(
                    text,
                    (x, r.p_meet.value),
                    xytext=(-6, 8),
                    textcoords="offset points",
                    fontsize=7,
                    ha="right",
                )
    ax.axhline(target.confidence, color="0.2", linestyle="--", linewidth=1)
    ax.annotate(
        f"required {target.confidence:g} (Wilson lower end)",
        (0.01, target.confidence),
        xycoords=("axes fraction", "data"),
        xytext=(0, 4),
        textcoords="offset points",
        fontsize=8,
    )
    if not by_cost and all(float(x).is_integer() for pts in groups.values() for x, _ in pts):
        ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel(f"cost ({decision.measures[0]})" if by_cost else _readable(path))
    ax.set_ylabel(f"P({decision.metric} >= {target.at_least:g}) (95% Wilson)")
    ax.set_ylim(-0.02, 1.02)
    if others:
        ax.legend(fontsize=8)
    ax.set_title("which designs meet the requirement")
    return ax


def _readable(path: str) -> str:
    """A swept key path as a label: ``cluster_gpu.spares.cold`` -> ``gpu spares cold``."""
    return path.removeprefix("cluster.").replace(".", " ").replace("_", " ")


def capacity_fan(
    ds: xr.Dataset, *, variable: str = "capacity", label: str | None = None, ax=None
) -> Axes:
    """Fan chart of a per-cell variable over mission time (capacity by default; the
    spare stock): median line, 25-75% and 5-95% bands, per scenario."""
    ax = _axes(ax)
    t = ds["time"].values / 8760.0
    palette = sns.color_palette(n_colors=ds.sizes["scenario"])
    for color, s in zip(palette, ds["scenario"].values, strict=True):
        x = ds[variable].sel(scenario=s).values.astype(float)
        q = np.quantile(x, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
        ax.fill_between(t, q[0], q[4], color=color, alpha=0.15, linewidth=0)
        ax.fill_between(t, q[1], q[3], color=color, alpha=0.3, linewidth=0)
        ax.plot(t, q[2], color=color, label=str(s))
    ax.set_xlabel("mission time (years)")
    ax.set_ylabel(f"{label or variable} (5/25/50/75/95 %)")
    ax.legend(fontsize=8)
    ax.set_title(f"{label or variable} over the mission")
    return ax


def _wilson(k: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The 95% Wilson interval (:func:`~reliability.stats.proportion_ci`) of each of
    ``k`` successes in ``n``."""
    cis = [proportion_ci(int(x), n) for x in k]
    return np.array([c.low for c in cis]), np.array([c.high for c in cis])


def point_availability(ds: xr.Dataset, *, ax=None) -> Axes:
    """Share of trials whose system is up at each cell end (the point availability),
    with its 95% Wilson band, per scenario."""
    ax = _axes(ax)
    t = ds["time"].values / 8760.0
    n = ds.sizes["trial"]
    palette = sns.color_palette(n_colors=ds.sizes["scenario"])
    for color, s in zip(palette, ds["scenario"].values, strict=True):
        up = ds["system_up"].sel(scenario=s).values.sum(axis=0)
        lo, hi = _wilson(up, n)
        ax.fill_between(t, lo, hi, color=color, alpha=0.25, linewidth=0, step="pre")
        ax.step(t, up / n, where="pre", color=color, label=str(s))
    ax.set_xlabel("mission time (years)")
    ax.set_ylabel("P(system up) at the cell end (95% Wilson)")
    ax.legend(fontsize=8)
    ax.set_title("availability over the mission")
    return ax


def reliability_curve(ds: xr.Dataset, *, ax=None) -> Axes:
    """R(t): the share of trials with no unplanned system failure by t (the empirical
    survival of the time to first failure), with its 95% Wilson band, per scenario."""
    ax = _axes(ax)
    n = ds.sizes["trial"]
    t_h = np.concatenate([[float(ds.attrs.get("warmup_h", 0.0))], ds["time"].values])
    palette = sns.color_palette(n_colors=ds.sizes["scenario"])
    for color, s in zip(palette, ds["scenario"].values, strict=True):
        ttff = ds["time_to_first_failure_h"].sel(scenario=s).values.astype(float)
        ok = np.array([(np.isnan(ttff) | (ttff > x)).sum() for x in t_h])
        lo, hi = _wilson(ok, n)
        ax.fill_between(t_h / 8760.0, lo, hi, color=color, alpha=0.25, linewidth=0)
        ax.plot(t_h / 8760.0, ok / n, color=color, label=str(s))
    ax.set_xlabel("mission time (years)")
    ax.set_ylabel("R(t): P(no system failure by t) (95% Wilson)")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(fontsize=8)
    ax.set_title("reliability: time to the first system failure")
    return ax


def throughput_distribution(ds: xr.Dataset, *, ax=None) -> Axes:
    """Distribution of throughput per trial, per scenario: 5-95% whiskers, 25-75% box
    and the median (drawn directly: seaborn's boxplot passes matplotlib a deprecated
    argument)."""
    ax = _axes(ax)
    names = [str(s) for s in ds["scenario"].values]
    colours = sns.color_palette(n_colors=len(names))
    for i, s in enumerate(names):
        x = ds["throughput"].sel(scenario=s).values.astype(float)
        x = x[~np.isnan(x)]
        if not x.size:
            continue
        q = np.quantile(x, [0.05, 0.25, 0.5, 0.75, 0.95])
        ax.plot([q[0], q[4]], [i, i], color=colours[i], linewidth=1.2)
        ax.plot(
            [q[1], q[3]], [i, i], color=colours[i], linewidth=9, alpha=0.55, solid_capstyle="butt"
        )
        ax.plot([q[2]], [i], "|", color="0.1", markersize=14, markeredgewidth=2)
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlabel("throughput per trial (delivered / demand)")
    ax.set_title("throughput per trial: 5-95% whiskers, 25-75% box, median")
    return ax


def _by_class(ds: xr.Dataset, name: str) -> pd.DataFrame:
    mean = ds[name].mean("trial")
    return pd.DataFrame(
        {
            "scenario": np.repeat(ds["scenario"].values.astype(str), ds.sizes["fault_class"]),
            "fault_class": np.tile(ds["fault_class"].values.astype(str), ds.sizes["scenario"]),
            name: mean.transpose("scenario", "fault_class").values.ravel().astype(float),
        }
    )


def fault_counts(ds: xr.Dataset, *, ax=None) -> Axes:
    """Mean faults per mission by class and scenario (log scale)."""
    ax = _axes(ax)
    df = _by_class(ds, "fault_count")
    df = df[df["fault_count"] > 0]
    sns.barplot(data=df, x="fault_count", y="fault_class", hue="scenario", ax=ax)
    ax.set_xscale("log")
    ax.set_xlabel("mean faults per mission (all units)")
    ax.set_title("faults by class")
    return ax


def downtime_by_cause(ds: xr.Dataset, *, ax=None) -> Axes:
    """Mean unplanned system downtime per mission by the class that started each outage,
    with servicing (planned) downtime as its own cause."""
    ax = _axes(ax)
    df = _by_class(ds, "outage_downtime_h").rename(columns={"fault_class": "cause"})
    planned = pd.DataFrame(
        {
            "scenario": ds["scenario"].values.astype(str),
            "cause": "servicing (planned)",
            "outage_downtime_h": ds["planned_downtime_h"].mean("trial").values,
        }
    )
    df = pd.concat([df, planned], ignore_index=True)
    sns.barplot(data=df, x="outage_downtime_h", y="cause", hue="scenario", ax=ax)
    ax.set_xlabel("mean system downtime per mission (h)")
    ax.set_title("downtime by cause")
    return ax


def downtime_criticality(ds: xr.Dataset, *, ax=None) -> Axes:
    """Each fault class's share of the unplanned system downtime (the downtime
    criticality index) with its 95% CI, per scenario; classes that never started an
    outage are left out."""
    ax = _axes(ax)
    share = ds["downtime_share"].transpose("scenario", "fault_class").values
    keep = np.nan_to_num(share).max(axis=0) > 0
    classes = ds["fault_class"].values.astype(str)[keep]
    levels = ds["fault_level"].values.astype(str)[keep]
    labels = [f"{c} ({lv})" if lv else c for c, lv in zip(classes, levels, strict=True)]
    n_s = ds.sizes["scenario"]
    height = 0.8 / max(n_s, 1)
    palette = sns.color_palette(n_colors=n_s)
    y = np.arange(len(classes))
    for j, s in enumerate(ds["scenario"].values):
        sel = ds.sel(scenario=s)
        v = sel["downtime_share"].values[keep]
        lo = sel["downtime_share_low"].values[keep]
        hi = sel["downtime_share_high"].values[keep]
        ax.barh(
            y + (j - (n_s - 1) / 2) * height,
            np.nan_to_num(v),
            height,
            color=palette[j],
            label=str(s),
            xerr=[np.nan_to_num(v - lo), np.nan_to_num(hi - v)],
            error_kw={"capsize": 2, "elinewidth": 0.8},
        )
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0.0, 1.0)
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0%}")
    ax.set_xlabel("share of unplanned system downtime (95% CI)")
    if n_s > 1:
        ax.legend(fontsize=8)
    ax.set_title("what drives downtime (criticality by fault class and level)")
    return ax


def swept_paths(ds: xr.Dataset) -> list[str]:
    """The coordinates of ``ds`` that hold swept settings, in campaign order."""
    import json

    paths = json.loads(ds.attrs.get("sweep", "[]"))
    return [p.replace("[", "_").replace("]", "") for p in paths]


def trade_curve(ds: xr.Dataset, *, metric: str = "availability", path: str | None = None, ax=None):
    """The mean metric with its 95% CI against a swept setting (the first by default);
    other swept settings become the hue."""
    ax = _axes(ax)
    paths = swept_paths(ds)
    if not paths:
        raise ValueError("the run has no sweep: no trade curve to draw")
    x_name = path or paths[0]
    others = [p for p in paths if p != x_name]
    rows = []
    for s in ds["scenario"].values:
        sel = ds.sel(scenario=s)
        est = mean_ci(sel[metric].values.astype(float))
        rows.append(
            {
                x_name: sel[x_name].item(),
                "group": ", ".join(f"{o}={sel[o].item()}" for o in others) or "all",
                "mean": est.value,
                "low": est.low,
                "high": est.high,
            }
        )
    df = pd.DataFrame(rows)
    for group, part in df.groupby("group", sort=False):
        xs = np.arange(len(part)) if part[x_name].dtype == object else part[x_name].values
        ax.errorbar(
            xs,
            part["mean"],
            yerr=[part["mean"] - part["low"], part["high"] - part["mean"]],
            marker="o",
            capsize=3,
            label=group,
        )
        if part[x_name].dtype == object:
            ax.set_xticks(xs, part[x_name].astype(str))
    ax.set_xlabel(x_name)
    ax.set_ylabel(f"mean {metric} (95% CI)")
    if others:
        ax.legend(fontsize=8)
    ax.set_title(f"{metric} against {x_name}")
    return ax


def tornado(ds: xr.Dataset, *, metric: str = "availability", ax=None) -> Axes:
    """One-at-a-time sensitivity: for each swung setting, the change of the mean metric
    from the baseline at each of its values (paired differences under common random
    numbers, with 95% CIs), widest swing on top."""
    ax = _axes(ax)
    bars = []
    for path, points in swing_effects(ds, metric):
        bars.append(
            (path, points, min(d.value for _, d in points), max(d.value for _, d in points))
        )
    bars.reverse()  # widest on top
    for y, (_path, points, lo, hi) in enumerate(bars):
        ax.barh(y, hi - lo, left=lo, color="0.8", edgecolor="0.3")
        for label, d in points:
            ax.errorbar(
                d.value,
                y,
                xerr=[[d.value - d.low], [d.high - d.value]],
                fmt="o",
                color="0.1",
                capsize=3,
            )
            ax.annotate(label, (d.value, y + 0.25), ha="center", fontsize=8)
    ax.set_yticks(range(len(bars)), [b[0] for b in bars])
    ax.axvline(0.0, color="0.2", linewidth=1)
    ax.set_xlabel(f"change of mean {metric} from the baseline (paired, 95% CI)")
    ax.set_title(f"sensitivity of {metric}")
    return ax


#: colour of each verdict of a search (designs ruled out by a failing one: "implied")
_VERDICT_COLOURS = {
    "meets": "tab:green",
    "fails": "tab:red",
    "implied": "lightcoral",
    "undecided": "tab:orange",
    "open": "tab:gray",
}


def search_trade(ds: xr.Dataset, *, ax=None) -> Axes:
    """The designs a search ran: P(meet) with its one-sided bounds (at the per-look
    level) against the ranking cost, coloured by verdict, the required confidence as a
    line and the pick circled; designs implied to fail without a run are crosses at 0.
    ``ds``: the record of ``reliability optimize``."""
    ax = _axes(ax)
    run = ds["trials"].values > 0
    cost = ds["cost"].values
    p, lo, hi = (ds[v].values for v in ("p_meet", "p_meet_low", "p_meet_high"))
    verdict = ds["verdict"].values.astype(str)
    for v, colour in _VERDICT_COLOURS.items():
        m = run & (verdict == v)
        if m.any():
            ax.errorbar(
                cost[m],
                p[m],
                yerr=[p[m] - lo[m], hi[m] - p[m]],
                fmt="o",
                color=colour,
                capsize=3,
                label=f"{v} ({int(m.sum())})",
            )
    implied = (verdict == "implied") & ~run
    if implied.any():
        ax.plot(
            cost[implied],
            np.zeros(implied.sum()),
            "x",
            color="tab:red",
            alpha=0.6,
            label=f"implied, not run ({int(implied.sum())})",
        )
    pick = ds.attrs.get("pick", "")
    if pick:
        i = list(ds["design"].values.astype(str)).index(pick)
        ax.plot([cost[i]], [p[i]], "o", ms=14, mfc="none", mec="0.1", mew=1.5)
        ax.annotate(
            f"{pick} (pick)",
            (cost[i], p[i]),
            xytext=(-6, 8),
            textcoords="offset points",
            fontsize=8,
            ha="right",
        )
    conf = float(ds.attrs["confidence"])
    ax.axhline(conf, color="0.2", linestyle="--", linewidth=1)
    ax.annotate(
        f"required {conf:g}",
        (0.01, conf),
        xycoords=("axes fraction", "data"),
        xytext=(0, 4),
        textcoords="offset points",
        fontsize=8,
    )
    level = 100 * float(ds.attrs["level_per_look"])
    ax.set_xlabel(f"cost ({ds.attrs['rank_by']})")
    ax.set_ylabel(
        f"P({ds.attrs['metric']} >= {float(ds.attrs['at_least']):g}), "
        f"one-sided bounds at {level:.2f}%"
    )
    ax.set_ylim(-0.04, 1.04)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title("designs the search ran, cheapest on the left")
    return ax
