"""Running a campaign: blocks of trials, their seeds, where they run, and the result.

Work is split into (scenario, block) tasks. Block ``b`` draws its trial keys from
``SeedSequence(entropy, spawn_key=(b,))`` in every scenario (common random
numbers), so the result depends on the seed and the block size only, not on how
many workers ran it or in which order blocks finished.

Where it runs: an explicit ``client``; else ``scheduler`` (an address); else
``scheduler_file``; else the ``DASK_SCHEDULER_ADDRESS`` environment variable; else
an embedded ``LocalCluster`` of worker processes. ``n_workers=0`` runs every block
in this process (handy for tests and ``reliability verify``).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import logging
import math
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from reliability.engine import BlockResult, PlanArrays, counts_blocker, simulate
from reliability.limits import check_resources
from reliability.results import assemble, write_result
from reliability.stats import mean_ci
from reliability.store import RunStore
from reliability.system import compile_plan

if TYPE_CHECKING:
    import xarray as xr
    from distributed import Client

    from reliability.campaign import Campaign

__all__ = [
    "block_seed",
    "block_sizes",
    "default_run_dir",
    "local_client",
    "resolve_engine",
    "resolve_method",
    "run_campaign",
    "simulate_block",
]


def block_sizes(trials: int, block_size: int) -> list[int]:
    """Trials in each block: full blocks, then the remainder."""
    n_full, rest = divmod(trials, block_size)
    return [block_size] * n_full + ([rest] if rest else [])


def block_seed(entropy: int, block: int, scenario: int | None = None) -> np.random.SeedSequence:
    """The seed of a block: ``SeedSequence(entropy, spawn_key=(block,))``, shared by every
    scenario (common random numbers), or ``(block, scenario)`` when they are switched off."""
    key = (block,) if scenario is None else (block, scenario)
    return np.random.SeedSequence(entropy, spawn_key=key)


def simulate_block(
    arrays: PlanArrays, seed: np.random.SeedSequence, n_trials: int, engine: str = "units"
) -> BlockResult:
    """Simulate one block of a scenario: the unit of work sent to a Dask worker."""
    return simulate(arrays, np.random.default_rng(seed), n_trials, engine=engine)


def resolve_engine(campaign: Campaign, plans: list) -> str:
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
    from reliability.campaign import CampaignError

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


def default_run_dir(campaign: Campaign, root: str | Path = "outputs") -> Path:
    """``outputs/<campaign>/<YYYYmmddTHHMMSS>-<hash8>/``."""
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S")
    return Path(root) / campaign.name / f"{stamp}-{campaign.config_sha256[:8]}"


@contextlib.contextmanager
def _client(
    scheduler: str | None, scheduler_file: str | None, n_workers: int | None
) -> Iterator[Client]:
    from distributed import Client

    if scheduler:
        with Client(scheduler) as client:
            yield client
    elif scheduler_file:
        with Client(scheduler_file=scheduler_file) as client:
            yield client
    elif os.environ.get("DASK_SCHEDULER_ADDRESS"):
        with Client() as client:
            yield client
    else:
        with local_client(n_workers or os.cpu_count() or 1) as client:
            yield client


@contextlib.contextmanager
def local_client(n_workers: int) -> Iterator[Client]:
    """An embedded ``LocalCluster`` of ``n_workers`` single-threaded worker processes
    (netCDF and the kernel are single-threaded) and a client connected to it."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


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

    Returns
    -------
    xarray.Dataset
        The result, following :data:`reliability.results.SCHEMA` (crude runs),
        :data:`~reliability.results.RARE_SCHEMA` (importance sampling) or
        :data:`~reliability.results.SPLIT_SCHEMA` (splitting).
    """
    scenarios = campaign.scenarios
    where = (client, scheduler, scheduler_file, n_workers)
    method, designs = resolve_method(campaign)
    if method == "importance":
        return _run_rare(campaign, designs, out_dir, where, command, resume, on_block)
    if method == "splitting":
        return _run_split(campaign, out_dir, where, command, resume, on_block)
    plans = [compile_plan(sc.campaign) for sc in scenarios]
    check_resources(campaign, plans)  # refuse what would not fit, before launching
    engine = resolve_engine(campaign, plans)
    bs = campaign.block_size
    precision = campaign.precision
    if precision is None:
        sizes = block_sizes(campaign.trials, bs)
        max_blocks = len(sizes)
    else:  # full blocks only, so that a longer run extends a shorter one
        sizes = [bs] * math.ceil(precision.min_trials / bs)
        max_blocks = max(len(sizes), precision.max_trials // bs)
    results: dict[tuple[int, int], BlockResult] = {}
    store = _open_store(campaign, out_dir, resume)

    def done(s: int, b: int, result: BlockResult) -> None:
        if store is not None:
            store.save(s, b, result)
        results[s, b] = result
        if on_block:
            on_block(len(results), len(sizes) * len(scenarios))

    crn = campaign.common_random_numbers
    in_process = n_workers == 0 and client is None and not scheduler and not scheduler_file
    ctx = (
        contextlib.nullcontext(None)
        if in_process
        else contextlib.nullcontext(client)
        if client is not None
        else _client(scheduler, scheduler_file, n_workers)
    )
    convergence = None
    with ctx as c:
        plan_futures = None
        while True:
            if store is not None:
                for s, plan in enumerate(plans):
                    for b, n in enumerate(sizes):
                        if (s, b) in results:
                            continue
                        part = store.load(s, b, n, len(plan.mode_labels), plan.arrays.n_cells)
                        if part is not None:
                            results[s, b] = part
            todo = [
                (s, b)
                for s in range(len(plans))
                for b in range(len(sizes))
                if (s, b) not in results
            ]
            if todo and c is None:
                for s, b in todo:
                    seed = block_seed(campaign.seed, b, None if crn else s)
                    done(s, b, simulate_block(plans[s].arrays, seed, sizes[b], engine))
            elif todo:
                if plan_futures is None:
                    # unique keys: identical plans of an earlier run may still be being released
                    plan_futures = c.scatter([p.arrays for p in plans], broadcast=True, hash=False)
                _run_distributed(c, plan_futures, campaign, sizes, todo, done, engine)
            if precision is None:
                break
            convergence = _relative_half_widths(results, len(plans), len(sizes), precision.metric)
            if max(convergence) <= precision.relative or len(sizes) >= max_blocks:
                break
            sizes = [bs] * min(max_blocks, math.ceil(len(sizes) * 1.5))
    blocks = [[results[s, b] for b in range(len(sizes))] for s in range(len(scenarios))]
    sweep_coords = None
    if campaign.sweep is not None:
        sweep_coords = {
            path: [dict(sc.settings)[path] for sc in scenarios] for path in campaign.sweep.paths
        }
    ds = assemble(
        campaign,
        [sc.name for sc in scenarios],
        blocks,
        plans[0].edges,
        [tuple(zip(p.mode_classes, p.mode_sources, strict=True)) for p in plans],
        block_size=campaign.block_size,
        sweep_coords=sweep_coords,
        command=command,
    )
    ds.attrs["engine"] = engine
    if campaign.swings is not None:
        sw = campaign.swings
        ds.attrs["swings"] = json.dumps(
            [[p, list(v)] for p, v in zip(sw.paths, sw.values, strict=True)]
        )
    if campaign.workload is not None:
        w = campaign.workload
        ds.attrs["workload"] = w.kind
        if w.kind == "training":
            ds = ds.assign_coords(
                checkpoint_interval_h=(
                    "scenario",
                    np.array([p.arrays.wl_tau for p in plans]),
                    {"units": "h", "long_name": f"compute between checkpoints ({w.checkpoint})"},
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
    if out_dir is not None:
        write_result(ds, Path(out_dir) / "result.nc")
    return ds


def _relative_half_widths(
    results: dict[tuple[int, int], BlockResult], n_scenarios: int, n_blocks: int, metric: str
) -> list[float]:
    """95% CI half-width over |mean| of ``metric`` per scenario (inf when the mean is 0)."""
    out = []
    for s in range(n_scenarios):
        name = "availability" if metric == "unavailability" else metric
        x = np.concatenate([getattr(results[s, b], name) for b in range(n_blocks)])
        x = 1.0 - x if metric == "unavailability" else x.astype(float)
        e = mean_ci(x)
        out.append((e.high - e.value) / abs(e.value) if e.value != 0 else math.inf)
    return out


def _open_store(campaign: Campaign, out_dir: str | Path | None, resume: bool) -> RunStore | None:
    """The run directory's store (checked for this campaign when resuming), if any."""
    if out_dir is None:
        if resume:
            raise ValueError("`resume` needs `out_dir`")
        return None
    store = RunStore(out_dir, campaign)
    store.prepare(resume=resume)
    return store


