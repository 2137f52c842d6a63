import math
from pathlib import Path

import pytest

from reliability.campaign import CampaignError, load_campaign, parse_campaign
from tests.conftest import campaign_text

ROOT = Path(__file__).resolve().parent.parent


def test_parse_resolves_units_and_defaults(make_campaign):
    c = make_campaign(mission="1 y", time_step="30 d")
    assert c.mission_h == 8760.0
    assert c.block_size == 100  # min(trials, 1000)
    assert c.base.age_while_down is True
    assert c.base.n_units == 12
    mode = c.base.units[0].failures[0]
    assert mode.restore == "repair" and mode.repair.law == "fixed" and mode.repair.p1 == 24.0


def test_weibull_mean_sets_scale(make_campaign):
    c = make_campaign(failures='{ law = "weibull", shape = 1.5, mean = "1000 h" }')
    law = c.base.units[0].failures[0].life
    assert math.isclose(law.p1, 1107.732167, rel_tol=1e-9)
    assert math.isclose(law.mean_h, 1000.0)
    assert c.base.units[0].failures[0].restore == "replace"


def test_lognormal_median_and_mean(make_campaign):
    c = make_campaign(failures='{ law = "lognormal", median = "100 h", sigma = 0.5 }')
    assert math.isclose(c.base.units[0].failures[0].life.p1, math.log(100))
    c = make_campaign(failures='{ law = "lognormal", mean = "100 h", sigma = 0.5 }')
    assert math.isclose(c.base.units[0].failures[0].life.mean_h, 100.0)


def test_config_hash_ignores_comments_but_not_values(make_campaign):
    a = parse_campaign(campaign_text() + "\n# a comment\n")
    b = parse_campaign(campaign_text())
    c = parse_campaign(campaign_text(seed=2))
    assert a.config_sha256 == b.config_sha256 != c.config_sha256


def test_overrides(make_campaign):
    c = make_campaign(trials=100).with_overrides(trials=10, seed=5)
    assert (c.trials, c.seed, c.block_size) == (10, 5, 10)
    with pytest.raises(CampaignError, match=r"campaign\.trials"):
        make_campaign().with_overrides(trials=0)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"cluster": "node = { n = 8, k = 9 }"}, r"cluster.node.k = 9: exceeds n = 8"),
        ({"cluster": "node = { n = 8, k = 0 }"}, r"cluster.node.k = 0: must be at least 1"),
        (
            {"failures": '{ law = "exponential", mean = "-5 h" }'},
            r"units.node.failures\[0\].mean = '-5 h': must be positive",
        ),
        (
            {"failures": '{ law = "exponential", mean = "1000 h", repair = "-1 h" }'},
            r"units.node.failures\[0\].repair = '-1 h': must be a finite duration",
        ),
        (
            {"failures": '{ law = "exponential", mean = "1000 h", colour = 1 }'},
            r"units.node.failures\[0\].colour = 1: unknown key",
        ),
        (
            {"failures": '{ law = "gamma", mean = "1000 h" }'},
            r"failures\[0\].law = 'gamma': must be one of",
        ),
        (
            {"failures": '{ law = "exponential", mean = "1000 h", profile = "nope" }'},
            r"profile = 'nope': no such profile",
        ),
        ({"mission": "soon"}, r"campaign.mission = 'soon': expected a duration"),
        ({"trials": 0}, r"campaign.trials = 0: must be at least 1"),
        ({"seed": -1}, r"campaign.seed = -1: must be an integer from 0"),
        ({"campaign_extra": 'warmup = "2000 h"'}, r"campaign.warmup = '2000 h': must be shorter"),
        ({"campaign_extra": "speed = 3"}, r"campaign.speed = 3: unknown key"),
        (
            {"cluster": 'node = { n = 12, k = 10, unit = "gpu" }'},
            r"cluster.node.unit = 'gpu': no such unit type",
        ),
        (
            {"cluster": 'rack = { n = 2, k = 1, unit = "node" }\nnode = { n = 2, k = 1 }'},
            r"cluster.rack.unit = 'node': only the last",
        ),
        (
            {"rest": '[maintenance]\nservicing = { every = "10 h", duration = "10 h" }'},
            r"maintenance.servicing.duration = '10 h': must be shorter than every",
        ),
        (
            {"rest": '[maintenance]\nresupply = { every = "10 h" }'},
            r"maintenance.resupply: resupply needs spares",
        ),
        (
            {"cluster": "node = { n = 2, k = 1, spares = { cold = 1, warm = 1 } }"},
            r"cluster.node.spares = .*: give exactly one of cold",
        ),
        ({"name": "../escape"}, r"campaign.name = '../escape': names use letters"),
    ],
)
def test_bad_values_name_the_key_path(kw, message):
    with pytest.raises(CampaignError, match=message) as info:
        parse_campaign(campaign_text(**kw), source="bad.toml")
    assert str(info.value).startswith("bad.toml: ")
    assert "\n" not in str(info.value)


def test_syntax_error_names_the_file():
    with pytest.raises(CampaignError, match=r"^x.toml: TOML syntax error"):
        parse_campaign("[campaign\nname = 1", source="x.toml")


def test_missing_tables():
    with pytest.raises(CampaignError, match="campaign: is required"):
        parse_campaign("[units.node]\nfailures = []")


