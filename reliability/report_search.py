"""The report of a ``reliability optimize`` search: the pick, the evidence for it, every
design evaluated and the cost-against-P(meet) figure.

``write_search_report(run_dir)`` writes ``report.md``, a self-contained
``report.html`` and ``figures/search.{png,svg}``, deterministically, as
:func:`reliability.report.write_report` does for a run.
"""

from __future__ import annotations

import base64
import shlex
from dataclasses import replace
from pathlib import Path

import jinja2
from matplotlib.figure import Figure

from reliability import plots
from reliability.campaign import Campaign, parse_campaign
from reliability.describe import describe_design, describe_question
from reliability.results import SchemaError, atomic_write, config_files, open_search
from reliability.summary import search_evidence, search_rows

__all__ = ["write_search_report"]

_MD = """# {{ title }}

{{ evidence[2] if pick else "No design of the space was shown to meet the requirement." }}
{% for w in warnings %}
> **Check before flying it:** {{ w }}
{% endfor %}
## Design question
{% if description %}
{{ description }}
{% endif %}
```text
{{ design }}
```

## How the pick was reached
{% for p in evidence %}
{{ p }}
{% endfor %}
## Every design evaluated

| design | cost ({{ rank_by }}) | trials | P(meet) | interval | verdict |
|---|---|---|---|---|---|
{% for r in rows -%}
| {{ r[0] }} | {{ r[1] }} | {{ r[2] }} | {{ r[3] }} | {{ r[4] }} | {{ r[5] }} |
{% endfor %}
Designs dearer than the pick were not run further once it was known to meet (some
ran while it was not yet known): one that meets at a higher cost cannot be the
cheapest. Run the pick (or its neighbours) with
`reliability run` for its full report: downtime causes, spares and capacity over time.

## Figure

![designs the search ran](figures/search.svg)

## Provenance

| | |
|---|---|
{% for k, v in provenance -%}
| {{ k }} | {{ v }} |
{% endfor %}
Rerun with:

```bash
{{ rerun }}
```
"""

