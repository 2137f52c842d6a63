"""Building result datasets: crude runs from block outputs, rare-event runs from
their estimates. Dimensions come in the order ``trial`` (the sample dimension,
first as in ArviZ), ``scenario``, ``time``, ``fault_class``; ``time`` labels the
*end* of each grid cell and ``time_bounds`` gives both edges."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

from reliability.campaign import RareEvent
from reliability.results.criticality import downtime_criticality, fault_levels
from reliability.results.provenance import provenance
from reliability.results.schema import BY_CLASS, DTYPES, RARE_SCHEMA, SCHEMA, SPLIT_SCHEMA

if TYPE_CHECKING:
    from reliability.campaign import Campaign
    from reliability.engine import BlockResult

__all__ = ["assemble", "rare_dataset", "split_dataset"]


def rare_dataset(
    campaign: Campaign,
    scenarios: list[str],
    summaries: list[dict[str, float]],
    per_cycle: list[dict[str, np.ndarray]],
    *,
    block_size: int,
    command: str = "",
) -> xr.Dataset:
    """The result dataset of a rare-event run (see :data:`RARE_SCHEMA`)."""
    data = {}
    for name, (dims, _, units, long_name) in RARE_SCHEMA.items():
        if dims == ("scenario",):
            arr = np.array([s[name] for s in summaries], dtype=float)
        else:
            key = {"weighted_downtime_h": "downtime", "weighted_hit": "hit"}.get(name, "length")
            arr = np.stack([c[key] for c in per_cycle], axis=1)
        data[name] = (dims, arr, {"units": units, "long_name": long_name})
    ds = xr.Dataset(
        data,
        coords={"scenario": ("scenario", np.array(scenarios, dtype=str))},
        attrs=provenance(
            campaign, command, block_size=block_size, title=f"{campaign.name} rare-event estimate"
        ),
    )
    ds.attrs.update(
        {
            "method": "importance",
            "estimator": "regenerative ratio, balanced failure biasing on the numerator",
        }
    )
    return ds


def split_dataset(
    campaign: Campaign,
    scenarios: list[str],
    summaries: list[dict[str, Any]],
    replicates: list[list[dict[str, np.ndarray]]],
    *,
    windows_h: list[float],
    command: str = "",
) -> xr.Dataset:
    """The result dataset of a splitting run (see :data:`SPLIT_SCHEMA`).

    ``replicates[s]`` are scenario ``s``'s replicates (see
    :func:`reliability.splitting.split_replicate`); scenarios with fewer levels pad
    ``level_probability`` with NaN. ``windows_h[s]`` is scenario ``s``'s measured window
    (mission less warm-up), the ``window_h`` coordinate that turns downtime into
    unavailability.
    """
    n_levels = max(len(r["level_p"]) for reps in replicates for r in reps)
    level = np.full((n_levels, len(scenarios)), np.nan)
    for s, summary in enumerate(summaries):
        level[: len(summary["level_p"]), s] = summary["level_p"]
    per_replicate = {
        "replicate_failure_probability": "failure",
        "replicate_downtime_h": "downtime",
    }
    data = {}
    for name, (dims, _, units, long_name) in SPLIT_SCHEMA.items():
        if name == "level_probability":
            arr = level
        elif name in per_replicate:
            key = per_replicate[name]
            arr = np.stack([np.concatenate([r[key] for r in reps]) for reps in replicates], 1)
        elif name == "relative_error":
            arr = np.array([s["unavailability_re"] for s in summaries], dtype=float)
        else:
            arr = np.array([s[name] for s in summaries], dtype=float)
        data[name] = (dims, arr, {"units": units, "long_name": long_name})
    rare = campaign.rare_event
    ds = xr.Dataset(
        data,
        coords={
            "scenario": ("scenario", np.array(scenarios, dtype=str)),
            "window_h": (
                "scenario",
                np.array(windows_h, dtype=float),
                {"units": "h", "long_name": "measured window: mission less warm-up"},
            ),
        },
        attrs=provenance(
            campaign,
            command,
            block_size=campaign.block_size,
            title=f"{campaign.name} rare-event estimate",
        ),
    )
    ds.attrs.update(
        {
            "method": "splitting",
            "estimator": "fixed-effort multilevel splitting on failures to system down",
            "effort": int((rare or RareEvent()).effort),
        }
    )
    return ds


def assemble(
    campaign: Campaign,
    scenarios: list[str],
    blocks: list[list[BlockResult]],
    edges: np.ndarray,
    modes: list[tuple[tuple[str, str], ...]],
    *,
    block_size: int,
    sweep_coords: dict[str, list[Any]] | None = None,
    command: str = "",
) -> xr.Dataset:
    """Build the result dataset from per-scenario lists of block results.

    ``blocks[s][b]`` is block ``b`` of scenario ``s``; every scenario has the same
    blocks. ``modes[s]`` gives, for each engine mode of scenario ``s``, its fault class
    and source (``hardware``, ``quiet``, ``saa``, ``spe`` or ``scheduled``); the
    dataset's ``fault_class`` dimension is the union of the classes (absent ones count
    0).
    ``sweep_coords`` maps each swept key path to its value per scenario.
    """
    union = list(dict.fromkeys(c for scenario_modes in modes for c, _ in scenario_modes))
    n_trials = sum(b.n_trials for b in blocks[0]) if blocks else 0
    data_vars = {}
    for name, (dims, _, units, long_name, cell_methods) in SCHEMA.items():
        # each block is copied straight into its place in the variable: no per-scenario
        # concatenation and stacking, each a further copy of the whole result
        arr = None
        for s, (scenario_modes, scenario_blocks) in enumerate(zip(modes, blocks, strict=True)):
            to_class = None
            if name in BY_CLASS:
                output, source = BY_CLASS[name]
                # sum engine modes into classes: a 0/1 matrix (modes x classes)
                to_class = np.zeros((len(scenario_modes), len(union)))
                for m, (cls, src) in enumerate(scenario_modes):
                    if source is None or src == source:
                        to_class[m, union.index(cls)] = 1
            start = 0
            for b in scenario_blocks:
                part = b[output] if to_class is not None else b[name]
                if to_class is not None:
                    part = part @ to_class.astype(part.dtype)
                if arr is None:
                    shape = (n_trials, len(blocks), *part.shape[1:])
                    arr = np.zeros(shape, DTYPES[name])
                arr[start : start + len(part), s] = part
                start += len(part)
        if arr is None:  # no trials
            arr = np.zeros((0, len(blocks)), DTYPES[name])
        data_vars[name] = (
            dims,
            arr,
            {"units": units, "long_name": long_name, "cell_methods": cell_methods},
        )
    block_of_trial = np.arange(n_trials) // block_size
    ds = xr.Dataset(
        data_vars,
        coords={
            "trial": (
                "trial",
                np.arange(n_trials),
                {"standard_name": "realization", "long_name": "Monte Carlo trial"},
            ),
            "block": ("trial", block_of_trial, {"long_name": "work block (RNG spawn key)"}),
            "scenario": (
                "scenario",
                np.array(scenarios, dtype=str),
                {"long_name": "design option"},
            ),
            "time": (
                "time",
                edges[1:].copy(),
                {
                    "units": "h",
                    "axis": "T",
                    "long_name": "mission time at the cell end",
                    "bounds": "time_bounds",
                },
            ),
            # CF: bounds take the units of their coordinate, so they carry none
            "time_bounds": (("time", "bnds"), np.stack([edges[:-1], edges[1:]], axis=1)),
            "fault_class": (
                "fault_class",
                np.array(union, dtype=str),
                {"long_name": "unit type and fault class (hardware modes are their own class)"},
            ),
        },
    )
    ds = ds.assign(downtime_criticality(ds).drop_vars(["scenario", "fault_class"]))
    ds = ds.assign_coords(
        fault_level=(
            "fault_class",
            np.array(fault_levels(campaign.base.levels, union), dtype=str),
            {"long_name": "tree level the fault class acts on (its unit type's level)"},
        )
    )
    ds.attrs.update(
        provenance(
            campaign, command, block_size=block_size, title=f"{campaign.name} reliability campaign"
        )
    )
    ds.attrs.update(
        {
            "sample_dims": "trial",
            "n_blocks": int(block_of_trial[-1] + 1) if n_trials else 0,
        }
    )
    for path, values in (sweep_coords or {}).items():
        ds = ds.assign_coords(
            {_coord_name(path): ("scenario", np.asarray(values), {"long_name": f"swept {path}"})}
        )
    if sweep_coords:
        ds.attrs["sweep"] = json.dumps(list(sweep_coords))
    return ds


def _coord_name(path: str) -> str:
    """A NetCDF-safe coordinate name for a swept key path."""
    return path.replace("[", "_").replace("]", "")
