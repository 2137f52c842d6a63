"""The ``reliability`` command."""

from __future__ import annotations

import functools
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from reliability.campaign import Campaign, CampaignError, load_campaign

__all__ = ["main"]


def _friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn expected errors into one line on stderr and exit status 2 (``--debug``: raise)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from reliability.results import SchemaError

        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except (CampaignError, SchemaError, FileNotFoundError, ValueError, OSError) as exc:
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="orbital-reliability", prog_name="reliability")
def main(debug: bool) -> None:
    """Monte Carlo reliability of AI compute clusters in orbit."""


def _summary_rows(ds: Any) -> list[tuple[str, str, str, str]]:
    import numpy as np

    from reliability.stats import mean_ci, proportion_ci

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
    for s in ds["scenario"].values:
        sel = ds.sel(scenario=s)
        for name, label in (
            ("availability", "availability"),
            ("mean_capacity", "mean capacity"),
            ("outages", "outages per mission"),
            ("downtime_h", "downtime (h)"),
            ("spares_used", "spares used"),
        ):
            e = mean_ci(sel[name].values.astype(float))
            rows.append((str(s), label, f"{e.value:.6g}", f"[{e.low:.6g}, {e.high:.6g}]"))
        ttff = sel["time_to_first_failure_h"].values
        no_fail = int(np.isnan(ttff).sum())  # NaN: no system failure in the mission
        p = proportion_ci(no_fail, ttff.size)
        rows.append(
            (str(s), "P(no system failure)", f"{p.value:.6g}", f"[{p.low:.6g}, {p.high:.6g}]")
        )
        workload = ds.attrs.get("workload")
        extra = []
        if workload == "serving":
            extra = [("throughput", "delivered / demand"), ("slo_attainment", "SLO attainment")]
        elif workload == "training":
            extra = [("throughput", "training throughput")]
            if np.isfinite(sel["job_completion_h"].values).any():
                extra.append(("job_completion_h", "job completion (h)"))
        for name, label in extra:
            x = sel[name].values.astype(float)
            if np.isnan(x).any():
                label += f" ({int(np.isnan(x).sum())} not done)"
                x = x[~np.isnan(x)]
            if x.size:
                e = mean_ci(x)
                rows.append((str(s), label, f"{e.value:.6g}", f"[{e.low:.6g}, {e.high:.6g}]"))
    return rows


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    rows = [header, *rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    out = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


@main.command()
@click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option(
    "--resume",
    "resume",
    type=click.Path(file_okay=False, path_type=Path),
    help="Continue the run in this directory: only missing blocks are computed.",
)
@click.option("--trials", type=click.IntRange(min=1), help="Override campaign.trials.")
@click.option("--seed", type=click.IntRange(min=0), help="Override campaign.seed.")
@click.option("--block-size", type=click.IntRange(min=1), help="Override campaign.block_size.")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Run directory (default outputs/<campaign>/<time>-<hash8>/).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    help="Workers of the embedded local Dask cluster (default: all cores; 0: run in this process).",
)
@click.option("--scheduler", help="Address of a running Dask scheduler.")
@click.option(
    "--scheduler-file",
    type=click.Path(dir_okay=False),
    help="Scheduler file written by `dask scheduler --scheduler-file`.",
)
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@_friendly
def run(
    campaign: Path | None,
    resume: Path | None,
    trials: int | None,
    seed: int | None,
    block_size: int | None,
    out: Path | None,
    workers: int | None,
    scheduler: str | None,
    scheduler_file: str | None,
    quiet: bool,
) -> None:
    """Run CAMPAIGN (or --resume RUN_DIR) and write result.nc to the run directory."""
    from reliability.runner import default_run_dir, run_campaign
    from reliability.store import resume_campaign

    if resume is not None:
        if (
            campaign is not None
            or out is not None
            or any(x is not None for x in (trials, seed, block_size))
        ):
            raise click.UsageError(
                "--resume takes the campaign and settings of the run "
                "directory; give no CAMPAIGN, --out, --trials, --seed "
                "or --block-size with it"
            )
        c = resume_campaign(resume)
        out_dir = resume
    elif campaign is None:
        raise click.UsageError("give a CAMPAIGN file, or --resume RUN_DIR")
    else:
        c = load_campaign(campaign).with_overrides(trials=trials, seed=seed, block_size=block_size)
        out_dir = out if out is not None else default_run_dir(c)
    command = "reliability " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    start = time.perf_counter()

    progress = _Progress(quiet=quiet)

    ds = run_campaign(
        c,
        out_dir=out_dir,
        scheduler=scheduler,
        scheduler_file=scheduler_file,
        n_workers=workers,
        command=command,
        on_block=progress,
        resume=resume is not None,
    )
    progress.close()
    if quiet:
        return
    samples = (
        f"{ds.sizes['trial']} trials"
        if "trial" in ds.sizes
        else f"{ds.sizes['cycle']} regenerative cycles (importance sampling)"
        if "cycle" in ds.sizes
        else f"{ds.sizes['replicate']} splitting replicates of {ds.attrs['effort']} per stage"
    )
    click.echo(
        f"campaign {c.name}: {samples}, seed {c.seed}, "
        f"config {c.config_sha256[:8]}, {time.perf_counter() - start:.1f} s"
    )
    click.echo(_table(_summary_rows(ds), ("scenario", "metric", "mean", "95% CI")))
    if "converged" in ds.attrs:
        state = "converged" if ds.attrs["converged"] else "NOT converged (max_trials reached)"
        click.echo(
            f"precision: {ds.attrs['precision_metric']} to "
            f"±{ds.attrs['precision_relative_target']:g} relative: {state} with "
            f"{ds.sizes['trial']} trials; half-widths {ds.attrs['relative_half_width']}"
        )
    click.echo(f"result: {out_dir / 'result.nc'}")