_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.pick td { background: #e8f5e9; font-weight: bold; }
.statement { font-size: 1.1em; padding: 0.8em; background: #f3f6fa; border-left: 4px solid #1f77b4; }
.warning { padding: 0.6em; background: #fff6e5; border-left: 4px solid #e08a00; }
img { max-width: 100%; }
pre { background: #f6f6f6; padding: 0.6em; }
</style></head><body>
<h1>{{ title }}</h1>
<p class="statement" id="recommendation">{{ evidence[2] if pick else "No design of the space was shown to meet the requirement." }}</p>
{% for w in warnings %}<p class="warning"><strong>Check before flying it:</strong> {{ w }}</p>
{% endfor %}
<h2>Design question</h2>
{% if description %}<p>{{ description }}</p>{% endif %}
<pre id="design">{{ design }}</pre>
<h2>How the pick was reached</h2>
{% for p in evidence %}<p>{{ p }}</p>
{% endfor %}
<h2>Every design evaluated</h2>
<table id="search"><tr><th>design</th><th>cost ({{ rank_by }})</th><th>trials</th><th>P(meet)</th><th>interval</th><th>verdict</th></tr>
{% for r in rows %}<tr{% if r[0] == pick %} class="pick"{% endif %}><td>{{ r[0] }}</td><td>{{ r[1] }}</td><td>{{ r[2] }}</td><td>{{ r[3] }}</td><td>{{ r[4] }}</td><td>{{ r[5] }}</td></tr>
{% endfor %}</table>
<p>Designs dearer than the pick were not run further once it was known to meet (some
ran while it was not yet known): one that meets at a higher cost cannot be the
cheapest. Run the pick (or its neighbours) with
<code>reliability run</code> for its full report.</p>
<h2>Figure</h2>
<img alt="designs the search ran" src="data:image/png;base64,{{ png }}">
<h2>Provenance</h2>
<table>{% for k, v in provenance %}<tr><td>{{ k }}</td><td>{{ v }}</td></tr>{% endfor %}</table>
<p>Rerun with:</p><pre>{{ rerun }}</pre>
</body></html>
"""


def _campaign(ds, run: Path) -> Campaign:
    where = f"{run / 'search.nc'} attribute config_toml"
    c = parse_campaign(
        str(ds.attrs.get("config_toml", "")), source=where, files=config_files(ds, where)
    )
    c = c.with_overrides(
        seed=int(ds.attrs["seed_entropy"], 16), block_size=int(ds.attrs["block_size"])
    )
    if c.config_sha256 != ds.attrs["config_sha256"]:
        raise SchemaError(f"{where}: not the campaign the search ran (config_sha256 differs)")
    return c


def _design_lines(campaign: Campaign, pick: str) -> list[str]:
    """The design the search picked (the baseline when none), without the campaign's
    sweep or the run report's decision rule: the search's rule follows below."""
    sc = next((s for s in campaign.optimize_scenarios if s.name == pick), None)
    shown = campaign if sc is None else replace(campaign, base=sc.design, scenarios=(sc,))
    shown = replace(shown, sweep=None, swings=None)
    lines = describe_design(shown) + describe_question(shown)
    head = [f"design        {pick} (the pick)" if sc is not None else "design        the baseline"]
    return head + [
        line.replace(f"  [scenario {pick}]", "")
        for line in lines
        if not line.startswith(("target ", "sweep ", "  scenario "))
    ]


def write_search_report(run_dir: str | Path, *, out_dir: str | Path | None = None) -> Path:
    """Write the report of the search in ``run_dir`` (to ``out_dir``, default the search
    directory); return the path of ``report.html``."""
    run = Path(run_dir)
    ds = open_search(run)
    campaign = _campaign(ds, run)
    out = Path(out_dir) if out_dir is not None else run
    (out / "figures").mkdir(parents=True, exist_ok=True)
    fig = Figure(figsize=(7.0, 4.2), layout="constrained")
    plots.search_trade(ds, ax=fig.add_subplot())
    png = plots.save_figure(fig, out / "figures" / "search.png", "png")
    plots.save_figure(fig, out / "figures" / "search.svg", "svg")
    evidence = search_evidence(ds)
    a = ds.attrs
    context = {
        "title": f"Design search: {campaign.name}",
        "pick": a.get("pick", ""),
        "evidence": [e for e in evidence if not e.startswith("Warning: ")],
        "warnings": [e.removeprefix("Warning: ") for e in evidence if e.startswith("Warning: ")],
        "description": campaign.description,
        "design": "\n".join(_design_lines(campaign, a.get("pick", ""))),
        "rows": search_rows(ds),
        "rank_by": a["rank_by"],
        "png": base64.b64encode(png).decode(),
        "provenance": [
            ("campaign", str(a.get("campaign"))),
            ("config hash (sha256)", str(a.get("config_sha256"))),
            ("seed", str(int(str(a["seed_entropy"]), 16))),
            ("block size", str(a.get("block_size"))),
            ("designs in the space", str(ds.sizes["design"])),
            ("rounds", str(a.get("rounds"))),
            (
                "trials run",
                f"{a['trials_run']:,} (every design at the last look: {a['full_grid_trials']:,})",
            ),
            ("engine", str(a.get("engine"))),
            ("created", str(a.get("created_at"))),
        ],
        "rerun": shlex.join(
            [
                "reliability",
                "optimize",
                str(run / "campaign.toml"),
                "--seed",
                str(int(str(a["seed_entropy"]), 16)),
                "--block-size",
                str(a["block_size"]),
            ]
        ),
    }
    md = jinja2.Environment(autoescape=False, keep_trailing_newline=True).from_string(_MD)
    html = jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string(_HTML)
    atomic_write(out / "report.md", lambda tmp: Path(tmp).write_text(md.render(**context)))
    atomic_write(out / "report.html", lambda tmp: Path(tmp).write_text(html.render(**context)))
    return out / "report.html"
