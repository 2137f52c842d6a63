"""One-at-a-time swings of a result: each swung setting's paired change of a metric
from the baseline, for the report's tornado figure and its table."""

from __future__ import annotations

import json

import xarray as xr

from reliability.stats import Estimate, mean_ci

__all__ = ["swing_effects", "swing_table"]


def swing_effects(
    ds: xr.Dataset, metric: str = "availability"
) -> list[tuple[str, list[tuple[str, Estimate]]]]:
    """Per swung key path, the change of the mean ``metric`` from the baseline at each
    of its values (paired differences over the trials the scenarios share under
    common random numbers, with 95% CIs), the widest swing first.

    Raises ``ValueError`` for a result without swings (attribute ``swings``).
    """
    swings = json.loads(ds.attrs.get("swings", "[]"))
    if not swings:
        raise ValueError("the run has no [swings]: no tornado to draw")
    base = ds[metric].sel(scenario="baseline").values.astype(float)
    names = list(ds["scenario"].values.astype(str))
    effects = []
    for path, values in swings:
        leaf = path.rsplit(".", 1)[-1]
        points = []
        for v in values:
            label = str(v).lower() if isinstance(v, bool) else f"{v}"
            name = f"{leaf}={label}" if f"{leaf}={label}" in names else f"{path}={label}"
            points.append(
                (label, mean_ci(ds[metric].sel(scenario=name).values.astype(float) - base))
            )
        effects.append((path, points))
    return sorted(effects, key=lambda e: -_width(e[1]))


def _width(points: list[tuple[str, Estimate]]) -> float:
    values = [d.value for _, d in points]
    return max(values) - min(values)


def swing_table(ds: xr.Dataset, metric: str = "availability") -> str:
    """:func:`swing_effects` as a fixed-width table: the baseline's mean ``metric``,
    then per swung setting and value the paired change with its 95% CI ("" for a
    result without swings)."""
    if not ds.attrs.get("swings"):
        return ""
    base = mean_ci(ds[metric].sel(scenario="baseline").values.astype(float))
    rows = [("setting", "value", f"change of mean {metric}", "95% CI")]
    for path, points in swing_effects(ds, metric):
        for label, d in points:
            rows.append((path, label, f"{d.value:+.4g}", f"[{d.low:+.4g}, {d.high:+.4g}]"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [f"baseline {metric}: {base.value:.6g} {base.interval()}"]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)
