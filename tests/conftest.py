"""Shared helpers: small campaign texts built from a template."""

from __future__ import annotations

import pytest

from reliability.campaign import parse_campaign

BASE = """
[campaign]
name = "{name}"
mission = "{mission}"
trials = {trials}
seed = {seed}
time_step = "{time_step}"
{campaign_extra}

{environment}
[units.node]
failures = [{failures}]
{unit_extra}

[cluster]
{cluster}
{rest}
"""


def campaign_text(
    *,
    name="t",
    mission="1000 h",
    trials=100,
    seed=1,
    time_step="100 h",
    campaign_extra="",
    failures='{ law = "exponential", mean = "1000 h", repair = "24 h" }',
    cluster="node = { n = 12, k = 10 }",
    rest="",
    environment="",
    unit_extra="",
):
    return BASE.format(
        name=name,
        mission=mission,
        trials=trials,
        seed=seed,
        time_step=time_step,
        campaign_extra=campaign_extra,
        failures=failures,
        cluster=cluster,
        rest=rest,
        environment=environment,
        unit_extra=unit_extra,
    )


@pytest.fixture
def make_campaign():
    def make(**kw):
        return parse_campaign(campaign_text(**kw), source="test.toml")

    return make
