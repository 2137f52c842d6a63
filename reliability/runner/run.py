"""Running a campaign, by any method, to its result dataset.

The method (crude Monte Carlo, importance sampling or splitting) and, for crude
runs, the engine are resolved from the campaign; every method runs its blocks
through the same :class:`~reliability.runner.blocks.BlockRun` (seeds, part files,
resume, progress) on the same :class:`~reliability.runner.executor.Executor`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from reliability.campaign import CampaignError, RareEvent
from reliability.engine import (
    BlockResult,
    PlanArrays,
    counts_blocker,
    kernel_cached,
    levels,
    simulate,
)
from reliability.engine.spec import OUTPUTS
from reliability.limits import check_events, check_resources, event_budget
from reliability.rare import markov_design, simulate_cycles, summarise
from reliability.results import assemble, rare_dataset, split_dataset, write_result
from reliability.runner.blocks import BlockRun, block_sizes, open_store
from reliability.runner.executor import Executor
from reliability.runner.store import RunStore
from reliability.splitting import split_replicate, summarise_split
from reliability.stats import mean_ci
from reliability.system import (
    SystemPlan,
    compile_plan,
    eclipse_hours,
    link_cells,
    power_ceiling,
    temperature_cells,
)

if TYPE_CHECKING:
    import xarray as xr
    from distributed import Client

    from reliability.campaign import Campaign

__all__ = ["resolve_engine", "resolve_method", "run_campaign", "simulate_block"]

_PART_DIMS = {"trial": (), "mode": ("failure_mode",), "cell": ("time",)}


def simulate_block(
    arrays: PlanArrays, seed: np.random.SeedSequence, n_trials: int, engine: str = "units"
) -> BlockResult:
    """Simulate one block of a scenario: the unit of work sent to a Dask worker."""
    return simulate(arrays, np.random.default_rng(seed), n_trials, engine=engine)


def resolve_engine(campaign: Campaign, plans: list[SystemPlan]) -> str:
    """The engine a campaign runs on: ``campaign.engine``, with ``"auto"`` resolved.

    ``"auto"`` picks the counts engine (identical exponential units as counts, exact
    and several times faster) when every scenario allows it, unless the campaign
    compares scenarios under common random numbers: those pair up best when every
    random number belongs to a unit slot, which only the per-unit engine offers.

    Raises
    ------
    CampaignError
        ``engine = "counts"`` for a scenario it cannot run exactly.
    """
    blockers = [counts_blocker(p.arrays, p.mode_labels) for p in plans]
    if campaign.engine == "counts":
        for sc, why in zip(campaign.scenarios, blockers, strict=True):
            if why is not None:
                raise CampaignError(
                    f"the counts engine cannot run this campaign exactly: {why}"
                    + (f" (scenario {sc.name})" if len(plans) > 1 else ""),
                    source=campaign.source,
                    path="campaign.engine",
                    value=campaign.engine,
                )
        return "counts"
    if campaign.engine == "units":
        return "units"
    paired = len(plans) > 1 and campaign.common_random_numbers
    return "counts" if not paired and all(w is None for w in blockers) else "units"


def resolve_method(campaign: Campaign) -> tuple[str, list]:
    """What a run of ``campaign`` does: ``("crude", [])``, ``("importance", designs)``
    with the Markov design of each scenario, or ``("splitting", [])``. ``auto`` is
    importance sampling when every scenario is Markovian, else splitting.

    Raises
    ------
    CampaignError
        ``method = "importance"`` for a scenario that is not Markovian.
    """
    if campaign.method in ("crude", "splitting"):
        return _splittable(campaign, campaign.method), []
    designs = []
    for sc in campaign.scenarios:
        design, reason = markov_design(sc.design)
        if design is None:
            if campaign.method == "auto":
                return _splittable(campaign, "splitting"), []
            raise CampaignError(
                f"importance sampling needs a Markovian design: {reason}"
                + (f" (scenario {sc.name})" if len(campaign.scenarios) > 1 else ""),
                source=campaign.source,
                path="campaign.method",
                value=campaign.method,
            )
        designs.append(design)
    return "importance", designs


def _splittable(campaign: Campaign, method: str) -> str:
    """``method``, unless it is splitting and a scenario has platforms (splitting's
    importance function counts unit failures, and a platform downs a group at once)
    or lots (a clone redraws its residual lives from the prior, so it would forget
    what the history showed about a lot's shared factor)."""
    if method != "splitting":
        return method
    why = ""
    if any(sc.design.platforms for sc in campaign.scenarios):
        why = (
            "a design with platforms (group-level failures): its importance function "
            "counts unit failures"
        )
    elif any(e.lot_sigma for sc in campaign.scenarios for e in sc.design.leaf_unit.radiation):
        why = (
            "total-dose thresholds shared by a lot (lot_sigma): a clone would redraw the "
            "lot's factor and forget what the trajectory showed of it"
        )
    if why:
        raise CampaignError(
            f'splitting cannot estimate {why}; use method = "crude"',
            source=campaign.source,
            path="campaign.method",
            value=campaign.method,
        )
    return method


def run_campaign(
    campaign: Campaign,
    *,
    out_dir: str | Path | None = None,
    client: Client | None = None,
    scheduler: str | None = None,
    scheduler_file: str | None = None,
    n_workers: int | None = None,
    command: str = "",
    on_block: Callable[[int, int], None] | None = None,
    resume: bool = False,
    on_compile: Callable[[], None] | None = None,
) -> xr.Dataset:
    """Run a campaign and return its result dataset.

    Parameters
    ----------
    campaign : Campaign
        A validated campaign (see :func:`reliability.load_campaign`).
    out_dir : path, optional
        Run directory; ``result.nc`` is written there atomically. Nothing is written
        when omitted.
    client : distributed.Client, optional
        Use this Dask client.
    scheduler, scheduler_file : str, optional
        Connect to an existing Dask scheduler.
    n_workers : int, optional
        Workers of the embedded ``LocalCluster`` (default: the machine's cores);
        ``0`` runs in this process without Dask.
    command : str, optional
        The command line, recorded in the ``history`` attribute.
    on_block : callable, optional
        Called as ``on_block(done, total)`` after each finished block.
    resume : bool, optional
        Continue the run in ``out_dir``: blocks already stored there are read back
        (after checking they belong to this configuration), only the others run.
    on_compile : callable, optional
        Called as ``on_compile()`` before the kernel is compiled, when this machine
        has no compiled copy yet (the first run after an install or an upgrade).

    Returns
    -------
    xarray.Dataset
        The result, following :data:`reliability.results.SCHEMA` (crude runs),
        :data:`~reliability.results.RARE_SCHEMA` (importance sampling) or
        :data:`~reliability.results.SPLIT_SCHEMA` (splitting).
    """
    method, markov = resolve_method(campaign)
    plans = [] if method == "importance" else [compile_plan(d) for d in campaign.designs]
    if method == "crude":
        # refuse what would not fit, before launching (the workers share the machine)
        check_resources(campaign, plans, workers=n_workers or None)
    elif method == "splitting":
        check_events(campaign, plans)
    # the kernel stops a trial past the budget, should the estimate have been wrong
    budget = event_budget()
    plans = [replace(p, arrays=p.arrays._replace(max_events=budget)) for p in plans]
    markov = [replace(d, max_events=budget) for d in markov]
    with Executor(client, scheduler, scheduler_file, n_workers) as executor:
        executor.reach()  # a given scheduler answers (or the run ends) before anything is written
        store = open_store(campaign, out_dir, resume)
        try:
            # the workers load the kernel before the clock of the progress starts
            executor.warm = _warm_up(campaign, method, plans, markov, on_compile)
            if method == "importance":
                ds = _importance(campaign, markov, executor, store, command, on_block)
            elif method == "splitting":
                ds = _splitting(campaign, plans, executor, store, command, on_block)
            else:
                ds = _crude(campaign, plans, executor, store, command, on_block)
            if campaign.swings is not None and campaign.sweep is None:  # the swings study
                sw = campaign.swings
                ds.attrs["swings"] = json.dumps(
                    [[p, list(v)] for p, v in zip(sw.paths, sw.values, strict=True)]
                )
            if out_dir is not None:
                write_result(ds, Path(out_dir) / "result.nc")
        finally:
            if store is not None:
                store.close()
    return ds


def _warm_up(
    campaign: Campaign,
    method: str,
    plans: list[SystemPlan],
    markov: list,
    on_compile: Callable[[], None] | None,
) -> Callable[[], None]:
    """Compile the kernel the method runs, here and now, before any worker starts;
    return the call that loads it, for the workers.

    Numba caches machine code on disk; a worker process finding it there loads it in
    about a second. Workers that started together with no cached copy would each
    compile the kernel (minutes of CPU and over a GiB each). One tiny run here puts
    it on disk first, through the very calls (and so the very signatures) the blocks
    make. Workers on other machines compile their own.
    """
    if on_compile is not None and not kernel_cached(method):
        on_compile()
    if method == "importance":
        rare = campaign.rare_event or RareEvent()
        # crude_share 0 runs the fewest cycles the method allows (a cycle of a design
        # that never returns to all-up takes its whole event budget)
        load = partial(simulate_cycles, markov[0], 0, 0, rare.bias, 0.0)
    elif method == "splitting":
        load = partial(split_replicate, plans[0].arrays, 0, 2)
    else:
        # no trial: a call compiles for its argument types, and a trial of a design
        # that takes its whole event budget would hold the driver for seconds
        load = partial(simulate, plans[0].arrays, 0, 0, engine=resolve_engine(campaign, plans))
    load()
    return partial(_discard, load)


def _discard(call: Callable[[], Any]) -> None:
    """Run ``call`` for its side effect (a worker loading the kernel), returning nothing
    to send back."""
    call()


# ----------------------------------------------------------------------------- crude


def crude_parts(
    plans: list[SystemPlan], trials_of: Callable[[int], int]
) -> tuple[
    Callable[[RunStore, int, int], BlockResult | None],
    Callable[[RunStore, int, int, BlockResult], None],
]:
    """How a crude block is read back from its part file and stored: the ``load`` and
    ``save`` of a :class:`BlockRun` (block ``b`` has ``trials_of(b)`` trials)."""

    def load(st: RunStore, s: int, b: int) -> BlockResult | None:
        a = plans[s].arrays
        part = st.load(
            s,
            b,
            (o.name for o in OUTPUTS),
            {"trial": trials_of(b), "failure_mode": a.n_modes, "time": a.n_cells},
        )
        return None if part is None else BlockResult(part)

    def save(st: RunStore, s: int, b: int, result: BlockResult) -> None:
        st.save(s, b, {o.name: (("trial", *_PART_DIMS[o.per]), result[o.name]) for o in OUTPUTS})

    return load, save


def _crude(
    campaign: Campaign,
    plans: list[SystemPlan],
    executor: Executor,
    store: RunStore | None,
    command: str,
    on_block: Callable[[int, int], None] | None,
) -> xr.Dataset:
    """Crude Monte Carlo: blocks of trials of every scenario, or, with a precision
    target, more blocks (x1.5 at a time) until every scenario's interval is narrow
    enough."""
    engine = resolve_engine(campaign, plans)
    bs = campaign.block_size
    precision = campaign.precision
    if precision is None:
        sizes = block_sizes(campaign.trials, bs)
        max_blocks = len(sizes)
    else:  # full blocks only, so that a longer run extends a shorter one
        sizes = [bs] * math.ceil(precision.min_trials / bs)
        max_blocks = max(len(sizes), precision.max_trials // bs)

    load, save = crude_parts(plans, lambda b: sizes[b])
    blocks = BlockRun(
        campaign,
        executor,
        store,
        load=load,
        save=save,
        make=lambda s, b, shared: (
            simulate_block,
            (shared[s], blocks.seed(s, b), sizes[b], engine),
        ),
        tag="block",
        on_block=on_block,
    )
    shared = [p.arrays for p in plans]
    convergence = None
    while True:
        per_scenario = blocks.run(len(plans), len(sizes), shared)
        if precision is None:
            break
        convergence = _relative_half_widths(per_scenario, precision.metric)
        if max(convergence) <= precision.relative or len(sizes) >= max_blocks:
            break
        sizes = [bs] * min(max_blocks, math.ceil(len(sizes) * 1.5))
    scenarios = campaign.scenarios
    sweep_coords = None
    if campaign.sweep is not None:
        sweep_coords = {
            path: [dict(sc.settings)[path] for sc in scenarios] for path in campaign.sweep.paths
        }
    ds = assemble(
        campaign,
        [sc.name for sc in scenarios],
        per_scenario,
        plans[0].edges,
        [tuple(zip(p.mode_classes, p.mode_sources, strict=True)) for p in plans],
        block_size=bs,
        sweep_coords=sweep_coords,
        command=command,
    )
    ds.attrs["engine"] = engine
    _time_structure(ds, [sc.design for sc in scenarios], plans)
    workload = campaign.base.workload
    if workload is not None:
        ds.attrs["workload"] = workload.kind
        if workload.kind == "training":
            ds = ds.assign_coords(
                checkpoint_interval_h=(
                    "scenario",
                    np.array([p.checkpoint_h for p in plans]),
                    {
                        "units": "h",
                        "long_name": f"compute between checkpoints ({workload.checkpoint})",
                    },
                )
            )
    if precision is not None and convergence is not None:
        ds.attrs.update(
            {
                "precision_metric": precision.metric,
                "precision_relative_target": precision.relative,
                "converged": int(max(convergence) <= precision.relative),
                "relative_half_width": json.dumps([round(x, 6) for x in convergence]),
            }
        )
    return ds


#: deterministic outputs of ``[links]`` per scenario and cell: (fill, units, name, method)
_LINK_CELLS = {
    "contact_h": (0.0, "h", "hours a ground station sees the satellite", "time: sum"),
    "link_ceiling": (
        1.0,
        "1",
        "share of unit slots whose results the links carry, every slot running",
        "time: mean",
    ),
    "link_wait_min": (
        np.nan,
        "min",
        "mean time a result waits on board, at the most units the links carry in full",
        "time: mean",
    ),
    "contact_gap_max_min": (np.nan, "min", "longest stretch without a ground station", "time: max"),
}


#: per scenario, where a scenario sets ``[environment] shielding_mm``
_SHIELDING = {
    "dose_rad_per_y": {"units": "rad(Si)/y", "long_name": "total ionising dose rate"},
    "dose_proton_rad_per_y": {
        "units": "rad(Si)/y",
        "long_name": "trapped-proton part of the dose rate (what dose-proxy rates follow)",
    },
}


def _time_structure(ds: xr.Dataset, designs: list, plans: list[SystemPlan]) -> None:
    """Time structure known before any trial, per scenario and cell, where designs have
    it: eclipses, the power ceiling, and what the links carry."""
    _per_cell(
        ds,
        "eclipse_h",
        [eclipse_hours(d) for d in designs],
        0.0,
        ("h", "hours in the Earth's shadow in the grid cell", "time: sum"),
    )
    _per_cell(
        ds,
        "power_ceiling",
        [power_ceiling(p.arrays, d) for p, d in zip(plans, designs, strict=True)],
        1.0,
        ("1", "share of unit slots the arrays and batteries can run, all units up", "time: mean"),
    )
    _per_cell(
        ds,
        "unit_temperature_c",
        [temperature_cells(d) for d in designs],
        np.nan,
        ("degC", "mean temperature of a running unit in the grid cell", "time: mean"),
    )
    envs = [d.environment for d in designs]
    if any(e is not None and e.shielding_mm is not None for e in envs):
        for name, attrs in _SHIELDING.items():
            values = [np.nan if e is None else getattr(e, name) for e in envs]
            ds[name] = ("scenario", np.asarray([np.nan if v is None else v for v in values]), attrs)
    cells = [link_cells(d) for d in designs]
    for name, (fill, *attrs) in _LINK_CELLS.items():
        _per_cell(ds, name, [None if c is None else c[name] for c in cells], fill, tuple(attrs))


def _per_cell(
    ds: xr.Dataset,
    name: str,
    values: list[np.ndarray | None],
    fill: float,
    attrs: tuple[str, str, str],
) -> None:
    """Store ``values`` (one per scenario, each per grid cell; None: ``fill``) as
    ``name`` when some scenario has them."""
    if all(v is None for v in values):
        return
    filler = np.full(ds.sizes["time"], fill)
    units, long_name, cell_methods = attrs
    ds[name] = (
        ("scenario", "time"),
        np.stack([filler if v is None else v for v in values]),
        {"units": units, "long_name": long_name, "cell_methods": cell_methods},
    )


def _relative_half_widths(per_scenario: list[list[BlockResult]], metric: str) -> list[float]:
    """95% CI half-width over |mean| of ``metric`` per scenario (inf when the mean is 0)."""
    out = []
    name = "availability" if metric == "unavailability" else metric
    for blocks in per_scenario:
        x = np.concatenate([b[name] for b in blocks])
        x = 1.0 - x if metric == "unavailability" else x.astype(float)
        e = mean_ci(x)
        out.append((e.high - e.value) / abs(e.value) if e.value != 0 else math.inf)
    return out


# ----------------------------------------------------------------------------- rare events


def _importance(
    campaign: Campaign,
    designs: list,
    executor: Executor,
    store: RunStore | None,
    command: str,
    on_block: Callable[[int, int], None] | None,
) -> xr.Dataset:
    """Importance sampling: blocks of regenerative cycles per scenario."""
    rare = campaign.rare_event or RareEvent()
    sizes = block_sizes(rare.cycles, campaign.block_size)
    dims = {"downtime": "cycle", "hit": "cycle", "length": "crude_cycle"}
    blocks = BlockRun(
        campaign,
        executor,
        store,
        load=lambda st, s, b: st.load(s, b, dims, {"cycle": sizes[b]}),
        save=lambda st, s, b, arrays: st.save(
            s, b, {n: ((dims[n],), v) for n, v in arrays.items()}
        ),
        make=lambda s, b, _: (
            simulate_cycles,
            (designs[s], blocks.seed(s, b), sizes[b], rare.bias, rare.crude_share),
        ),
        tag="cycles",
        on_block=on_block,
    )
    per_scenario = blocks.run(len(designs), len(sizes))
    summaries = [summarise(blks, d) for blks, d in zip(per_scenario, designs, strict=True)]
    per_cycle = [
        {k: np.concatenate([blk[k] for blk in blks]) for k in dims} for blks in per_scenario
    ]
    return rare_dataset(
        campaign,
        [sc.name for sc in campaign.scenarios],
        summaries,
        per_cycle,
        block_size=campaign.block_size,
        command=command,
    )


def _splitting(
    campaign: Campaign,
    plans: list[SystemPlan],
    executor: Executor,
    store: RunStore | None,
    command: str,
    on_block: Callable[[int, int], None] | None,
) -> xr.Dataset:
    """Fixed-effort splitting: independent replicates per scenario, one per block."""
    rare = campaign.rare_event or RareEvent()
    dims = {"failure": "estimate", "downtime": "estimate", "level_p": "level"}
    n_levels = [levels(p.arrays) for p in plans]
    blocks = BlockRun(
        campaign,
        executor,
        store,
        load=lambda st, s, b: st.load(s, b, dims, {"level": n_levels[s]}),
        save=lambda st, s, b, arrays: st.save(
            s, b, {n: ((dims[n],), v) for n, v in arrays.items()}
        ),
        make=lambda s, b, shared: (split_replicate, (shared[s], blocks.seed(s, b), rare.effort)),
        tag="replicate",
        on_block=on_block,
    )
    per_scenario = blocks.run(len(plans), rare.replicates, [p.arrays for p in plans])
    windows = [d.mission_h - d.warmup_h for d in campaign.designs]
    return split_dataset(
        campaign,
        [sc.name for sc in campaign.scenarios],
        [summarise_split(reps, w) for reps, w in zip(per_scenario, windows, strict=True)],
        per_scenario,
        windows_h=windows,
        command=command,
    )
