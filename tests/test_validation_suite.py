"""Every validation campaign reproduces its exact values (the same checks as
`reliability verify`, one test per campaign)."""

import pytest

from reliability.campaign import load_campaign
from reliability.runner import run_campaign
from reliability.verify import evaluate, format_table, validation_dir

pytestmark = pytest.mark.slow  # the whole module is a long check

FILES = sorted(validation_dir().glob("*.toml"))


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_validation_campaign(path):
    campaign = load_campaign(path)
    assert campaign.expectations, "a validation campaign must state exact values"
    ds = run_campaign(campaign, n_workers=0)
    checks = [evaluate(ds, e, campaign.case) for e in campaign.expectations]
    assert all(c.passed for c in checks), format_table(checks)
