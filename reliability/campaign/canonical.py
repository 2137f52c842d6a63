"""The canonical JSON of a resolved configuration, and its SHA-256: what a run's
results are keyed by (a changed value changes the hash; an absent optional setting,
None, is left out, so that a feature added to the library later does not change the
hash of a campaign that does not use it)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

__all__ = ["canonical", "sha256_of"]


@dataclass
class _Plain:
    d: dict[str, Any]


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    return obj


def canonical(d: dict[str, Any]) -> dict[str, Any]:
    """``d`` (dataclasses inside it made plain) as JSON-ready data."""
    return _jsonable(dataclasses.asdict(_Plain(d)))["d"]


def sha256_of(data: Any) -> str:
    """SHA-256 of ``data``'s canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