class _Progress:
    """Blocks done of total: a bar with elapsed and remaining time on a terminal,
    plain lines otherwise, nothing with --quiet."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.start = time.perf_counter()
        self.bar: Any = None
        self.shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self.quiet:
            return
        if self.tty:
            if self.bar is None:
                self.bar = click.progressbar(
                    length=total, label="blocks", file=sys.stderr, show_eta=True, show_pos=True
                )
                self.bar.__enter__()
            self.bar.update(done - self.shown)
            self.shown = done
        else:
            elapsed = time.perf_counter() - self.start
            left = elapsed / done * (total - done) if done else 0.0
            click.echo(
                f"block {done}/{total} done, {elapsed:.1f} s elapsed, ~{left:.0f} s left", err=True
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _describe(c: Campaign) -> list[str]:
    from reliability.system import time_edges

    lines = [
        f"campaign      {c.name}  (config {c.config_sha256[:8]})",
        (
            f"mission       {c.mission_h:g} h, warm-up {c.warmup_h:g} h, "
            f"grid {len(time_edges(c.mission_h, c.time_step_h)) - 1} cells of {c.time_step_h:g} h"
        ),
        f"trials        {c.trials} in blocks of {c.block_size}, seed {c.seed}",
        (
            f"semantics     units age while the system is down: "
            f"{'yes' if c.age_while_down else 'no'}"
        ),
        f"units         {c.n_units} slots",
        "tree (outermost first):",
    ]
    for lv in c.levels:
        extra = []
        if lv.unit:
            extra.append(f"units of type {lv.unit}")
        if lv.crews:
            extra.append(f"{lv.crews} crew(s) per group")
        if lv.spares:
            extra.append(
                f"{lv.spares.count} {lv.spares.kind} spares, swap {lv.spares.swap.describe()}"
            )
        lines.append(
            f"  {lv.name:<12} {lv.k}-of-{lv.n}" + (f"  ({'; '.join(extra)})" if extra else "")
        )
    for u in c.units:
        lines.append(f"unit {u.name}:")
        for m in u.failures:
            how = (
                f"repair {m.repair.describe()}{'' if m.crew else ' (no crew)'}"
                f"{', renews' if m.renew else ', resumes ageing'}"
                if m.repair
                else "replace (spare swap or servicing)"
            )
            rate = f", rate x profile {m.profile}" if m.profile else ""
            lines.append(f"  {m.name:<12} life {m.life.describe()}{rate}; {how}")
    lines += _describe_radiation(c)
    if c.servicing:
        s = c.servicing
        lines.append(
            f"servicing     every {s.every_h:g} h from {s.first_h:g} h, lasts "
            f"{s.duration_h:g} h, system {'down' if s.system_down else 'up'}, "
            f"{s.policy}, restock {'yes' if s.restock else 'no'}"
        )
    if c.resupply:
        lines.append(f"resupply      every {c.resupply.every_h:g} h ({c.resupply.cadence})")
    if c.sweep is not None:
        lines.append(f"sweep         {len(c.scenarios)} scenarios over " + ", ".join(c.sweep.paths))
        lines += [f"  scenario {i:<4} {sc.name}" for i, sc in enumerate(c.scenarios)]
    from reliability.limits import check_resources
    from reliability.runner import resolve_method

    method, _ = resolve_method(c)
    if method == "crude":
        lines.append(check_resources(c).describe())
        lines.append(_describe_engine(c))
    else:
        lines.append(_describe_rare(c, method))
    for e in c.expectations:
        at = "" if e.at_h is None else f"({e.at_h:g} h)"
        lines.append(f"expect        {e.metric}{at} = {e.exact:.10g}")
    return lines


def _describe_rare(c: Campaign, method: str) -> str:
    """The rare-event method a run will use, its effort and (splitting) its memory."""
    from reliability.campaign import RareEvent
    from reliability.splitting import levels, state_bytes
    from reliability.system import compile_plan

    rare = c.rare_event or RareEvent()
    if method == "importance":
        return (
            f"method        importance sampling (balanced failure biasing {rare.bias:g}): "
            f"{rare.cycles} regenerative cycles per scenario in blocks of {c.block_size}"
        )
    plans = [compile_plan(sc.campaign).arrays for sc in c.scenarios]
    depth = ", ".join(dict.fromkeys(str(levels(p)) for p in plans))
    memory = max(2 * rare.effort * state_bytes(p) for p in plans)
    return (
        f"method        fixed-effort splitting: {depth} levels, {rare.effort} trajectories "
        f"per stage, {rare.replicates} replicates per scenario; saved states about "
        f"{memory / 1024**2:.1f} MiB per stage on a worker"
    )


def _describe_engine(c: Campaign) -> str:
    """Which engine a crude run would use, and why."""
    from reliability.engine import counts_blocker
    from reliability.runner import resolve_engine
    from reliability.system import compile_plan

    plans = [compile_plan(sc.campaign) for sc in c.scenarios]
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
    from reliability.devices import DEVICES, MEMORIES

    names = dict.fromkeys(e.device for e in unit.radiation if e.device)
    out = [f"  device {d}: [{DEVICES[d][1]}] {DEVICES[d][2]}" for d in names]
    if unit.memory is not None and unit.memory.device:
        _, _, tag, source = MEMORIES[unit.memory.device]
        out.append(f"  memory {unit.memory.device}: [{tag}] {source}")
    return out


def _describe_radiation(c: Campaign) -> list[str]:
    """Derived fault rates per scenario and unit type: the physics check before launch."""
    from reliability.radiation import rate_table

    lines: list[str] = []
    scenarios = c.scenarios or ()
    designs = [(sc.name, sc.campaign) for sc in scenarios] if c.sweep else [("", c)]
    shown: dict[str, list] = {}
    for label, design in designs:
        env = design.environment
        units = [u for u in design.units if u.radiation or u.memory is not None]
        if env is not None and (not label or label == designs[0][0]):
            lines.append(
                f"environment   {env.orbit} ({env.altitude_km:g} km, {env.inclination_deg:g} deg, "
                f"orbit {env.orbit_period_h * 60:.1f} min), solar {env.solar}, "
                f"dose {env.dose_rad_per_y:g} rad/y, SAA {env.saa_fraction:.0%} of each orbit, "
                f"{env.spe_per_active_year:g} solar events per active year"
            )
        for u in units:
            rows = rate_table(u, env, design.mission_h)
            if shown.get(u.name) == rows:
                continue  # the sweep does not change this unit's physics
            shown[u.name] = rows
            head = f"radiation     {u.name}" + (f"  [scenario {label}]" if label else "")
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
    return lines


@main.command()
@click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path))
@_friendly
def validate(campaign: Path) -> None:
    """Check CAMPAIGN without simulating and print what it resolved to."""
    c = load_campaign(campaign)
    for line in _describe(c):
        click.echo(line)
    click.echo("ok")


@main.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Local Dask workers (0: run in this process).",
)
@click.option(
    "--z-max",
    type=click.FloatRange(min=0, min_open=True),
    default=4.0,
    show_default=True,
    help="Largest |z| that passes.",
)
@_friendly
def verify(files: tuple[Path, ...], workers: int, z_max: float) -> None:
    """Run the validation campaigns against their exact values (all when no FILES)."""
    from reliability.verify import format_table, run_verify

    start = time.perf_counter()

    def on_case(c: Campaign, seconds: float) -> None:
        click.echo(f"{c.case or c.name}: {c.trials} trials in {seconds:.1f} s", err=True)

    checks = run_verify(files or None, n_workers=workers, z_max=z_max, on_case=on_case)
    click.echo(format_table(checks))
    failed = [c for c in checks if not c.passed]
    click.echo(
        f"{len(checks) - len(failed)} passed, {len(failed)} failed "
        f"in {time.perf_counter() - start:.1f} s"
    )
    if failed or not checks:
        sys.exit(1)


@main.command()
@click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Write here.")
@click.option(
    "--target",
    type=click.FloatRange(0, 1),
    help="Override the campaign's target: P(metric >= TARGET) >= --confidence.",
)
@click.option("--confidence", type=click.FloatRange(0, 1, min_open=True), default=0.95)
@click.option(
    "--metric",
    type=click.Choice(["availability", "mean_capacity", "throughput", "slo_attainment"]),
    default="availability",
)
@_friendly
def report(
    run_dir: Path, out: Path | None, target: float | None, confidence: float, metric: str
) -> None:
    """Write report.md, report.html and figures/ for the run in RUN_DIR."""
    from reliability.campaign import Target
    from reliability.report import write_report

    goal = None
    if target is not None:
        goal = Target(metric=metric, at_least=target, confidence=confidence)
    path = write_report(run_dir, out_dir=out, target=goal)
    click.echo(f"report: {path}")


@main.command()
@click.argument("run_a", type=click.Path(file_okay=False, path_type=Path))
@click.argument("run_b", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--metric",
    type=click.Choice(
        [
            "availability",
            "mean_capacity",
            "throughput",
            "downtime_h",
            "outages",
            "unavailability",
            "failure_probability",
        ]
    ),
    default=None,
    help="[default: availability; unavailability for rare-event runs]",
)
@_friendly
def compare(run_a: Path, run_b: Path, metric: str | None) -> None:
    """Differences B - A per scenario (paired when the runs share their seeds)."""
    from reliability.decision import paired_differences
    from reliability.results import open_result

    a, b = open_result(run_a), open_result(run_b)
    if metric is None:
        metric = "availability" if a.attrs.get("method", "crude") == "crude" else "unavailability"
    diffs = paired_differences(a, b, metric)
    if not diffs:
        raise ValueError(f"{run_a} and {run_b} have no scenario in common")
    rows = [
        (s, f"{e.value:+.6g}", f"[{e.low:+.6g}, {e.high:+.6g}]", "paired" if p else "independent")
        for s, e, p in diffs
    ]
    click.echo(_table(rows, ("scenario", f"{metric} B - A", "95% CI", "samples")))


@main.command("show-versions")
def show_versions() -> None:
    """Print the versions of the libraries results depend on."""
    from reliability.results import library_versions

    for name, version in library_versions().items():
        click.echo(f"{name:<20} {version}")


if __name__ == "__main__":  # pragma: no cover
    main()
