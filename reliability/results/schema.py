"""The result schemas and their check.

Crude runs store the engine's outputs (:data:`reliability.engine.spec.OUTPUTS`): a
per-trial output becomes a variable over ``(trial, scenario)``, a per-cell one over
``(trial, scenario, time)``, and a per-mode one one or more variables over
``(trial, scenario, fault_class)`` (failure modes summed into fault classes, some
restricted to one source: SAA passes or solar particle events). Rare-event runs
store estimates per scenario.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

import numpy as np
import xarray as xr

from reliability.engine.spec import OUTPUTS
from reliability.results.criticality import CRITICALITY
from reliability.results.provenance import library_versions

__all__ = [
    "BY_CLASS",
    "RARE_SCHEMA",
    "SCHEMA",
    "SPLIT_SCHEMA",
    "SchemaError",
    "assert_schema",
    "config_files",
]

_DIMS = {
    "trial": ("trial", "scenario"),
    "cell": ("trial", "scenario", "time"),
    "mode": ("trial", "scenario", "fault_class"),
}

#: name -> (dims, dtype kind, units, long_name, cell_methods), from the engine's outputs
SCHEMA: dict[str, tuple[tuple[str, ...], str, str, str, str]] = {
    name: (_DIMS[o.per], np.dtype(o.dtype).kind, o.units, long_name, o.cell_methods)
    for o in OUTPUTS
    for name, _, long_name in o.result_variables()
}
#: per-class variable -> (engine output summed into it, fault source or None for all)
BY_CLASS: dict[str, tuple[str, str | None]] = {
    name: (o.name, source or None)
    for o in OUTPUTS
    if o.per == "mode"
    for name, source, _ in o.result_variables()
}
#: stored dtype of each crude variable
DTYPES: dict[str, np.dtype] = {
    name: np.dtype(o.dtype) for o in OUTPUTS for name, _, _ in o.result_variables()
}

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

_PROVENANCE = ("config_sha256", "seed_entropy", "block_size", "library_versions")


class SchemaError(ValueError):
    """A dataset does not follow the result schema."""


def _json(text: Any, kind: type) -> Any:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, kind) else None


def _check_attrs(a: dict[str, Any]) -> None:
    """The provenance and method attributes the report and the CLI read: each of the
    type it must have, so that an edited file is refused naming the attribute."""

    def bad(name: str, expected: str) -> SchemaError:
        value = a[name].item() if isinstance(a[name], np.generic) else a[name]
        return SchemaError(f"attribute {name!r} = {value!r}: expected {expected}")

    if not re.fullmatch(r"0x[0-9a-f]+", str(a["seed_entropy"])):
        raise bad("seed_entropy", "the seed in hexadecimal, such as 0x1f")
    if not re.fullmatch(r"[0-9a-f]{64}", str(a["config_sha256"])):
        raise bad("config_sha256", "64 hexadecimal digits")
    block = a["block_size"]
    if isinstance(block, (bool, np.bool_)) or not isinstance(block, (int, np.integer)) or block < 1:
        raise bad("block_size", "a positive integer")
    versions = _json(a["library_versions"], dict)
    if versions is None or not all(isinstance(v, str) for v in versions.values()):
        raise bad("library_versions", "a JSON object of library versions")
    for name in ("sweep", "swings"):
        if name in a and _json(a[name], list) is None:
            raise bad(name, "a JSON list")
    if a.get("method", "crude") not in ("crude", "importance", "splitting"):
        raise bad("method", "importance or splitting (absent: crude Monte Carlo)")
    for name in ("mission_h", "warmup_h"):
        if name in a:
            x = a[name]
            if not isinstance(x, (float, int, np.number)) or not 0 <= float(x) < math.inf:
                raise bad(name, "a finite number of hours, at least 0")
    if float(a.get("mission_h", 1.0)) <= 0:
        raise bad("mission_h", "a positive number of hours")
    toml = a.get("config_toml")
    digest = a.get("config_toml_sha256")
    if toml is not None and digest != hashlib.sha256(str(toml).encode()).hexdigest():
        raise SchemaError(
            "attribute 'config_toml' does not match 'config_toml_sha256' (the campaign "
            "text was changed after the run)"
        )


def config_files(ds: xr.Dataset, where: str) -> dict[str, str] | None:
    """The data files a result's campaign names, as they were read (attribute
    ``config_files``); None where it names none."""
    raw = ds.attrs.get("config_files")
    if raw is None:
        return None
    try:
        files = json.loads(str(raw))
    except ValueError:
        files = None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise SchemaError(f"{where}: attribute config_files is not a table of file texts")
    return files


def _written_by(ds: xr.Dataset) -> str:
    """Why a variable may be missing: the result comes from another version."""
    theirs = ds.attrs.get("creation_library_version")
    ours = library_versions()["orbital-reliability"]
    if theirs is None or theirs == ours:
        return ""
    return f" (written by orbital-reliability {theirs}, read by {ours}: run it again)"


def assert_schema(ds: xr.Dataset) -> None:
    """Check ``ds`` against :data:`SCHEMA` (or :data:`RARE_SCHEMA` /
    :data:`SPLIT_SCHEMA` for a rare-event result); raise :class:`SchemaError` naming
    the problem."""
    method = ds.attrs.get("method")
    schema = {"importance": RARE_SCHEMA, "splitting": SPLIT_SCHEMA}.get(method, SCHEMA)
    checked = {**SCHEMA, **CRITICALITY} if schema is SCHEMA else schema
    for name, (dims, kind, *_rest) in checked.items():
        if name not in ds.data_vars:
            raise SchemaError(f"missing variable {name!r}{_written_by(ds)}")
        var = ds[name]
        if var.dims != dims:
            raise SchemaError(f"variable {name!r} has dims {var.dims}, expected {dims}")
        if var.dtype.kind != kind:
            raise SchemaError(f"variable {name!r} has dtype {var.dtype}, expected kind {kind!r}")
    coords = (
        ("scenario",)
        if schema is not SCHEMA
        else ("trial", "scenario", "time", "fault_class", "fault_level", "block")
    )
    for coord in coords:
        if coord not in ds.coords:
            raise SchemaError(f"missing coordinate {coord!r}")
    for attr in _PROVENANCE:
        if attr not in ds.attrs:
            raise SchemaError(f"missing attribute {attr!r}")
    _check_attrs(ds.attrs)
    if schema is SCHEMA:
        a = ds["availability"].values
        if a.size and (np.nanmin(a) < 0 or np.nanmax(a) > 1):
            raise SchemaError("availability outside [0, 1]")
