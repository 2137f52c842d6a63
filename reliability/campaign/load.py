"""Reading a campaign file: TOML text → a validated :class:`Campaign`.

A campaign file is data. It is read with :mod:`tomllib` and never evaluated. Every
problem is reported as one :class:`CampaignError` naming the file, the key path and
the offending value, e.g. ``demo.toml: cluster.satellite.k = 9: exceeds n = 8``.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path
from typing import Any

from reliability.campaign.errors import CampaignError
from reliability.campaign.model import Campaign, Scenario
from reliability.campaign.reader import reading_files
from reliability.campaign.sections import read_document
from reliability.campaign.space import MAX_DESIGNS, read_optimize
from reliability.campaign.sweep import expand, read_sweep

__all__ = ["load_campaign", "parse_campaign", "tornado", "validate_document"]


def _validate_campaign(doc: dict[str, Any], source: str, text: str) -> Campaign:
    base_doc = {k: v for k, v in doc.items() if k not in ("sweep", "swings", "optimize")}
    settings, base = read_document(base_doc, source)
    if "optimize" in doc:
        settings.update(_optimize_space(doc["optimize"], base_doc, source, settings, base))
    common = {"base": base, "source": source, "toml_text": text, **settings}
    if "sweep" not in doc and "swings" not in doc:
        only = Scenario(name="baseline", settings=(), design=base)
        return Campaign(**common, scenarios=(only,))
    tables: dict[str, Any] = {}
    runs: dict[str, tuple[Scenario, ...]] = {}
    for table in ("sweep", "swings"):
        if table in doc:
            tables[table] = read_sweep(doc[table], source, table)
            runs[table] = expand(base_doc, tables[table], table == "swings", source, read_document)
    # a run does the sweep; `run --swings` (:func:`tornado`) does the swings in its place
    scenarios = runs.get("sweep", runs.get("swings"))
    return Campaign(**common, **tables, scenarios=scenarios, swing_scenarios=runs.get("swings", ()))


def tornado(campaign: Campaign) -> Campaign:
    """The campaign's one-at-a-time ``[swings]`` study: its baseline and each uncertain
    setting moved on its own, run in place of its ``[sweep]`` (``run --swings``).

    A campaign may carry both tables: the sweep is the design trade a run makes, the
    swings the sensitivity of its baseline to inputs nobody can choose.
    """
    if campaign.swings is None:
        raise CampaignError("has no [swings] table to run", source=campaign.source, path="swings")
    if campaign.sweep is None:
        return campaign
    return dataclasses.replace(
        campaign, sweep=None, scenarios=campaign.swing_scenarios, swing_scenarios=()
    )


def _optimize_space(
    raw: object, base_doc: dict[str, Any], source: str, settings: dict[str, Any], base: Any
) -> dict[str, Any]:
    """The ``optimize`` and ``optimize_scenarios`` settings of ``[optimize]``: its knobs
    are checked as a sweep's are and its designs read like a sweep's scenarios."""
    measures = tuple(dict.fromkeys(m for _, costs in base.costs for m, _ in costs))
    opt = read_optimize(
        raw, source, has_target=settings.get("target") is not None, measures=measures
    )
    try:
        space = read_sweep(dict(zip(opt.paths, map(list, opt.values), strict=True)), source)
        if space.size > MAX_DESIGNS:
            raise CampaignError(
                f"the design space has {space.size} designs; at most {MAX_DESIGNS}",
                source=source,
                path="sweep",
            )
        designs = expand(base_doc, space, False, source, read_document)
    except CampaignError as exc:  # name the table the knob came from
        raise CampaignError(
            exc.problem.replace("in scenario [", "in design [", 1),
            source=source,
            path=exc.path.replace("sweep", "optimize.space", 1),
            value=exc.value,
        ) from None
    _check_optimize(opt, designs, settings, base, source)
    return {"optimize": opt, "optimize_scenarios": designs}


def _check_optimize(
    opt: Any, designs: tuple[Scenario, ...], settings: dict[str, Any], base: Any, source: str
) -> None:
    """What loads but could never be searched: a design without the ranking measure, a
    confidence of 1, a metric the workload does not produce."""
    from reliability.campaign.space import UNITS_MEASURE

    if opt.rank_by != UNITS_MEASURE:
        for sc in designs:
            leaf = sc.design.levels[-1].unit or sc.design.levels[-1].name
            if opt.rank_by not in dict(dict(sc.design.costs).get(leaf, ())):
                raise CampaignError(
                    f"design [{sc.name}] has no {opt.rank_by} cost for its unit {leaf!r} in [cost]",
                    source=source,
                    path="optimize.rank_by",
                    value=opt.rank_by,
                )
    target = settings["target"]
    if target.confidence >= 1.0:
        raise CampaignError(
            "a search cannot show P(meet) >= 1 from finitely many trials; ask for less "
            "than 1 (e.g. 0.99)",
            source=source,
            path="campaign.target.confidence",
            value=target.confidence,
        )
    w = base.workload
    needs = {"throughput": "a [workload]", "slo_attainment": "a serving [workload]"}
    if target.metric in needs and (
        w is None or (target.metric == "slo_attainment" and w.kind != "serving")
    ):
        raise CampaignError(
            f"the target metric {target.metric} needs {needs[target.metric]}: without it "
            "no trial has a value to judge",
            source=source,
            path="campaign.target.metric",
            value=target.metric,
        )


def validate_document(
    doc: dict[str, Any], *, source: str = "<campaign>", files: dict[str, str] | None = None
) -> Campaign:
    """Validate a campaign already read from TOML (a dict, e.g. a file with a table
    added); its ``toml_text`` is empty; ``files`` as for :func:`parse_campaign`."""
    with reading_files(files) as read:
        campaign = _validate_campaign(doc, source, "")
    return dataclasses.replace(campaign, files=tuple(sorted(read.items())))


def parse_campaign(
    text: str,
    *,
    source: str = "<campaign>",
    files: dict[str, str] | None = None,
    folder: str | Path | None = None,
) -> Campaign:
    """Parse and validate campaign TOML text.

    Parameters
    ----------
    text : str
        The TOML document.
    source : str, optional
        Name used in error messages (normally the file path).
    files : dict, optional
        The data files it names (name as written -> text), as a result or run keeps
        them; default: read from disk.
    folder : path, optional
        Where relative data-file names are read from (:func:`load_campaign`: the
        campaign file's folder); without it and ``files`` they are refused.

    Returns
    -------
    Campaign

    Raises
    ------
    CampaignError
        On a TOML syntax error or any invalid value; the message names the key path.

    Examples
    --------
    >>> c = parse_campaign('''
    ... [campaign]
    ... name = "single"
    ... mission = "720 h"
    ... trials = 10
    ... seed = 1
    ... [units.node]
    ... failures = [{ law = "exponential", mean = "1000 h", repair = "24 h" }]
    ... [cluster]
    ... node = { n = 1, k = 1 }
    ... ''')
    >>> c.base.n_units, c.base.units[0].failures[0].repair.describe()
    (1, 'fixed(24 h)')
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CampaignError(f"TOML syntax error: {exc}", source=source) from None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise CampaignError(_TOO_DEEP, source=source) from None
    if _depth(doc) > MAX_DEPTH:
        raise CampaignError(_TOO_DEEP, source=source)
    with reading_files(files, folder) as read:
        campaign = _validate_campaign(doc, source, text)
    return dataclasses.replace(campaign, files=tuple(sorted(read.items())))


#: deepest nesting of tables and arrays a campaign file may have (a real one: about 5)
MAX_DEPTH = 32
#: largest campaign file read (a real one: a few KiB)
MAX_BYTES = 4 * 1024 * 1024
_TOO_DEEP = f"tables and arrays nested more than {MAX_DEPTH} deep: not a campaign file"


def _depth(doc: object) -> int:
    """How deep tables and arrays nest in ``doc`` (iteratively: no recursion limit)."""
    deepest, stack = 0, [(doc, 0)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > MAX_DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, d + 1) for v in node)
    return deepest


