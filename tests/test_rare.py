"""Rare-event estimation: balanced failure biasing against exact chain solutions."""

import math

import numpy as np
import pytest

from reliability.rare import (
    MarkovDesign,
    estimate_gamma,
    estimate_unavailability,
    exact_gamma,
    exact_unavailability,
)
from tests.conftest import campaign_text

B13 = {1e-3: 4.861282e-2, 1e-4: 6.183674e-4, 1e-5: 6.320790e-6}


@pytest.mark.parametrize(("lam", "gamma"), list(B13.items()))
def test_exact_gamma_reproduces_b13(lam, gamma):
    d = MarkovDesign(levels=((12, 10),), lam=lam, mu=1 / 24, crews=1)
    assert exact_gamma(d) == pytest.approx(gamma, rel=1e-6)


def test_bfb_has_bounded_relative_error_on_b13():
    res = []
    for lam, gamma in B13.items():
        d = MarkovDesign(levels=((12, 10),), lam=lam, mu=1 / 24, crews=1)
        e = estimate_gamma(d, 77, 10000)
        assert abs(e.value - gamma) < 4 * e.se, (lam, e.value, gamma)
        assert e.ess > 1000 and e.max_weight_share < 0.01
        res.append(e.re_per_sample)
    assert max(res) / min(res) < 2.0  # flat as gamma falls from 5e-2 to 6e-6


def test_crude_and_importance_agree_where_crude_works():
    d = MarkovDesign(levels=((3, 2), (4, 3)), lam=5e-3, mu=1 / 24, crews=1)
    exact = exact_unavailability(d)
    crude, _ = estimate_unavailability(d, 3, 200_000, method="crude")
    bfb, _ = estimate_unavailability(d, 4, 20_000)
    # both unbiased; where failures are not rare, biasing buys nothing (nor is it used)
    for e in (crude, bfb):
        assert abs(e.value - exact) < 4 * e.se, (e.value, exact, e.se)


def test_independent_repair_and_the_steady_state_binomial():
    # one level, independent repair: units are independent, U = P(Bin(n, q) > n - k)
    lam, mu = 1e-3, 1 / 24
    d = MarkovDesign(levels=((5, 3),), lam=lam, mu=mu, crews=0)
    q = lam / (lam + mu)
    down = sum(math.comb(5, j) * q**j * (1 - q) ** (5 - j) for j in range(3, 6))
    assert exact_unavailability(d) == pytest.approx(down, rel=1e-9)
    e, cycle = estimate_unavailability(d, 9, 20_000)
    assert abs(e.value - down) < 4 * e.se
    assert cycle > 1 / (5 * lam)


def test_seeded_runs_repeat_exactly():
    d = MarkovDesign(levels=((12, 10),), lam=1e-4, mu=1 / 24, crews=1)
    a, b = estimate_gamma(d, 5, 500), estimate_gamma(d, 5, 500)
    assert a == b
    assert estimate_gamma(d, 6, 500) != a


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"levels": ((3, 4),)}, "1 <= k <= n"),
        ({"levels": ((3, 2),), "lam": -1.0}, "positive"),
        ({"levels": ((3, 2),), "crews": -1}, "crews"),
    ],
)
def test_design_validation(kwargs, message):
    base = {"lam": 1e-3, "mu": 0.1}
    with pytest.raises(ValueError, match=message):
        MarkovDesign(**{**base, **kwargs})


def test_estimator_validation():
    d = MarkovDesign(levels=((3, 2),), lam=1e-3, mu=0.1)
    with pytest.raises(ValueError, match="method"):
        estimate_gamma(d, 1, 10, method="splitting")
    with pytest.raises(ValueError, match="bias"):
        estimate_gamma(d, 1, 10, bias=1.0)
    assert np.isfinite(estimate_gamma(d, 1, 100).value)


RARE_CAMPAIGN = """
[campaign]
name = "rare"
mission = "1 y"
trials = 10
seed = 8
block_size = 20000
method = "{method}"

[rare_event]
cycles = 60000

[units.acc]
failures = [{{ law = "exponential", mean = "5000 h", repair = {{ law = "exponential", mean = "24 h" }} }}]

[cluster]
sat = {{ n = 4, k = 3 }}
acc = {{ n = 8, k = 6, crews = 1 }}
{extra}
"""


