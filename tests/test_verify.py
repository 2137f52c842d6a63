import math

import pytest

from reliability.campaign import Expectation, parse_campaign
from reliability.runner import run_campaign
from reliability.verify import analytic_checks, evaluate, format_table, validation_dir
from tests.conftest import campaign_text


@pytest.fixture(scope="module")
def ds():
    c = parse_campaign(
        campaign_text(
            trials=400,
            mission="3000 h",
            time_step="500 h",
            failures='{ law = "exponential", mean = "1000 h" }',
            cluster="node = { n = 1, k = 1 }",
        )
    )
    return run_campaign(c, n_workers=0)


def test_reliability_and_mttf_checks(ds):
    ok = evaluate(ds, Expectation(metric="reliability", exact=math.exp(-0.5), at_h=500.0), "x")
    assert ok.passed and ok.label == "reliability(500 h)"
    bad = evaluate(ds, Expectation(metric="reliability", exact=0.4, at_h=500.0), "x")
    assert not bad.passed
    censored = evaluate(ds, Expectation(metric="mttf", exact=1000.0), "x")
    assert not censored.passed and "censored" in censored.note


def test_point_availability_needs_a_cell_end(ds):
    check = evaluate(
        ds, Expectation(metric="point_availability", exact=math.exp(-1.0), at_h=1000.0), "x"
    )
    assert check.passed
    with pytest.raises(ValueError, match="no time-grid cell ends at 750"):
        evaluate(ds, Expectation(metric="point_availability", exact=0.5, at_h=750.0), "x")


def test_table_lists_every_check(ds):
    checks = [
        evaluate(ds, Expectation(metric="availability", exact=v), "case")
        for v in (float(ds.availability.mean()), 0.1)
    ]
    text = format_table(checks)
    assert "PASS" in text and "FAIL" in text and "95% CI" in text
    # a published range shows as the range, not as its middle
    a = float(ds.availability.mean())
    ranged = evaluate(ds, Expectation(metric="availability", exact=0.5, low=0.0, high=1.0), "r")
    assert ranged.passed and ranged.kind == "range"
    assert "[0, 1]" in format_table([ranged]) and "0.5 " not in format_table([ranged])
    outside = evaluate(
        ds, Expectation(metric="availability", exact=0.5, low=a + 0.1, high=1.0), "r"
    )
    assert not outside.passed and "outside" in format_table([outside])


def test_validation_campaigns_cover_the_required_cases():
    cases = {f.stem for f in validation_dir().glob("*.toml")}
    for required in (
        "k10n12",
        "b1_single_unit",
        "b2_independent_repair",
        "b3a_two_crews",
        "b3b_one_crew",
        "b5_no_repair",
        "b6_servicing",
        "b6_weibull_replace_all",
        "b7_spares_cadence",
        "b8_weibull",
        "b11_weibull_fixed_repair",
        "b12_spares_s4_deterministic",
        "b12_spares_s4_poisson",
        "b14_time_varying",
        "r4_saa_thinning",
        "r5_secded_noscrub",
        "r6_secded_periodic_scrub",
        "r7_secded_random_scrub",
        "r12_sso650_tpu_rates",
    ):
        assert required in cases
    for f in validation_dir().glob("*.toml"):
        text = f.read_text()
        assert "exact" in text or "range" in text, f


def test_analytic_radiation_checks_pass_and_cover_cases_1_to_8():
    checks = analytic_checks()
    assert all(c.passed for c in checks), format_table([c for c in checks if not c.passed])
    assert {c.case for c in checks} == {f"R{i}" for i in range(1, 9)} | {
        "G1",
        "G2",
        "G3",
        "S1",
        "S2",
        "S3",
    }
    # every library route is checked against an independent form to 1e-6 at least once
    strict = {c.case for c in checks if c.note != "printed" and c.z <= 1e-6}
    assert strict >= {"R1", "R2", "R4", "R5", "R6", "R7", "R8"}
