"""The ``reliability`` command."""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import shlex
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from reliability.campaign import Campaign, CampaignError, load_campaign, tornado

__all__ = ["main"]


def _friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn expected errors into one line on stderr and exit status 2 (``--debug``: raise)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            from reliability.results import SchemaError  # after: `run` handles Ctrl-C first

            expected = (CampaignError, SchemaError, FileNotFoundError, ValueError, OSError)
            if not isinstance(exc, expected) or ctx.find_root().params.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="orbital-reliability", prog_name="reliability")
def main(debug: bool) -> None:
    """Monte Carlo reliability of AI compute clusters in orbit."""


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    rows = [header, *rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    out = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def _cluster_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--workers, --scheduler, --scheduler-file and --quiet: where blocks run."""
    for option in reversed(
        [
            click.option(
                "--workers",
                type=click.IntRange(min=0, max=4096),
                help="Workers of the embedded local Dask cluster "
                "(default: all cores; 0: run in this process).",
            ),
            click.option("--scheduler", help="Address of a running Dask scheduler."),
            click.option(
                "--scheduler-file",
                type=click.Path(dir_okay=False),
                help="Scheduler file written by `dask scheduler --scheduler-file`.",
            ),
            click.option("--quiet", is_flag=True, help="Print nothing but errors."),
        ]
    ):
        func = option(func)
    return func


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
    "--swings",
    is_flag=True,
    help="Run the campaign's [swings] (its baseline and each uncertain input moved on "
    "its own: a tornado) in place of its [sweep].",
)
@_cluster_options
@_friendly
def run(
    campaign: Path | None,
    resume: Path | None,
    trials: int | None,
    seed: int | None,
    block_size: int | None,
    out: Path | None,
    swings: bool,
    workers: int | None,
    scheduler: str | None,
    scheduler_file: str | None,
    quiet: bool,
) -> None:
    """Run CAMPAIGN (or --resume RUN_DIR) and write result.nc to the run directory."""
    progress = _Progress(quiet=quiet)
    out_dir: Path | None = None  # known once the campaign is read
    with _interruptible(progress, lambda: out_dir):
        from reliability.runner import ClusterLost, run_campaign
        from reliability.summary import summary_rows

        c, out_dir = _campaign_and_dir(
            campaign,
            resume,
            out,
            {"--trials": trials, "--seed": seed, "--block-size": block_size},
            "run",
            swings=swings,
        )
        command = "reliability " + " ".join(shlex.quote(a) for a in sys.argv[1:])
        start = time.perf_counter()
        try:
            ds = run_campaign(
                c,
                out_dir=out_dir,
                scheduler=scheduler,
                scheduler_file=scheduler_file,
                n_workers=workers,
                command=command,
                on_block=progress,
                resume=resume is not None,
                on_compile=progress.compiling,
            )
        except ClusterLost as exc:
            progress.close()
            raise ClusterLost(f"{exc}; {_kept(out_dir)}") from None
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
    click.echo(_table(summary_rows(ds), ("scenario", "metric", "mean", "95% CI")))
    if "converged" in ds.attrs:
        state = "converged" if ds.attrs["converged"] else "NOT converged (max_trials reached)"
        click.echo(
            f"precision: {ds.attrs['precision_metric']} to "
            f"±{ds.attrs['precision_relative_target']:g} relative: {state} with "
            f"{ds.sizes['trial']} trials; half-widths {ds.attrs['relative_half_width']}"
        )
    click.echo(f"result: {out_dir / 'result.nc'}")
    click.echo(f"next: reliability report {shlex.quote(str(out_dir))}")


@main.command()
@click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option(
    "--resume",
    "resume",
    type=click.Path(file_okay=False, path_type=Path),
    help="Continue the search in this directory: stored blocks are read back.",
)
@click.option("--seed", type=click.IntRange(min=0), help="Override campaign.seed.")
@click.option("--block-size", type=click.IntRange(min=1), help="Override campaign.block_size.")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Search directory (default outputs/<campaign>/<time>-<hash8>-optimize/).",
)
@_cluster_options
@_friendly
def optimize(
    campaign: Path | None,
    resume: Path | None,
    seed: int | None,
    block_size: int | None,
    out: Path | None,
    workers: int | None,
    scheduler: str | None,
    scheduler_file: str | None,
    quiet: bool,
) -> None:
    """Find the cheapest design of CAMPAIGN's [optimize] space that meets its target."""
    progress = _Progress(quiet=quiet)
    out_dir: Path | None = None
    with _interruptible(progress, lambda: out_dir, "optimize"):
        from reliability.runner.optimize import optimize_campaign
        from reliability.summary import search_evidence, search_rows

        c, out_dir = _campaign_and_dir(
            campaign, resume, out, {"--seed": seed, "--block-size": block_size}, "search"
        )
        command = "reliability " + " ".join(shlex.quote(a) for a in sys.argv[1:])
        start = time.perf_counter()

        def on_round(search: Any, names: list[str]) -> None:
            if quiet:
                return
            pick = search.pick
            click.echo(
                f"round {search.rounds}: {search.trials_run:,} trials; "
                + (f"best so far {names[pick]}" if pick is not None else "no design meets yet"),
                err=True,
            )

        ds = optimize_campaign(
            c,
            out_dir=out_dir,
            scheduler=scheduler,
            scheduler_file=scheduler_file,
            n_workers=workers,
            command=command,
            on_round=on_round,
            resume=resume is not None,
            on_compile=progress.compiling,
        )
    if quiet:
        return
    click.echo(
        f"campaign {c.name}: optimize over {ds.sizes['design']} designs, seed {c.seed}, "
        f"config {c.config_sha256[:8]}, {time.perf_counter() - start:.1f} s"
    )
    click.echo(
        _table(search_rows(ds), ("design", "cost", "trials", "P(meet)", "interval", "verdict"))
    )
    for line in search_evidence(ds):
        click.echo(line)
    click.echo(f"search: {out_dir / 'search.nc'}")


def _campaign_and_dir(
    campaign: Path | None,
    resume: Path | None,
    out: Path | None,
    overrides: dict[str, int | None],
    kind: str,
    *,
    swings: bool = False,
) -> tuple[Campaign, Path]:
    """The campaign and directory of a ``run`` or ``optimize`` (``kind``: "run" or
    "search"): the stored ones with --resume, else CAMPAIGN (its swings study with
    ``swings``) with the ``overrides`` (by option name) and --out or the default
    directory."""
    from reliability.runner import default_run_dir, resume_campaign

    if resume is not None:
        if (
            campaign is not None
            or out is not None
            or swings
            or any(v is not None for v in overrides.values())
        ):
            *first, last = ["--out", *(["--swings"] if kind == "run" else []), *overrides]
            raise click.UsageError(
                f"--resume takes the campaign and settings of the {kind} directory; give no "
                f"CAMPAIGN, {', '.join(first)} or {last} with it"
            )
        return resume_campaign(resume), resume
    if campaign is None:
        raise click.UsageError("give a CAMPAIGN file, or --resume RUN_DIR")
    names = {"--trials": "trials", "--seed": "seed", "--block-size": "block_size"}
    c = load_campaign(campaign)
    if swings:
        c = tornado(c)
    c = c.with_overrides(**{names[k]: v for k, v in overrides.items()})
    if out is not None:
        return c, out
    default = default_run_dir(c)
    if swings:
        default = default.with_name(f"{default.name}-swings")
    return c, default if kind == "run" else default.with_name(f"{default.name}-optimize")


@contextlib.contextmanager
def _interruptible(
    progress: _Progress, run_dir: Callable[[], Path | None], command: str = "run"
) -> Iterator[None]:
    """Ctrl-C inside: close the progress bar, say what is kept in ``run_dir()`` and how
    to go on, exit 130 (see :func:`_on_sigint`). The progress bar is closed before any
    error line, and the signal handling and logging are restored afterwards."""
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, _on_sigint) if main_thread else None
    interrupted = False
    try:
        yield
    except KeyboardInterrupt:
        interrupted = True
        progress.close()
        _interrupted(run_dir(), command)
    finally:
        progress.close()
        if main_thread and not interrupted:
            signal.signal(signal.SIGINT, previous)
            logging.disable(logging.NOTSET)  # _on_sigint silenced logging for the shutdown


