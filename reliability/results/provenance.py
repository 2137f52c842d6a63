"""Provenance attributes every result carries: what was run, with what, and how."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from importlib import metadata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reliability.campaign import Campaign

__all__ = ["library_versions", "provenance"]

_RNG = (
    "SeedSequence(seed_entropy, spawn_key=(block,) or (block, scenario)) -> trial keys -> "
    "SplitMix64 counter streams"
)


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


def provenance(campaign: Campaign, command: str, *, block_size: int, title: str) -> dict[str, Any]:
    """CF and provenance attributes of a result of ``campaign``: the configuration (its
    hash and the TOML as given, stored once), seed, block size, library versions and
    the command that ran it."""
    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    versions = library_versions()
    base = campaign.base
    return {
        "Conventions": "CF-1.11",
        "title": title,
        "source": f"orbital-reliability {versions['orbital-reliability']} "
        "(event-driven k-of-n Monte Carlo)",
        "history": f"{now}: {command}" if command else now,
        "created_at": now,
        "creation_library": "orbital-reliability",
        "creation_library_version": versions["orbital-reliability"],
        "campaign": campaign.name,
        "config_sha256": campaign.config_sha256,
        "config_toml": campaign.toml_text,
        "config_toml_sha256": hashlib.sha256(campaign.toml_text.encode()).hexdigest(),
        "common_random_numbers": int(campaign.common_random_numbers),
        "seed_entropy": hex(campaign.seed),
        "trials": int(campaign.trials),  # as run (with --trials); precision runs add blocks
        "rng": _RNG,
        "block_size": int(block_size),
        # of the baseline design (a sweep may vary warm-up and ageing per scenario)
        "mission_h": float(base.mission_h),
        "warmup_h": float(base.warmup_h),
        "age_while_down": int(base.age_while_down),
        "library_versions": json.dumps(versions, sort_keys=True),
        # the data files the campaign names (a SPENVIS dose-depth file...), as read
        **({"config_files": json.dumps(dict(campaign.files))} if campaign.files else {}),
    }
