"""Design grids: a ``[sweep]`` (Cartesian product) or one-at-a-time ``[swings]`` of key
paths, expanded into the campaign's scenarios."""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections.abc import Callable
from typing import Any

from reliability.campaign.errors import CampaignError
from reliability.campaign.model import Design, Scenario, Sweep
from reliability.campaign.reader import Table

__all__ = ["expand", "read_sweep"]

_PATH_RE = re.compile(r"^[A-Za-z][\w-]*(\[\d+\])?(\.[A-Za-z][\w-]*(\[\d+\])?)*$")
_MAX_SCENARIOS = 10_000
#: campaign-level keys a sweep may vary (the rest must be common to all scenarios)
_SWEEPABLE_CAMPAIGN_KEYS = ("campaign.age_while_down", "campaign.warmup")


def read_sweep(raw: Any, source: str, table: str = "sweep") -> Sweep:
    t = Table(raw, table, source)
    if not t.data:
        raise CampaignError(
            "needs at least one key path with a list of values", source=source, path=table
        )
    paths, values = [], []
    for path, vals in t.data.items():
        t.used.add(path)
        key = f"{table}.{path!r}" if not _PATH_RE.fullmatch(path) else f"{table}.{path}"
        if not _PATH_RE.fullmatch(path):
            raise CampaignError(
                "not a key path such as cluster.node.spares.cold",
                source=source,
                path=key,
                value=vals,
            )
        root = path.split(".", 1)[0].split("[", 1)[0]
        if root in ("sweep", "swings", "verify", "rare_event") or (
            root == "campaign" and path not in _SWEEPABLE_CAMPAIGN_KEYS
        ):
            raise CampaignError(
                "cannot be swept: it must be common to all scenarios",
                source=source,
                path=key,
                value=vals,
            )
        if not isinstance(vals, list) or not vals:
            raise CampaignError(
                "expected a non-empty list of values", source=source, path=key, value=vals
            )
        kinds = {
            "number" if isinstance(v, int | float) and not isinstance(v, bool) else type(v).__name__
            for v in vals
        }
        if len(kinds) != 1 or not kinds <= {"number", "str", "bool"}:
            raise CampaignError(
                "values must be numbers, strings or booleans, all of one kind",
                source=source,
                path=key,
                value=vals,
            )
        if len({json.dumps(v) for v in vals}) != len(vals):
            raise CampaignError("values must be distinct", source=source, path=key, value=vals)
        paths.append(path)
        values.append(tuple(vals))
    sweep = Sweep(paths=tuple(paths), values=tuple(values))
    if sweep.size > _MAX_SCENARIOS:
        raise CampaignError(
            f"the grid has {sweep.size} scenarios; at most {_MAX_SCENARIOS}",
            source=source,
            path="sweep",
        )
    return sweep


def _set_path(doc: dict[str, Any], path: str, value: Any, source: str) -> None:
    """Set ``value`` at key path ``path`` (tables are created as needed)."""
    node: Any = doc
    parts = path.split(".")
    for i, part in enumerate(parts):
        name, _, index = part.partition("[")
        last = i == len(parts) - 1
        if not isinstance(node, dict):
            raise CampaignError("does not lead to a table", source=source, path=f"sweep.{path}")
        if index:
            seq = node.get(name)
            j = int(index.rstrip("]"))
            if not isinstance(seq, list) or j >= len(seq):
                raise CampaignError(
                    f"{name}[{j}] does not exist in the campaign",
                    source=source,
                    path=f"sweep.{path}",
                )
            if last:
                seq[j] = value
            else:
                node = seq[j]
        elif last:
            node[name] = value
        else:
            node = node.setdefault(name, {})


def _label(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else f"{value}"


def expand(
    doc: dict[str, Any],
    sweep: Sweep,
    swings: bool,
    source: str,
    read: Callable[[dict[str, Any], str], tuple[dict[str, Any], Design]],
) -> tuple[Scenario, ...]:
    """The scenarios of a sweep grid (``swings``: the baseline, then each setting moved
    on its own, as a tornado's bars), each design read anew by ``read`` from ``doc``
    with its settings applied."""
    leaves = [p.rsplit(".", 1)[-1] for p in sweep.paths]
    short = len(set(leaves)) == len(leaves)
    if swings:
        combos = [()] + [
            ((p, v),) for p, vals in zip(sweep.paths, sweep.values, strict=True) for v in vals
        ]
    else:
        combos = [tuple(zip(sweep.paths, c, strict=True)) for c in itertools.product(*sweep.values)]
    scenarios = []
    for settings in combos:
        name = (
            ", ".join(f"{p.rsplit('.', 1)[-1] if short else p}={_label(v)}" for p, v in settings)
            or "baseline"
        )
        variant = copy.deepcopy(doc)
        for p, v in settings:
            _set_path(variant, p, v, source)
        try:
            _, design = read(variant, source)
        except CampaignError as exc:
            raise CampaignError(
                f"in scenario [{name}]: {exc.problem}",
                source=source,
                path=exc.path,
                value=exc.value,
            ) from None
        scenarios.append(Scenario(name=name, settings=settings, design=design))
    return tuple(scenarios)