def resolve_method(campaign: Campaign) -> tuple[str, list]:
    """What a run of ``campaign`` does: ``("crude", [])``, ``("importance", designs)``
    with the Markov design of each scenario, or ``("splitting", [])``. ``auto`` is
    importance sampling when every scenario is Markovian, else splitting.

    Raises
    ------
    CampaignError
        ``method = "importance"`` for a scenario that is not Markovian.
    """
    from reliability.campaign import CampaignError
    from reliability.rare import markov_design

    if campaign.method in ("crude", "splitting"):
        return campaign.method, []
    designs = []
    for sc in campaign.scenarios:
        design, reason = markov_design(sc.campaign)
        if design is None:
            if campaign.method == "auto":
                return "splitting", []
            raise CampaignError(
                f"importance sampling needs a Markovian design: {reason}"
                + (f" (scenario {sc.name})" if len(campaign.scenarios) > 1 else ""),
                source=campaign.source,
                path="campaign.method",
                value=campaign.method,
            )
        designs.append(design)
    return "importance", designs


def _execute(
    tasks: list[tuple[int, int]],
    make: Callable[[int, int], tuple[Callable, tuple]],
    done: Callable[[int, int, Any], None],
    where: tuple,
) -> None:
    """Run ``func(*args)`` for each task's ``make(s, b)``: in this process when asked
    (``n_workers=0`` and no scheduler), else on Dask, handing results to ``done``."""
    client, scheduler, scheduler_file, n_workers = where
    in_process = n_workers == 0 and client is None and not scheduler and not scheduler_file
    if not tasks:
        return
    if in_process:
        for s, b in tasks:
            func, args = make(s, b)
            done(s, b, func(*args))
        return
    from distributed import as_completed

    ctx = (
        contextlib.nullcontext(client)
        if client is not None
        else _client(scheduler, scheduler_file, n_workers)
    )
    with ctx as c:
        keys = {}
        futures = []
        for s, b in tasks:
            func, args = make(s, b)
            fut = c.submit(func, *args, pure=False)
            keys[fut.key] = (s, b)
            futures.append(fut)
        for fut in as_completed(futures):
            done(*keys[fut.key], fut.result())