def _rare(method="importance", extra=""):
    from reliability.campaign import parse_campaign

    return parse_campaign(RARE_CAMPAIGN.format(method=method, extra=extra), source="rare.toml")


@pytest.mark.slow
def test_campaign_method_importance_matches_the_exact_chain(tmp_path):
    from reliability.report import write_report
    from reliability.results import open_result
    from reliability.runner import run_campaign

    c = _rare()
    ds = run_campaign(c, n_workers=0, out_dir=tmp_path / "run")
    exact = exact_unavailability(
        MarkovDesign(levels=((4, 3), (8, 6)), lam=2e-4, mu=1 / 24, crews=1)
    )
    u = float(ds["unavailability"].isel(scenario=0))
    se = float(ds["relative_error"].isel(scenario=0)) * u
    assert abs(u - exact) < 4 * se
    back = open_result(tmp_path / "run")
    assert back.attrs["method"] == "importance" and back.sizes["cycle"] == 60000
    html = write_report(tmp_path / "run", out_dir=tmp_path / "rep")
    assert "importance sampling" in html.read_text()


@pytest.mark.slow
def test_rare_runs_do_not_depend_on_workers(tmp_path):
    from reliability.runner import local_client, run_campaign

    c = _rare(extra='[sweep]\n"cluster.acc.crews" = [1, 2]')
    a = run_campaign(c, n_workers=0)
    with local_client(2) as client:
        b = run_campaign(c, client=client)
    np.testing.assert_array_equal(a["weighted_downtime_h"].values, b["weighted_downtime_h"].values)
    np.testing.assert_array_equal(a["unavailability"].values, b["unavailability"].values)


def test_method_needs_a_markovian_design():
    from reliability.campaign import CampaignError
    from reliability.runner import run_campaign

    weibull = RARE_CAMPAIGN.replace(
        'law = "exponential", mean = "5000 h"', 'law = "weibull", shape = 2, mean = "5000 h"'
    )
    from reliability.campaign import parse_campaign

    c = parse_campaign(weibull.format(method="importance", extra=""), source="w.toml")
    with pytest.raises(
        CampaignError, match=r"campaign.method = 'importance': importance sampling needs"
    ):
        run_campaign(c, n_workers=0)
    small = weibull.replace("cycles = 60000", "effort = 50\nreplicates = 2")
    auto = parse_campaign(small.format(method="auto", extra=""), source="w.toml")
    ds = run_campaign(auto, n_workers=0)
    assert ds.attrs["method"] == "splitting"  # not Markovian: splitting, not crude
    assert "unavailability" in run_campaign(_rare("auto"), n_workers=0)


def test_a_killed_rare_run_resumes_to_the_same_result(tmp_path):
    from reliability.runner import run_campaign

    c = _rare()
    run = tmp_path / "run"
    first = run_campaign(c, n_workers=0, out_dir=run)
    parts = sorted((run / "parts").iterdir())
    assert len(parts) == 3
    parts[1].unlink()  # as if killed before this block was stored
    parts[2].write_bytes(b"torn")  # and this one was cut short
    (run / "result.nc").unlink()
    again = run_campaign(c, n_workers=0, out_dir=run, resume=True)
    np.testing.assert_array_equal(
        first["weighted_downtime_h"].values, again["weighted_downtime_h"].values
    )
    assert float(first["unavailability"][0]) == float(again["unavailability"][0])


@pytest.mark.slow
def test_a_cycle_that_never_ends_is_stopped_in_one_line(tmp_path):
    """Failures 100x faster than one crew repairs: the system almost never returns to
    all-up, so a regenerative cycle would never end; its event budget stops it."""
    from click.testing import CliRunner

    from reliability.cli import main

    path = tmp_path / "endless.toml"
    path.write_text(
        campaign_text(
            campaign_extra='method = "importance"\nblock_size = 100',
            failures='{ law = "exponential", mean = "1 h", '
            'repair = { law = "exponential", mean = "100 h" } }',
            cluster="acc = { n = 20, k = 1, crews = 1 }",
        ).replace("[units.node]", "[units.acc]")
        + "\n[rare_event]\ncycles = 200\n"
    )
    r = CliRunner().invoke(main, ["run", str(path), "--workers", "0", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2, r.output
    (line,) = r.stderr.strip().splitlines()
    assert line.startswith("error: a regenerative cycle took more events than its budget"), line
