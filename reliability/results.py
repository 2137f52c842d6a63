"""The result dataset: schema, CF and provenance attributes, NetCDF read and write.

Dimensions come in the order ``trial`` (the sample dimension, first as in ArviZ),
``scenario``, ``time``, ``fault_class``. ``time`` labels the *end* of each grid
cell; ``time_bounds`` gives both edges.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import xarray as xr

if TYPE_CHECKING:
    from collections.abc import Callable

    from reliability.campaign import Campaign
    from reliability.engine import BlockResult

__all__ = [
    "SCHEMA",
    "SchemaError",
    "assemble",
    "assert_schema",
    "atomic_write",
    "library_versions",
    "open_result",
    "write_result",
]

#: name -> (dims, dtype kind, units, long_name, cell_methods)
SCHEMA: dict[str, tuple[tuple[str, ...], str, str, str, str]] = {
    "availability": (
        ("trial", "scenario"),
        "f",
        "1",
        "fraction of the measured window the system was up",
        "time: mean",
    ),
    "mean_capacity": (
        ("trial", "scenario"),
        "f",
        "1",
        "mean fraction of unit slots usable",
        "time: mean",
    ),
    "capacity": (
        ("trial", "scenario", "time"),
        "f",
        "1",
        "mean fraction of unit slots usable in the grid cell",
        "time: mean",
    ),
    "system_up": (
        ("trial", "scenario", "time"),
        "i",
        "1",
        "system up at the end of the grid cell (1) or down (0)",
        "time: point",
    ),
    "outages": (("trial", "scenario"), "i", "1", "unplanned system failures", "time: sum"),
    "downtime_h": (
        ("trial", "scenario"),
        "f",
        "h",
        "system downtime, planned and unplanned",
        "time: sum",
    ),
    "planned_downtime_h": (
        ("trial", "scenario"),
        "f",
        "h",
        "system downtime during servicing visits",
        "time: sum",
    ),
    "time_to_first_failure_h": (
        ("trial", "scenario"),
        "f",
        "h",
        "time of the first unplanned system failure (NaN: none)",
        "time: point",
    ),
    "spares_used": (("trial", "scenario"), "i", "1", "spare swaps completed", "time: sum"),
    "fault_count": (
        ("trial", "scenario", "fault_class"),
        "i",
        "1",
        "faults by class, summed over unit slots",
        "time: sum",
    ),
    "saa_fault_count": (
        ("trial", "scenario", "fault_class"),
        "i",
        "1",
        "faults by class that arrived in South Atlantic Anomaly passes (quiet sun)",
        "time: sum",
    ),
    "spe_fault_count": (
        ("trial", "scenario", "fault_class"),
        "i",
        "1",
        "faults by class due to solar particle events",
        "time: sum",
    ),
    "unit_downtime_h": (
        ("trial", "scenario", "fault_class"),
        "f",
        "h",
        "unit-hours down, by the fault class that took the unit down",
        "time: sum",
    ),
    "outage_downtime_h": (
        ("trial", "scenario", "fault_class"),
        "f",
        "h",
        "unplanned system downtime, by the fault class that started the outage",
        "time: sum",
    ),
    "throughput": (
        ("trial", "scenario"),
        "f",
        "1",
        "serving: delivered fraction of demand; training: committed work per wall hour",
        "time: mean",
    ),
    "slo_attainment": (
        ("trial", "scenario"),
        "f",
        "1",
        "serving: fraction of time the delivered fraction met the SLO (NaN: training)",
        "time: mean",
    ),
    "job_completion_h": (
        ("trial", "scenario"),
        "f",
        "h",
        "training: time the job's work was done (NaN: not done or continuous)",
        "time: point",
    ),
    "lost_work_h": (
        ("trial", "scenario", "fault_class"),
        "f",
        "h",
        "training: job-hours of work rolled back, by the fault class that caused it",
        "time: sum",
    ),
    "goodput": (
        ("trial", "scenario", "time"),
        "f",
        "1",
        "serving: delivered fraction of demand; training: committed work per hour",
        "time: mean",
    ),
}
#: per-fault-class variables and the engine-mode sources summed into each
_BY_CLASS = {
    "fault_count": ("failures", None),
    "saa_fault_count": ("failures", "saa"),
    "spe_fault_count": ("failures", "spe"),
    "unit_downtime_h": ("unit_downtime_h", None),
    "outage_downtime_h": ("outage_downtime_h", None),
    "lost_work_h": ("lost_work_h", None),
}
_DTYPES = {"capacity": np.float32, "system_up": np.int8, "goodput": np.float32}


#: Variables of a rare-event (importance sampling) result: per-scenario estimates and
#: the per-cycle likelihood-weighted values they come from.
RARE_SCHEMA: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "unavailability": (("scenario",), "f", "1", "long-run unavailability (regenerative)"),
    "unavailability_low": (("scenario",), "f", "1", "lower end of the 95% CI"),
    "unavailability_high": (("scenario",), "f", "1", "upper end of the 95% CI"),
    "relative_error": (("scenario",), "f", "1", "standard error / estimate"),
    "re_per_cycle": (("scenario",), "f", "1", "relative error per cycle (flat: BRE)"),
    "ess": (("scenario",), "f", "1", "effective sample size of the weighted cycles"),
    "max_weight_share": (("scenario",), "f", "1", "largest single cycle's share"),
    "gamma": (("scenario",), "f", "1", "P(system down before all-up | one failure)"),
    "gamma_se": (("scenario",), "f", "1", "standard error of gamma"),
    "cycle_h": (("scenario",), "f", "h", "mean regenerative cycle length"),
    "weighted_downtime_h": (
        ("cycle", "scenario"),
        "f",
        "h",
        "likelihood-weighted expected downtime of each excursion",
    ),
    "weighted_hit": (("cycle", "scenario"), "f", "1", "likelihood ratio of excursions that failed"),
    "excursion_h": (("crude_cycle", "scenario"), "f", "h", "crude excursion lengths"),
}


#: Variables of a splitting result: name -> (dims, kind, units, long_name).
SPLIT_SCHEMA: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "failure_probability": (
        ("scenario",),
        "f",
        "1",
        "P(unplanned system failure during the mission)",
    ),
    "failure_probability_low": (("scenario",), "f", "1", "lower end of the 95% CI"),
    "failure_probability_high": (("scenario",), "f", "1", "upper end of the 95% CI"),
    "failure_probability_re": (("scenario",), "f", "1", "standard error / estimate"),
    "unavailability": (("scenario",), "f", "1", "unplanned downtime / measured window"),
    "unavailability_low": (("scenario",), "f", "1", "lower end of the 95% CI"),
    "unavailability_high": (("scenario",), "f", "1", "upper end of the 95% CI"),
    "relative_error": (("scenario",), "f", "1", "standard error / estimate (unavailability)"),
    "ess": (("scenario",), "f", "1", "effective number of replicates (unavailability)"),
    "max_weight_share": (("scenario",), "f", "1", "largest replicate's share of the total"),
    "level_probability": (
        ("level", "scenario"),
        "f",
        "1",
        "share of a stage's trajectories that reached the next level (mean of replicates)",
    ),
    "replicate_failure_probability": (
        ("replicate", "scenario"),
        "f",
        "1",
        "each replicate's estimate of the failure probability",
    ),
    "replicate_downtime_h": (
        ("replicate", "scenario"),
        "f",
        "h",
        "each replicate's estimate of the expected unplanned downtime",
    ),
}


class SchemaError(ValueError):
    """A dataset does not follow the result schema."""


def library_versions() -> dict[str, str]:
    """Versions of the libraries a result depends on."""
    out = {}
    for name in (
        "orbital-reliability",
        "numpy",
        "scipy",
        "numba",
        "xarray",
        "dask",
        "distributed",
        "netCDF4",
    ):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "unknown"
    return out


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
        attrs=_run_attrs(campaign, command, block_size=block_size),
    )
    ds.attrs.update(
        {
            "method": "importance",
            "estimator": "regenerative ratio, balanced failure biasing on the numerator",
        }
    )
    return ds


def _run_attrs(campaign: Campaign, command: str, *, block_size: int) -> dict[str, Any]:
    """Provenance attributes of a rare-event result."""
    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    return {
        "Conventions": "CF-1.11",
        "title": f"{campaign.name} rare-event estimate",
        "history": f"{now}: {command}" if command else now,
        "created_at": now,
        "campaign": campaign.name,
        "config_sha256": campaign.config_sha256,
        "config_json": json.dumps(campaign.to_dict(), sort_keys=True),
        "config_toml": campaign.toml_text,
        "seed_entropy": hex(campaign.seed),
        "block_size": int(block_size),
        "common_random_numbers": int(campaign.common_random_numbers),
        "library_versions": json.dumps(library_versions(), sort_keys=True),
    }


def split_dataset(
    campaign: Campaign,
    scenarios: list[str],
    summaries: list[dict[str, Any]],
    replicates: list[list[dict[str, np.ndarray]]],
    *,
    command: str = "",
) -> xr.Dataset:
    """The result dataset of a splitting run (see :data:`SPLIT_SCHEMA`).

    ``replicates[s]`` are scenario ``s``'s replicates (see
    :func:`reliability.splitting.split_replicate`); scenarios with fewer levels pad
    ``level_probability`` with NaN.
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
        coords={"scenario": ("scenario", np.array(scenarios, dtype=str))},
        attrs=_run_attrs(campaign, command, block_size=campaign.block_size),
    )
    ds.attrs.update(
        {
            "method": "splitting",
            "estimator": "fixed-effort multilevel splitting on failures to system down",
            "effort": int(rare.effort if rare else 1000),
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
    blocks. ``modes[s]`` gives, for each engine failure mode of scenario ``s``, its
    fault class and source (``hardware``, ``quiet``, ``saa`` or ``spe``); the dataset's
    ``fault_class`` dimension is the union of the classes (absent ones count 0).
    ``sweep_coords`` maps each swept key path to its value per scenario.
    """
    union = list(dict.fromkeys(c for scenario_modes in modes for c, _ in scenario_modes))
    per_var: dict[str, list[np.ndarray]] = {name: [] for name in SCHEMA}
    for scenario_modes, scenario_blocks in zip(modes, blocks, strict=True):
        for name in SCHEMA:
            if name in _BY_CLASS:
                field, source = _BY_CLASS[name]
                arr = np.concatenate([getattr(b, field) for b in scenario_blocks])
                # sum engine modes into classes: a 0/1 matrix (modes x classes)
                to_class = np.zeros((arr.shape[1], len(union)), arr.dtype)
                for m, (cls, src) in enumerate(scenario_modes):
                    if source is None or src == source:
                        to_class[m, union.index(cls)] = 1
                arr = arr @ to_class
            else:
                arr = np.concatenate([getattr(b, name) for b in scenario_blocks])
            per_var[name].append(arr)
    data_vars = {}
    for name, (dims, _, units, long_name, cell_methods) in SCHEMA.items():
        arr = np.stack(per_var[name], axis=1)
        arr = arr.astype(_DTYPES.get(name, arr.dtype), copy=False)
        data_vars[name] = (
            dims,
            arr,
            {"units": units, "long_name": long_name, "cell_methods": cell_methods},
        )
    n_trials = data_vars["availability"][1].shape[0]
    block_of_trial = np.arange(n_trials) // block_size
    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    versions = library_versions()
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
        attrs={
            "Conventions": "CF-1.11",
            "title": f"{campaign.name} reliability campaign",
            "source": f"orbital-reliability {versions['orbital-reliability']} "
            "(event-driven k-of-n Monte Carlo)",
            "history": f"{now}: {command}" if command else now,
            "created_at": now,
            "creation_library": "orbital-reliability",
            "creation_library_version": versions["orbital-reliability"],
            "sample_dims": "trial",
            "campaign": campaign.name,
            "config_sha256": campaign.config_sha256,
            "config_json": json.dumps(campaign.to_dict(), sort_keys=True),
            "config_toml": campaign.toml_text,
            "config_toml_sha256": hashlib.sha256(campaign.toml_text.encode()).hexdigest(),
            "common_random_numbers": int(campaign.common_random_numbers),
            "seed_entropy": hex(campaign.seed),
            "rng": "SeedSequence(seed_entropy, spawn_key=(block,) or (block, scenario)) -> "
            "trial keys -> "
            "SplitMix64 counter streams",
            "block_size": int(block_size),
            "n_blocks": int(block_of_trial[-1] + 1) if n_trials else 0,
            "mission_h": float(campaign.mission_h),
            "warmup_h": float(campaign.warmup_h),
            "age_while_down": int(campaign.age_while_down),
            "library_versions": json.dumps(versions, sort_keys=True),
        },
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


def assert_schema(ds: xr.Dataset) -> None:
    """Check ``ds`` against :data:`SCHEMA` (or :data:`RARE_SCHEMA` /
    :data:`SPLIT_SCHEMA` for a rare-event result); raise :class:`SchemaError` naming
    the problem."""
    rare = {"importance": RARE_SCHEMA, "splitting": SPLIT_SCHEMA}.get(ds.attrs.get("method"))
    if rare is not None:
        for name, (dims, kind, *_rest) in rare.items():
            if name not in ds.data_vars:
                raise SchemaError(f"missing variable {name!r}")
            if ds[name].dims != dims or ds[name].dtype.kind != kind:
                raise SchemaError(f"variable {name!r} does not follow the rare-event schema")
        for attr in ("config_sha256", "seed_entropy", "block_size", "library_versions"):
            if attr not in ds.attrs:
                raise SchemaError(f"missing attribute {attr!r}")
        return
    for name, (dims, kind, *_rest) in SCHEMA.items():
        if name not in ds.data_vars:
            raise SchemaError(f"missing variable {name!r}")
        var = ds[name]
        if var.dims != dims:
            raise SchemaError(f"variable {name!r} has dims {var.dims}, expected {dims}")
        if var.dtype.kind != kind:
            raise SchemaError(f"variable {name!r} has dtype {var.dtype}, expected kind {kind!r}")
    for coord in ("trial", "scenario", "time", "fault_class", "block"):
        if coord not in ds.coords:
            raise SchemaError(f"missing coordinate {coord!r}")
    for attr in ("config_sha256", "seed_entropy", "block_size", "library_versions"):
        if attr not in ds.attrs:
            raise SchemaError(f"missing attribute {attr!r}")
    a = ds["availability"].values
    if a.size and (np.nanmin(a) < 0 or np.nanmax(a) > 1):
        raise SchemaError("availability outside [0, 1]")


def _encoding(ds: xr.Dataset) -> dict[str, dict[str, Any]]:
    block = int(ds.attrs.get("block_size", ds.sizes.get("trial", 1))) or 1
    enc: dict[str, dict[str, Any]] = {}
    for name, var in ds.data_vars.items():
        chunks = tuple(
            min(block, n) if d in ("trial", "cycle") else (1 if d == "scenario" else n)
            for d, n in zip(var.dims, var.shape, strict=True)
        )
        enc[name] = {
            "zlib": True,
            "complevel": 4,
            "shuffle": True,
            "chunksizes": tuple(max(c, 1) for c in chunks),
        }
    return enc


def atomic_write(path: str | Path, write: Callable[[str], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it to ``path``.

    A killed or failed write leaves no file that looks complete.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        # mkstemp creates the file 0600: give it the permissions a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_result(ds: xr.Dataset, path: str | Path) -> Path:
    """Write ``ds`` to NetCDF4 (compressed, chunked by block) atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(
        path,
        lambda tmp: ds.to_netcdf(tmp, engine="netcdf4", format="NETCDF4", encoding=_encoding(ds)),
    )


def open_result(path: str | Path) -> xr.Dataset:
    """Open a result file (or a run directory holding ``result.nc``) and check its schema.

    Returns a dataset loaded into memory (the file is closed again).
    """
    p = Path(path)
    if p.is_dir():
        p = p / "result.nc"
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such result file")
    try:
        with xr.open_dataset(p, engine="netcdf4") as ds:
            loaded = ds.load()
    except (OSError, ValueError) as exc:
        raise SchemaError(f"{p}: not a readable NetCDF result ({exc})") from None
    try:
        assert_schema(loaded)
    except SchemaError as exc:
        raise SchemaError(f"{p}: {exc}") from None
    return loaded