def _stored_blocks(
    campaign: Campaign,
    out_dir: str | Path | None,
    resume: bool,
    shape: tuple[int, int],
    load: Callable[[RunStore, int, int], dict | None],
    save: Callable[[RunStore, int, int, dict], None],
    make: Callable[[int, int, np.random.SeedSequence], tuple[Callable, tuple]],
    where: tuple,
    on_block: Callable[[int, int], None] | None,
) -> list[list[dict]]:
    """The blocks of a rare-event run, ``[scenario][block]``: those stored in the run
    directory read back, the others computed (block seeds as for crude runs) and
    stored as they finish."""
    n_scenarios, n_blocks = shape
    crn = campaign.common_random_numbers
    store = _open_store(campaign, out_dir, resume)
    results: dict[tuple[int, int], dict] = {}
    every = [(s, b) for s in range(n_scenarios) for b in range(n_blocks)]
    if store is not None:
        for s, b in every:
            part = load(store, s, b)
            if part is not None:
                results[s, b] = part

    def done(s: int, b: int, arrays: dict) -> None:
        if store is not None:
            save(store, s, b, arrays)
        results[s, b] = arrays
        if on_block:
            on_block(len(results), len(every))

    def task(s: int, b: int) -> tuple[Callable, tuple]:
        return make(s, b, block_seed(campaign.seed, b, None if crn else s))

    _execute([t for t in every if t not in results], task, done, where)
    return [[results[s, b] for b in range(n_blocks)] for s in range(n_scenarios)]


