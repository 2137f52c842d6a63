"""The verification suite: campaigns whose exact answers are known.

Each file in ``campaigns/validation/`` carries a ``[verify]`` table with the exact
values (from closed forms or exactly solved Markov chains, see
``shared/reference/reliability.md`` section 6). A check passes when the Monte Carlo
estimate lies within ``z_max`` (default 4) standard errors of the exact value; the
95% confidence interval is reported with it.

Means of per-trial values use ``SE = s / sqrt(n)``; probabilities (mission
reliability, point availability) use the binomial ``SE = sqrt(p (1 - p) / n)`` at the
exact ``p`` (the test statistic under the hypothesis being checked), with a Wilson
interval for the report.
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

__all__ = ["Check", "evaluate", "format_table", "run_verify", "validation_dir"]


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
    note = exp.note
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
        x = sel[name].values.astype(float) / exp.scale
        if exp.metric == "mttf" and np.isnan(x).any():
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
        z = (
            (est.value - exp.exact) / est.se
            if est.se > 0
            else (0.0 if est.value == exp.exact else math.inf)
        )
    return Check(case, label, est, exp.exact, float(z), bool(abs(z) <= z_max), note)


def run_verify(
    paths: Iterable[str | Path] | None = None,
    *,
    n_workers: int = 0,
    z_max: float = 4.0,
    on_case: Callable[[Campaign, float], None] | None = None,
) -> list[Check]:
    """Run the validation campaigns and return every check."""
    files = sorted(paths) if paths is not None else sorted(validation_dir().glob("*.toml"))
    checks: list[Check] = []
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
        rows.append(
            (
                c.case,
                c.label,
                _fmt(c.estimate.value),
                ci,
                _fmt(c.exact),
                "nan" if not math.isfinite(c.z) else f"{c.z:+.2f}",
                "PASS" if c.passed else "FAIL",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
