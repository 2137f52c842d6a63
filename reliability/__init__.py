"""Monte Carlo reliability and radiation-fault analysis for AI compute clusters in orbit.

Describe a cluster in a TOML campaign file, run it, and get availability and
capacity distributions as an xarray Dataset:

>>> import reliability
>>> campaign = reliability.load_campaign("campaigns/demo.toml")  # doctest: +SKIP
>>> ds = reliability.run_campaign(campaign, n_workers=0)  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reliability.campaign import Campaign, CampaignError, load_campaign, parse_campaign
    from reliability.results import SchemaError, assert_schema, open_result
    from reliability.runner import run_campaign
    from reliability.system import compile_plan

# Loaded on first use: ``import reliability`` (and the command line, which can then
# catch Ctrl-C from its very start) does not pay for numpy, xarray and numba up front.
_WHERE = {
    "Campaign": "reliability.campaign",
    "CampaignError": "reliability.campaign",
    "load_campaign": "reliability.campaign",
    "parse_campaign": "reliability.campaign",
    "SchemaError": "reliability.results",
    "assert_schema": "reliability.results",
    "open_result": "reliability.results",
    "run_campaign": "reliability.runner",
    "compile_plan": "reliability.system",
}

__all__ = (
    # campaign files
    "Campaign",
    "CampaignError",
    # results
    "SchemaError",
    "assert_schema",
    # compile and run
    "compile_plan",
    "load_campaign",
    "open_result",
    "parse_campaign",
    "run_campaign",
)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'reliability' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
