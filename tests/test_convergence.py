"""Precision targets: add blocks until the CI is tight enough, reproducibly."""

import numpy as np
import pytest

from reliability.campaign import CampaignError, parse_campaign
from reliability.runner import run_campaign
from tests.conftest import campaign_text


def precision_text(target, min_trials=200, max_trials=20000, metric="unavailability"):
    return campaign_text(mission="8760 h", campaign_extra="block_size = 100").replace(
        "trials = 100\n",
        f'precision = {{ metric = "{metric}", relative = {target}, '
        f"min_trials = {min_trials}, max_trials = {max_trials} }}\n",
    )


def test_converges_and_equals_a_fixed_run_of_that_length():
    c = parse_campaign(precision_text(0.05))
    ds = run_campaign(c, n_workers=0)
    assert ds.attrs["converged"] == 1
    n = ds.sizes["trial"]
    assert 200 < n <= 20000 and n % 100 == 0
    a = ds.availability.values[:, 0]
    half = 1.96 * a.std(ddof=1) / np.sqrt(n)
    assert half / (1 - a.mean()) <= 0.05 * 1.01
    fixed = run_campaign(
        parse_campaign(
            campaign_text(mission="8760 h", trials=n, campaign_extra="block_size = 100")
        ),
        n_workers=0,
    )
    np.testing.assert_array_equal(ds.availability.values, fixed.availability.values)


def test_stops_at_the_cap_and_says_not_converged():
    ds = run_campaign(parse_campaign(precision_text(0.001, max_trials=500)), n_workers=0)
    assert ds.attrs["converged"] == 0 and ds.sizes["trial"] == 500


def test_resumed_precision_run_matches(tmp_path):
    c = parse_campaign(precision_text(0.05))
    first = run_campaign(c, n_workers=0, out_dir=tmp_path)
    (tmp_path / "result.nc").unlink()
    again = run_campaign(c, n_workers=0, out_dir=tmp_path, resume=True)
    np.testing.assert_array_equal(first.availability.values, again.availability.values)


def test_a_precision_run_resumes_from_its_run_directory(tmp_path):
    """resume_campaign rebuilds the campaign of the run directory: a trial count that
    was never overridden must not replace the precision target (and its hash)."""
    from reliability.runner import resume_campaign

    c = parse_campaign(precision_text(0.05))
    first = run_campaign(c, n_workers=0, out_dir=tmp_path)
    back = resume_campaign(tmp_path)
    assert back.precision == c.precision and back.config_sha256 == c.config_sha256
    (tmp_path / "result.nc").unlink()
    again = run_campaign(back, n_workers=0, out_dir=tmp_path, resume=True)
    np.testing.assert_array_equal(first.availability.values, again.availability.values)


def test_trial_override_replaces_the_target():
    c = parse_campaign(precision_text(0.05)).with_overrides(trials=300)
    assert c.precision is None and c.trials == 300


def test_the_default_max_trials_stays_within_the_cap():
    """min_trials near the cap: the default max_trials (100 x min_trials) is capped
    rather than refused under a key the file does not have."""
    text = precision_text(0.05).replace(", max_trials = 20000", "")
    assert parse_campaign(text).precision.max_trials == 200 * 100
    big = text.replace("min_trials = 200", "min_trials = 10000000")
    assert parse_campaign(big).precision.max_trials == 100_000_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            precision_text(0.05).replace("[campaign]\n", "[campaign]\ntrials = 5\n"),
            "give trials or precision, not both",
        ),
        (precision_text(0.05, min_trials=500, max_trials=100), "is below min_trials"),
        (precision_text(0.0), "must be positive"),
        (precision_text(0.05, metric="luck"), "must be one of"),
    ],
)
def test_bad_precision(text, message):
    with pytest.raises(CampaignError, match=message):
        parse_campaign(text)