def _on_sigint(signum: int, frame: Any) -> None:
    """Ctrl-C during a run: the cluster's shutdown that follows is expected, so its
    loggers are silenced before it starts; then the usual KeyboardInterrupt."""
    logging.disable(logging.CRITICAL)  # every logger of every level, for the rest of the run
    # further presses while the cluster closes (and at exit) would interrupt the
    # shutdown itself into a traceback: the first one is being acted on
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _kept(out_dir: Path | None, command: str = "run") -> str:
    """What a run that ended early kept, and how to go on."""
    if out_dir is not None and (out_dir / "manifest.json").is_file():
        return (
            f"the blocks finished so far (if any) are kept in {out_dir}; go on with: "
            f"reliability {command} --resume {shlex.quote(str(out_dir))}"
        )
    return "nothing was kept; run the command again"


def _interrupted(out_dir: Path | None, command: str = "run") -> None:
    """After Ctrl-C: one line saying what is kept and how to go on; exit status 130."""
    click.echo(f"\ninterrupted: {_kept(out_dir, command)}", err=True)
    sys.exit(130)


class _Progress:
    """Blocks done of total: a bar on a terminal, plain lines otherwise, nothing with
    --quiet.

    The first call comes once the kernel is compiled and the workers are up (with
    ``done`` the blocks read back by --resume): compilation is left out of the time
    left (see :meth:`eta`). No estimate is given until half as long again as the
    first block took has passed.
    """

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self.bar: Any = None
        self.shown = 0
        self.start: tuple[float, int] | None = None
        self.first: tuple[float, int] | None = None

    def compiling(self) -> None:
        if not self.quiet:
            click.echo(
                "compiling the engine (once per machine, 1-3 min on 2 cores; later runs "
                "and workers load it)...",
                err=True,
            )

    def eta(self, done: int, total: int) -> str:
        now = time.perf_counter()
        if done >= total:  # a precision target may still add blocks
            return "assembling the result"
        if self.start is None or self.first is None:
            return "estimating time left"
        (t0, d0), (t1, d1) = self.start, self.first
        if done <= d1 or now - t1 < 0.5 * (t1 - t0):
            return "estimating time left"
        # Two rates bracket the truth: from the start, start-up counts as work (too
        # slow); from the first block, the rest of the workers' first wave comes free
        # (too fast, by up to the number of workers early on). Their geometric mean
        # stays within a factor of 2 of the time left once a tenth of the blocks is done
        # (on the demo, 2026-11-30: 0.7-1.3x; the workers load the kernel before the
        # start, and release the GIL while they compute, so blocks arrive as they end).
        slow = (now - t0) / (done - d0)
        fast = (now - t1) / (done - d1)
        return f"~{_duration(math.sqrt(slow * fast) * (total - done))} left"

    def __call__(self, done: int, total: int) -> None:
        if self.start is None:
            self.start = (time.perf_counter(), done)
        elif self.first is None:
            self.first = (time.perf_counter(), done)
        if self.quiet:
            return
        if self.tty:
            if self.bar is None:
                self.bar = click.progressbar(
                    length=total,
                    label="blocks",
                    file=sys.stderr,
                    show_eta=False,
                    show_pos=True,
                    item_show_func=lambda text: text,
                )
                self.bar.__enter__()
            self.bar.length = total  # a precision target may add blocks
            self.bar.update(done - self.shown, self.eta(done, total))
            self.shown = done
        elif done > self.start[1]:
            elapsed = time.perf_counter() - self.start[0]
            click.echo(
                f"block {done}/{total} done, {elapsed:.1f} s computing, {self.eta(done, total)}",
                err=True,
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _duration(seconds: float) -> str:
    """``42 s``, ``3 min 5 s``, ``2 h 10 min``."""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60} min"