def test_a_required_key_misspelt_is_named():
    text = campaign_text().replace('mean = "', 'maen = "', 1)
    with pytest.raises(CampaignError, match=r"mean: is required \('maen' given: a misspelling\?\)"):
        parse_campaign(text, source="t.toml")


def test_missing_file(tmp_path):
    with pytest.raises(CampaignError, match="no such file"):
        load_campaign(tmp_path / "nope.toml")


def test_non_utf8_file(tmp_path):
    p = tmp_path / "bin.toml"
    p.write_bytes(b"\xff\xfe[campaign]")
    with pytest.raises(CampaignError, match="not UTF-8"):
        load_campaign(p)


def test_nan_and_inf_are_refused():
    text = campaign_text(failures='{ law = "exponential", rate = nan }')
    with pytest.raises(CampaignError, match=r"rate = nan: must be finite"):
        parse_campaign(text)
    text = campaign_text(failures='{ law = "weibull", shape = inf, mean = "5 h" }')
    with pytest.raises(CampaignError, match=r"shape = inf: must be finite"):
        parse_campaign(text)


def test_repository_campaigns_load():
    files = sorted((ROOT / "campaigns").rglob("*.toml"))
    assert len(files) >= 15
    for f in files:
        load_campaign(f)


ENV = '[environment]\norbit = "sso-650"'


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        (
            {"unit_extra": 'radiation = [{ class = "gamma-ray", per_device_day = 1 }]'},
            r"units.node.radiation\[0\].class = 'gamma-ray': must be one of corrected, sdc",
        ),
        (
            {"unit_extra": 'radiation = [{ class = "sdc", per_device_day = 1, per_rad = 1 }]'},
            r"units.node.radiation\[0\] = \[\"per_rad\", \"per_device_day\"\]: give exactly one",
        ),
        (
            {"unit_extra": 'radiation = [{ class = "sdc", per_rad = 0.1 }]'},
            r"radiation\[0\].per_rad = 0.1: needs an \[environment\]",
        ),
        (
            {
                "unit_extra": 'radiation = [{ class = "sdc", per_device_day = -2 }]',
                "environment": ENV,
            },
            r"radiation\[0\].per_device_day = -2: must be at least 0",
        ),
        (
            {
                "unit_extra": 'radiation = [{ class = "sdc", per_device_day = 1, saa_share = 0.01 }]',
                "environment": ENV,
            },
            r"radiation\[0\].saa_share = 0.01: is below the SAA time fraction 0.07",
        ),
        (
            {"unit_extra": 'radiation = [{ class = "sdc", per_device_day = 1, recover = "1 h" }]'},
            r"radiation\[0\].recover: only transient faults recover \(effect = silent\)",
        ),
        (
            {
                "unit_extra": (
                    'radiation = [{ class = "tid", per_device_day = 1, destructive = 0.5 }]'
                ),
            },
            r"radiation\[0\].destructive: only a transient fault can destroy a share",
        ),
        (
            {
                "unit_extra": 'radiation = [{ class = "sdc", threshold_rad = 100 }]',
                "environment": ENV,
            },
            r"radiation\[0\].threshold_rad = 100: a dose threshold only applies to class tid",
        ),
        (
            {"unit_extra": 'radiation = [{ class = "sdc", per_bit_day = 1e-9 }]'},
            r"radiation\[0\].bits: is required",
        ),
        (
            {
                "unit_extra": (
                    'memory = { bits = 1e9, ecc = "none", scrub = "1 h", '
                    "upset = { per_bit_day = 1e-9 } }"
                )
            },
            r"units.node.memory.scrub = '1 h': scrubbing needs ECC",
        ),
        (
            {"unit_extra": "memory = { bits = 1e9, upset = { per_rad = 1e-9 } }"},
            r"units.node.memory.upset.per_rad = 1e-09: needs an \[environment\]",
        ),
        (
            {"environment": '[environment]\norbit = "mars"'},
            r"environment.orbit = 'mars': must be one of iss-400",
        ),
        (
            {"environment": '[environment]\norbit = "geo"\nsaa_fraction = 1.5'},
            r"environment.saa_fraction = 1.5: must be at most 1",
        ),
        (
            {"environment": '[environment]\norbit = "geo"\nshielding_cm = 3'},
            r"environment.shielding_cm = 3: unknown key",
        ),
        (
            {"environment": '[environment]\norbit = "iss-400"\nsaa_share = 0.01'},
            r"environment.saa_share = 0.01: is below the SAA time fraction",
        ),
    ],
)
def test_radiation_errors_name_the_key_path(make_campaign, kw, message):
    with pytest.raises(CampaignError, match=message):
        make_campaign(**kw)


def test_radiation_defaults(make_campaign):
    c = make_campaign(
        environment=ENV,
        unit_extra=(
            'radiation = [{ class = "sefi", per_rad = 2e-4 }, '
            '{ class = "sel", name = "latchup", per_device_day = 1e-4, destructive = 0.1 }]'
        ),
    )
    sefi, sel = c.base.units[0].radiation
    assert sefi.effect == "transient" and sefi.recover.p1 == pytest.approx(5 / 60)
    assert sel.name == "latchup" and sel.destructive == 0.1
    env = c.base.environment
    assert env.orbit == "sso-650" and env.dose_rad_per_y == 150.0