#: a run directory's copy of the data files its campaign read, beside its campaign.toml
RUN_FILES = "campaign_files.json"


def _run_files(p: Path) -> dict[str, str] | None:
    """The data files a run directory kept beside its ``campaign.toml`` (None if none):
    the report's rerun command reads the run's copy, not files beside the original."""
    kept = p.parent / RUN_FILES
    if p.name != "campaign.toml" or not kept.is_file():
        return None
    try:
        files = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CampaignError(f"{kept}: unreadable ({exc})", source=str(p)) from None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise CampaignError(f"{kept}: not a table of file texts", source=str(p))
    return files


def load_campaign(path: str | Path, files: dict[str, str] | None = None) -> Campaign:
    """Read and validate a campaign file; see :func:`parse_campaign`. A run
    directory's ``campaign.toml`` reads the data files the run kept
    (``campaign_files.json``) unless ``files`` are given."""
    p = Path(path)
    try:
        with p.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)  # /dev/zero or a huge file is not read whole
    except FileNotFoundError:
        raise CampaignError("no such file", source=str(p)) from None
    except IsADirectoryError:
        raise CampaignError("is a directory, not a campaign file", source=str(p)) from None
    except OSError as exc:
        raise CampaignError(f"cannot read: {exc.strerror}", source=str(p)) from None
    if len(raw) > MAX_BYTES:
        raise CampaignError(
            f"larger than {MAX_BYTES // 1024**2} MiB: not a campaign file", source=str(p)
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CampaignError(f"not UTF-8 text (byte {exc.start})", source=str(p)) from None
    if files is None:
        files = _run_files(p)
    return parse_campaign(text, source=str(p), files=files, folder=p.parent)