@main.command()
@click.argument("campaign", type=click.Path(dir_okay=False, path_type=Path))
@_friendly
def validate(campaign: Path) -> None:
    """Check CAMPAIGN without simulating and print what it resolved to."""
    from reliability.describe import describe

    c = load_campaign(campaign)
    for line in describe(c):
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
@click.argument("run_dir", type=click.Path(path_type=Path))
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
    """Write report.md, report.html and figures/ for the run (or search) in RUN_DIR."""
    from reliability.campaign import Target
    from reliability.report import write_report

    if run_dir.is_file():
        if run_dir.name not in ("result.nc", "search.nc"):
            raise click.BadParameter(
                f"{run_dir} is a file: give the run directory (the one holding result.nc)",
                param_hint="RUN_DIR",
            )
        run_dir = run_dir.parent  # the result printed by `reliability run`: its run
    if (run_dir / "search.nc").is_file() and not (run_dir / "result.nc").exists():
        from reliability.report_search import write_search_report

        if target is not None:
            raise click.UsageError("a search was judged by its campaign's target; give no --target")
        click.echo(f"report: {write_search_report(run_dir, out_dir=out)}")
        return
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
    n_a, n_b = a.sizes.get("trial"), b.sizes.get("trial")
    common = (
        "paired" if n_a == n_b else f"paired: the first {min(n_a, n_b)} trials of {n_a} / {n_b}"
    )
    rows = [
        (s, f"{e.value:+.6g}", e.interval("+.6g"), common if p else "independent")
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
