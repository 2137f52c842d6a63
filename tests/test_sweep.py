"""Design sweeps: the grid becomes the scenario dimension, with common random numbers."""

import math
from pathlib import Path

import numpy as np
import pytest

from reliability.campaign import CampaignError, load_campaign, parse_campaign, tornado
from reliability.runner import run_campaign
from tests.conftest import campaign_text

SPARES = 'node = { n = 12, k = 10, crews = 1, spares = { cold = 0, swap = "24 h" } }'


def sweep_campaign(**kw):
    rest = kw.pop("rest", '[sweep]\n"cluster.node.spares.cold" = [0, 1, 2, 4]')
    return parse_campaign(campaign_text(cluster=SPARES, rest=rest, **kw), source="s.toml")


def test_grid_is_the_cartesian_product():
    c = sweep_campaign(
        rest='[sweep]\n"cluster.node.spares.cold" = [0, 2]\n'
        '"units.node.failures[0].mean" = ["1000 h", "2000 h", "4000 h"]'
    )
    assert [s.name for s in c.scenarios][:3] == [
        "cold=0, mean=1000 h",
        "cold=0, mean=2000 h",
        "cold=0, mean=4000 h",
    ]
    assert len(c.scenarios) == 6
    assert c.scenarios[5].design.levels[0].spares.count == 2
    assert c.scenarios[5].design.units[0].failures[0].life.p1 == 4000.0


@pytest.mark.parametrize(
    ("rest", "message"),
    [
        (
            '[sweep]\n"cluster.node.k" = [10, 13]',
            r"cluster.node.k = 13: in scenario \[k=13\]: exceeds",
        ),
        ('[sweep]\n"campaign.trials" = [1, 2]', "cannot be swept"),
        ('[sweep]\n"cluster.node.spares.cold" = []', "non-empty list"),
        ('[sweep]\n"cluster.node.spares.cold" = [1, "2"]', "all of one kind"),
        ('[sweep]\n"cluster.node.spares.cold" = [1, 1]', "distinct"),
        ('[sweep]\n"units.node.failures[3].mean" = [1, 2]', r"failures\[3\] does not exist"),
        ('[sweep]\n"bad path!" = [1]', "not a key path"),
    ],
)
def test_bad_sweeps(rest, message):
    with pytest.raises(CampaignError, match=message):
        sweep_campaign(rest=rest)


def test_spares_sweep_rises_with_paired_intervals_narrower_than_unpaired():
    c = sweep_campaign(
        trials=400,
        mission="20000 h",
        time_step="2000 h",
        failures='{ law = "exponential", mean = "2000 h" }',
        rest='[maintenance]\nresupply = { every = "2000 h" }\n[sweep]\n'
        '"cluster.node.spares.cold" = [0, 1, 2, 4]',
    )
    ds = run_campaign(c, n_workers=0)
    assert ds.sizes["scenario"] == 4
    np.testing.assert_array_equal(ds["cluster.node.spares.cold"].values, [0, 1, 2, 4])
    a = ds.availability.values  # (trial, scenario)
    means = a.mean(axis=0)
    assert np.all(np.diff(means) > 0), means
    for s in range(3):
        paired = np.std(a[:, s + 1] - a[:, s], ddof=1) / math.sqrt(a.shape[0])
        unpaired = math.hypot(np.std(a[:, s], ddof=1), np.std(a[:, s + 1], ddof=1)) / math.sqrt(
            a.shape[0]
        )
        assert paired < unpaired


def test_each_scenario_matches_its_own_run():
    """A sweep scenario is exactly the design run on its own with the same seed, on the
    same engine (a paired sweep runs on per-unit clocks; a lone exponential design
    would run on counts unless asked)."""
    c = sweep_campaign(trials=20, mission="3000 h")
    ds = run_campaign(c, n_workers=0)
    assert ds.attrs["engine"] == "units"
    single = parse_campaign(
        campaign_text(
            trials=20,
            mission="3000 h",
            cluster=SPARES.replace("cold = 0", "cold = 2"),
            campaign_extra='engine = "units"',
        )
    )
    alone = run_campaign(single, n_workers=0)
    np.testing.assert_array_equal(ds.availability.values[:, 2], alone.availability.values[:, 0])


def test_switching_off_common_random_numbers_decouples_scenarios():
    base = {
        "trials": 200,
        "mission": "8760 h",
        "time_step": "876 h",
        "rest": '[sweep]\n"units.node.failures[0].mean" = ["1000 h", "1001 h"]',
    }
    crn = run_campaign(parse_campaign(campaign_text(**base)), n_workers=0)
    ind = run_campaign(
        parse_campaign(campaign_text(campaign_extra="common_random_numbers = false", **base)),
        n_workers=0,
    )
    a, b = crn.availability.values, ind.availability.values
    # almost the same design: near-identical under CRN, unrelated without
    assert np.corrcoef(a[:, 0], a[:, 1])[0, 1] > 0.95
    assert abs(np.corrcoef(b[:, 0], b[:, 1])[0, 1]) < 0.3
    assert crn.attrs["common_random_numbers"] == 1 and ind.attrs["common_random_numbers"] == 0


@pytest.mark.parametrize(
    "path",
    sorted((Path(__file__).parent.parent / "campaigns").glob("*.toml")),
    ids=lambda p: p.stem,
)
def test_every_shipped_campaign_swings_its_uncertain_inputs(path):
    """Issue 15: each shipped campaign carries [swings]; every swing moves its design
    away from the baseline (a path that changed nothing would draw an empty bar)."""
    c = tornado(load_campaign(path))
    assert c.swings is not None and c.scenarios[0].name == "baseline"
    assert len(c.scenarios) == 1 + sum(len(v) for v in c.swings.values)
    base = c.scenarios[0].design
    for sc in c.scenarios[1:]:
        assert sc.design != base, sc.name
