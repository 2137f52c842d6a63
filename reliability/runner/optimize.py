"""``reliability optimize``: the cheapest design of a campaign's ``[optimize]`` space
that meets its requirement, found by :class:`reliability.selection.Search` on the
engine, block by block, on the same executor and run directory as ``run``.

The run directory holds one part file per (design, block) like a run's, so a killed
search resumes (``--resume``): the search replays its rounds, reading back the blocks
it already has, and reaches the same pick. It ends with ``search.nc``: every design
of the space, what was run of it and its verdict, and the evidence for the pick.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from reliability.campaign import CampaignError
from reliability.campaign.space import UNITS_MEASURE
from reliability.limits import check_resources, event_budget
from reliability.results.io import write_sealed
from reliability.results.provenance import provenance
from reliability.runner.blocks import BlockRun, open_store
from reliability.runner.executor import Executor
from reliability.runner.run import _warm_up, crude_parts, resolve_engine, simulate_block
from reliability.selection import Search, design_cost, design_units, look_schedule
from reliability.system import compile_plan

if TYPE_CHECKING:
    from distributed import Client

    from reliability.campaign import Campaign

__all__ = ["optimize_campaign", "search_dataset"]


def _validate_optimize(campaign: Campaign) -> None:
    if campaign.optimize is None or campaign.target is None:
        raise CampaignError(
            "has no [optimize] table: give the design space to search, e.g. "
            '[optimize] space = { "cluster.gpu.spares.cold" = { min = 0, max = 8 } }',
            source=campaign.source,
        )
    if campaign.method not in ("crude", "auto"):
        raise CampaignError(
            "optimize runs crude Monte Carlo; the rare-event methods estimate means, "
            "not P(metric >= at_least)",
            source=campaign.source,
            path="campaign.method",
            value=campaign.method,
        )


def optimize_campaign(
    campaign: Campaign,
    *,
    out_dir: str | Path | None = None,
    client: Client | None = None,
    scheduler: str | None = None,
    scheduler_file: str | None = None,
    n_workers: int | None = None,
    command: str = "",
    on_round: Callable[[Search, list[str]], None] | None = None,
    resume: bool = False,
    on_compile: Callable[[], None] | None = None,
) -> xr.Dataset:
    """Search ``campaign``'s ``[optimize]`` space for the cheapest design meeting its
    target; return the search dataset (also written to ``out_dir/search.nc``).

    Parameters are those of :func:`reliability.runner.run_campaign`; ``on_round`` is
    called as ``on_round(search, names)`` after each round.
    """
    _validate_optimize(campaign)
    opt, target = campaign.optimize, campaign.target
    assert opt is not None and target is not None
    space = replace(campaign, scenarios=campaign.optimize_scenarios)  # same config hash
    names = [sc.name for sc in space.scenarios]
    plans = [compile_plan(sc.design) for sc in space.scenarios]
    bs = campaign.block_size
    first = math.ceil(opt.first_trials / bs)
    schedule = look_schedule(first, max(first, math.ceil(opt.max_trials / bs)))
    # a round holds at most `width` designs' blocks up to the last look; the driver keeps
    # only each design's metric, so the grid as a whole never has to fit
    check_resources(
        replace(space, scenarios=space.scenarios[: opt.width], trials=schedule[-1] * bs),
        plans[: opt.width],
        n_workers,
    )
    budget = event_budget()
    plans = [replace(p, arrays=p.arrays._replace(max_events=budget)) for p in plans]
    engine = resolve_engine(space, plans)
    values = dict(zip(opt.paths, opt.values, strict=True))
    index = [
        tuple(values[p].index(dict(sc.settings)[p]) for p in opt.paths) for sc in space.scenarios
    ]
    costs = [_rank_cost(sc.design, opt.rank_by) for sc in space.scenarios]
    search = Search(
        costs,
        index,
        [p in opt.monotone for p in opt.paths],
        at_least=target.at_least,
        confidence=target.confidence,
        schedule=schedule,
        width=opt.width,
        error=opt.error,
    )
    metric: dict[tuple[int, int], np.ndarray] = {}
    with Executor(client, scheduler, scheduler_file, n_workers) as executor:
        executor.reach()
        store = open_store(space, out_dir, resume, kind="optimize")
        try:
            executor.warm = _warm_up(space, "crude", plans, [], on_compile)
            load, save = crude_parts(plans, lambda b: bs)
            slot: dict[int, int] = {}  # design -> its place in this round's shared plans
            blocks = BlockRun(
                space,
                executor,
                store,
                load=load,
                save=save,
                make=lambda s, b, shared: (
                    simulate_block,
                    (shared[slot[s]], blocks.seed(s, b), bs, engine),
                ),
                tag="optimize",
            )
            while batch := search.batch():
                search.rounds += 1
                slot.clear()
                slot.update({d: i for i, (d, _) in enumerate(batch)})
                tasks = [(d, b) for d, nb in batch for b in range(nb) if (d, b) not in metric]
                blocks.run_tasks(tasks, [plans[d].arrays for d, _ in batch], f"-r{search.rounds}")
                for d, b in tasks:  # keep the metric only: a design's cells are not needed
                    metric[d, b] = np.asarray(blocks.results.pop((d, b))[target.metric])
                for d, nb in batch:
                    search.record(d, np.concatenate([metric[d, b] for b in range(nb)]))
                if on_round is not None:
                    on_round(search, names)
            ds = search_dataset(space, search, engine=engine, command=command)
            if out_dir is not None:
                write_sealed(ds, Path(out_dir) / "search.nc")
        finally:
            if store is not None:
                store.close()
    return ds


def _rank_cost(design: Any, measure: str) -> float:
    return design_units(design) if measure == UNITS_MEASURE else design_cost(design)[measure]


def search_dataset(
    campaign: Campaign, search: Search, *, engine: str = "units", command: str = ""
) -> xr.Dataset:
    """The record of a search: one row per design of the space (``campaign`` with its
    scenarios set to the designs searched)."""
    opt, target = campaign.optimize, campaign.target
    assert opt is not None and target is not None
    scenarios = campaign.scenarios
    st = search.states
    nan = math.nan

    def per(f: Callable[[Any], Any], dtype: Any) -> np.ndarray:
        return np.array([f(s) for s in st], dtype=dtype)

    names = [sc.name for sc in scenarios]
    data: dict[str, Any] = {
        "trials": ("design", per(lambda s: s.trials, "i8"), {"long_name": "trials run"}),
        "p_meet": (
            "design",
            per(lambda s: s.p_meet.value if s.p_meet else nan, "f8"),
            {"long_name": f"P({target.metric} >= {target.at_least:g})"},
        ),
        "p_meet_low": ("design", per(lambda s: s.p_meet.low if s.p_meet else nan, "f8"), {}),
        "p_meet_high": ("design", per(lambda s: s.p_meet.high if s.p_meet else nan, "f8"), {}),
        "metric_mean": (
            "design",
            per(lambda s: float(s.metric.mean()) if s.trials else nan, "f8"),
            {"long_name": f"mean {target.metric}"},
        ),
        "looks": ("design", per(lambda s: s.looks, "i4"), {"long_name": "looks taken"}),
        "verdict": (
            "design",
            # once a pick is known, the designs left open were not needed
            per(lambda s: "not run" if s.status == "open" else s.status, str),
            {"long_name": "meets | fails | implied | undecided | not run"},
        ),
        "implied_by": (
            "design",
            per(lambda s: "" if s.implied_by is None else names[s.implied_by], str),
            {"long_name": "the failing design this one is dominated by"},
        ),
        "cost": (
            "design",
            np.array(search.costs, dtype=float),
            {"long_name": f"ranking cost ({opt.rank_by})"},
        ),
    }
    for measure in dict.fromkeys(m for sc in scenarios for m in design_cost(sc.design)):
        data[f"cost_{measure}"] = (
            "design",
            np.array([design_cost(sc.design).get(measure, nan) for sc in scenarios]),
            {"long_name": f"cost: {measure}"},
        )
    coords: dict[str, Any] = {"design": ("design", np.array(names, dtype=str))}
    for path in opt.paths:
        coords[path.replace("[", "_").replace("]", "")] = (
            "design",
            np.asarray([dict(sc.settings)[path] for sc in scenarios]),
            {"long_name": f"knob {path}"},
        )
    ds = xr.Dataset(data, coords=coords)
    ds.attrs.update(
        provenance(
            campaign, command, block_size=campaign.block_size, title=f"{campaign.name} optimize"
        )
    )
    pick = search.pick
    ds.attrs.update(
        {
            "method": "optimize",
            "engine": engine,
            "metric": target.metric,
            "at_least": target.at_least,
            "confidence": target.confidence,
            "error": opt.error,
            "level_per_look": search.level,
            "looks_trials": json.dumps([b * campaign.block_size for b in search.schedule]),
            "width": opt.width,
            "rank_by": opt.rank_by,
            "monotone": json.dumps(list(opt.monotone)),
            "knobs": json.dumps(list(opt.paths)),
            "rounds": search.rounds,
            "pick": "" if pick is None else names[pick],
            "trials_run": search.trials_run,
            "full_grid_trials": len(scenarios) * search.schedule[-1] * campaign.block_size,
            "warnings": json.dumps(search_warnings(search, names, opt.paths)),
        }
    )
    if pick is not None:
        ds.attrs.update(_paired_evidence(search, names, pick))
    return ds


def _paired_evidence(search: Search, names: list[str], pick: int) -> dict[str, Any]:
    """The pick against the strongest cheaper design run (same trials, CRN)."""
    cheaper = [
        d for d in search.order[: search.order.index(pick)] if search.states[d].p_meet is not None
    ]
    if not cheaper:
        return {}
    rival = max(cheaper, key=lambda d: (search.states[d].p_meet.value, -d))  # type: ignore[union-attr]
    diffs = search.paired(rival, pick)
    if diffs is None:
        return {}
    metric, meet = diffs
    return {
        "paired_against": names[rival],
        "paired_trials": metric.n,
        "paired_metric_difference": json.dumps([metric.value, metric.low, metric.high]),
        "paired_p_meet_difference": json.dumps([meet.value, meet.low, meet.high]),
    }


def search_warnings(search: Search, names: list[str], paths: tuple[str, ...]) -> list[str]:
    """What to know before flying the pick: undecided cheaper designs, a pick at the
    edge of the space, or no design meeting the requirement."""
    out = []
    pick = search.pick
    bound = search.order.index(pick) if pick is not None else len(search.order)
    open_ = [names[d] for d in search.order[:bound] if search.states[d].status == "undecided"]
    if open_:
        out.append(
            f"{len(open_)} design(s) ranked before the pick stayed undecided at the last look "
            f"({', '.join(open_[:5])}{', ...' if len(open_) > 5 else ''}): their "
            "P(meet) is too close to the confidence to tell; raise optimize.max_trials "
            "to settle them (the pick is the cheapest design *shown* to meet)"
        )
    if pick is None:
        run = [d for d in search.order if search.states[d].p_meet is not None]
        if run:
            best = max(run, key=lambda d: search.states[d].p_meet.value)  # type: ignore[union-attr]
            out.append(
                f"no design of the space meets the requirement; the closest is "
                f"{names[best]}: widen optimize.space"
            )
        return out
    for k, path in enumerate(paths):
        n_values = 1 + max(ix[k] for ix in search.index)
        at = search.index[pick][k]
        # along a monotone knob only its first value is an edge a cheaper design
        # could lie beyond; along another knob either end is
        if n_values > 1 and (at == 0 or (at == n_values - 1 and not search.monotone[k])):
            which = "first" if at == 0 else "last"
            out.append(
                f"the pick takes the {which} value of {path}: a value beyond the space "
                "was not tried and may meet the requirement at a lower cost; extend it"
            )
    return out