def _run_rare(
    campaign: Campaign,
    designs: list,
    out_dir: str | Path | None,
    where: tuple,
    command: str,
    resume: bool = False,
    on_block: Callable[[int, int], None] | None = None,
) -> xr.Dataset:
    """Rare-event run: blocks of regenerative cycles per scenario, seeded like crude
    blocks (common random numbers across scenarios), on the same Dask resolution, each
    block stored as a part so that a killed run resumes."""
    from reliability.campaign import RareEvent
    from reliability.rare import simulate_cycles, summarise
    from reliability.results import rare_dataset

    rare = campaign.rare_event or RareEvent()
    sizes = block_sizes(rare.cycles, campaign.block_size)
    per_scenario = _stored_blocks(
        campaign,
        out_dir,
        resume,
        (len(designs), len(sizes)),
        lambda store, s, b: store.load_cycles(s, b, sizes[b]),
        RunStore.save_cycles,
        lambda s, b, seed: (
            simulate_cycles,
            (designs[s], seed, sizes[b], rare.bias, rare.crude_share),
        ),
        where,
        on_block,
    )
    summaries = [summarise(blocks, d) for blocks, d in zip(per_scenario, designs, strict=True)]
    per_cycle = [
        {k: np.concatenate([blk[k] for blk in blocks]) for k in ("downtime", "hit", "length")}
        for blocks in per_scenario
    ]
    ds = rare_dataset(
        campaign,
        [sc.name for sc in campaign.scenarios],
        summaries,
        per_cycle,
        block_size=campaign.block_size,
        command=command,
    )
    if out_dir is not None:
        write_result(ds, Path(out_dir) / "result.nc")
    return ds


def _run_split(
    campaign: Campaign,
    out_dir: str | Path | None,
    where: tuple,
    command: str,
    resume: bool = False,
    on_block: Callable[[int, int], None] | None = None,
) -> xr.Dataset:
    """Splitting run: independent fixed-effort replicates per scenario, one per block,
    seeded like crude blocks, on the same Dask resolution, each stored as a part."""
    from reliability.campaign import RareEvent
    from reliability.results import split_dataset
    from reliability.splitting import levels, split_replicate, summarise_split

    rare = campaign.rare_event or RareEvent()
    plans = [compile_plan(sc.campaign) for sc in campaign.scenarios]
    per_scenario = _stored_blocks(
        campaign,
        out_dir,
        resume,
        (len(plans), rare.replicates),
        lambda store, s, b: store.load_split(s, b, levels(plans[s].arrays)),
        RunStore.save_split,
        lambda s, b, seed: (split_replicate, (plans[s].arrays, seed, rare.effort)),
        where,
        on_block,
    )
    window = campaign.mission_h - campaign.warmup_h
    ds = split_dataset(
        campaign,
        [sc.name for sc in campaign.scenarios],
        [summarise_split(reps, window) for reps in per_scenario],
        per_scenario,
        command=command,
    )
    if out_dir is not None:
        write_result(ds, Path(out_dir) / "result.nc")
    return ds


def _run_distributed(
    client: Client,
    plan_futures: list,
    campaign: Campaign,
    sizes: list[int],
    todo: list[tuple[int, int]],
    done: Callable[[int, int, BlockResult], None],
    engine: str,
) -> None:
    from distributed import as_completed

    tag = campaign.config_sha256[:12]
    where: dict[str, tuple[int, int]] = {}
    futures = []
    for s, b in todo:
        fut = client.submit(
            simulate_block,
            plan_futures[s],
            block_seed(campaign.seed, b, None if campaign.common_random_numbers else s),
            sizes[b],
            engine,
            key=f"block-{tag}-{s}-{b}",
            pure=False,
        )
        where[fut.key] = (s, b)
        futures.append(fut)
    for fut in as_completed(futures):
        done(*where[fut.key], fut.result())
