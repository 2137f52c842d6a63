"""Monte Carlo reliability and radiation-fault analysis for AI compute clusters in orbit.

Describe a cluster in a TOML campaign file, run it, and get availability and
capacity distributions as an xarray Dataset:

>>> import reliability
>>> campaign = reliability.load_campaign("campaigns/demo.toml")  # doctest: +SKIP
>>> ds = reliability.run_campaign(campaign, n_workers=0)  # doctest: +SKIP
"""

from __future__ import annotations

from reliability.campaign import Campaign, CampaignError, load_campaign, parse_campaign
from reliability.results import SchemaError, assert_schema, open_result
from reliability.runner import run_campaign
from reliability.system import compile_plan

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
