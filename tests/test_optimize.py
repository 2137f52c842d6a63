"""`reliability optimize`: the search on the engine, its run directory and command."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from click.testing import CliRunner
from scipy import linalg, stats

from reliability.campaign import load_campaign, parse_campaign
from reliability.cli import main
from reliability.runner import local_client
from reliability.runner.optimize import optimize_campaign

DATA = Path(__file__).parent / "data"
EXACT = DATA / "optimize_exact.toml"
VARIABLES = ["trials", "p_meet", "p_meet_low", "p_meet_high", "verdict", "looks", "cost"]


def _satellite_survival(n: int, k: int, spares: int, rate: float, t: float) -> float:
    """P(a k-of-n group with ``spares`` cold spares swapped in at once outlives ``t``):
    the pure-death chain of failures, rate n*rate until the spares are gone."""
    m = spares + n - k + 1  # the failure that brings the group down
    q = np.zeros((m + 1, m + 1))
    for f in range(m):
        up = n if f <= spares else n - (f - spares)
        q[f, f + 1], q[f, f] = up * rate, -up * rate
    return 1.0 - linalg.expm(q * t)[0, m]


def _exact_availability_one(spares: int) -> float:
    """P(availability >= 1) of tests/data/optimize_exact.toml: 3 of 4 satellites
    outlive 3 years, each 14 of 16 GPUs (mean life 8 y) with ``spares`` cold spares."""
    r = _satellite_survival(16, 14, spares, 1 / 8, 3.0)
    return float(stats.binom.sf(2, 4, r))


def _values(ds: xr.Dataset) -> dict:
    """What a search decided, comparable with == (NaN as None)."""

    def plain(x):
        return None if isinstance(x, float) and math.isnan(x) else x

    return {v: [plain(x) for x in ds[v].values.tolist()] for v in VARIABLES} | {
        a: ds.attrs[a] for a in ("pick", "trials_run", "rounds", "warnings")
    }


@pytest.fixture(scope="module")
def exact_search():
    return optimize_campaign(load_campaign(EXACT), n_workers=0)


def test_the_oracle_has_one_right_answer():
    r = [_exact_availability_one(s) for s in range(13)]
    assert r[6] == pytest.approx(0.9041, abs=1e-4) and r[7] == pytest.approx(0.9689, abs=1e-4)
    assert all(np.diff(r) > 0)


def test_finds_the_true_cheapest_design_with_fewer_trials_than_the_grid(exact_search):
    ds = exact_search
    truth = min(s for s in range(13) if _exact_availability_one(s) >= 0.95)
    assert ds.attrs["pick"] == f"cold={truth}"
    assert ds.attrs["trials_run"] < ds.attrs["full_grid_trials"] / 5
    for s in range(13):
        verdict = str(ds["verdict"].values[s])
        r = _exact_availability_one(s)
        if verdict in ("meets", "fails") or ds["trials"].values[s] > 0:
            # each estimate agrees with the exact value (4 SE)
            n = int(ds["trials"].values[s])
            se = math.sqrt(max(r * (1 - r), 1e-4) / n)
            assert abs(float(ds["p_meet"].values[s]) - r) < 4 * se, s
        if verdict == "meets":
            assert r >= 0.95 - 1e-9 or s > truth
        if s < truth:
            assert verdict in ("fails", "implied", "undecided"), s


def test_the_record_holds_every_design_and_the_evidence(exact_search):
    ds = exact_search
    assert ds.sizes["design"] == 13
    assert list(ds["cluster.gpu.spares.cold"].values) == list(range(13))
    assert ds["cost_mass_kg"].values[0] == 4 * 16 * 3.0
    assert ds.attrs["paired_against"] == "cold=6"
    diff = json.loads(ds.attrs["paired_p_meet_difference"])
    assert diff[1] > 0  # the pick beats its strongest cheaper rival on the same trials
    assert json.loads(ds.attrs["looks_trials"]) == [250, 500, 1000, 2000, 4000, 8000]
    assert set(ds["verdict"].values[8:]) <= {"meets", "not run"}


def test_resume_replays_the_search_to_the_same_pick(tmp_path, exact_search):
    run = tmp_path / "opt"
    first = optimize_campaign(load_campaign(EXACT), out_dir=run, n_workers=0)
    assert _values(first) == _values(exact_search)
    # a killed search: the record and half its blocks lost
    (run / "search.nc").unlink()
    parts = sorted((run / "parts").glob("*.nc"))
    for p in parts[::2]:
        p.unlink()
    c = load_campaign(run / "campaign.toml")
    again = optimize_campaign(c, out_dir=run, n_workers=0, resume=True)
    assert _values(again) == _values(first)
    with xr.open_dataset(run / "search.nc") as stored:
        assert _values(stored.load()) == _values(first)


def test_a_run_directory_is_not_an_optimize_directory(tmp_path):
    run = tmp_path / "opt"
    optimize_campaign(load_campaign(EXACT), out_dir=run, n_workers=0)
    r = CliRunner().invoke(main, ["run", "--resume", str(run)])
    assert r.exit_code == 2
    assert "reliability optimize --resume" in r.stderr


def test_cli_prints_the_table_the_pick_and_the_evidence(tmp_path):
    out = tmp_path / "o"
    r = CliRunner().invoke(main, ["optimize", str(EXACT), "--workers", "0", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "cold=7" in r.stdout and "<- pick" in r.stdout
    assert "union bound" in r.stdout and "common random numbers" in r.stdout
    assert (out / "search.nc").is_file()
    again = CliRunner().invoke(main, ["optimize", "--resume", str(out), "--workers", "0"])
    assert again.exit_code == 0, again.output
    assert again.stdout.split("\n", 1)[1] == r.stdout.split("\n", 1)[1]  # but the time


def test_cli_without_an_optimize_table_is_one_line(tmp_path):
    r = CliRunner().invoke(main, ["optimize", "campaigns/demo.toml", "--workers", "0"])
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and "has no [optimize] table" in r.stderr


def test_no_design_meets_says_so_and_names_the_closest():
    text = EXACT.read_text().replace("max = 12", "max = 3")
    ds = optimize_campaign(parse_campaign(text), n_workers=0)
    assert ds.attrs["pick"] == ""
    warnings = json.loads(ds.attrs["warnings"])
    assert any("no design of the space meets" in w for w in warnings)


def test_a_pick_at_the_first_value_warns_that_the_space_may_be_too_narrow():
    text = EXACT.read_text().replace("min = 0, max = 12", "min = 8, max = 12")
    ds = optimize_campaign(parse_campaign(text), n_workers=0)
    assert ds.attrs["pick"] == "cold=8"
    assert any("first value" in w for w in json.loads(ds.attrs["warnings"]))


@pytest.mark.slow
def test_a_dask_cluster_reaches_the_same_search(exact_search):
    with local_client(2) as client:
        ds = optimize_campaign(load_campaign(EXACT), client=client)
    assert _values(ds) == _values(exact_search)


def test_report_of_a_search_names_the_pick_and_regenerates_byte_identical(tmp_path):
    run = tmp_path / "opt"
    optimize_campaign(load_campaign(EXACT), out_dir=run, n_workers=0)
    r = CliRunner().invoke(main, ["report", str(run)])
    assert r.exit_code == 0, r.output
    md = (run / "report.md").read_text()
    assert md.startswith("# Design search: optimize-exact\n\nPick: cold=7")
    assert "| cold=6 | 264 | 250 |" in md and "fails" in md
    assert "union bound" in md and "common random numbers" in md
    first = {p.name: p.read_bytes() for p in [run / "report.md", run / "report.html"]}
    CliRunner().invoke(main, ["report", str(run)])
    assert first == {p.name: p.read_bytes() for p in [run / "report.md", run / "report.html"]}
    assert (run / "figures" / "search.svg").is_file()


@pytest.mark.slow
def test_the_new_user_study_finds_what_a_fine_sweep_confirms():
    """Issue 17: on the 8-satellite study a coarse 0/2/4/8 sweep picks 8 spares per
    satellite; the search picks the count that a fine sweep shows to be the cheapest
    meeting the requirement (4 fails, 5 meets, at 2,000 trials each)."""
    import dataclasses

    from reliability.decision import decide
    from reliability.runner import run_campaign

    study = load_campaign("campaigns/spares-optimize.toml")
    found = optimize_campaign(study, n_workers=0)
    assert found.attrs["pick"] == "cold=5"
    fine = dataclasses.replace(
        study, scenarios=study.optimize_scenarios[4:6], trials=2000, precision=None
    )
    rows = {r.scenario: r for r in decide(run_campaign(fine, n_workers=0), fine).rows}
    assert rows["cold=4"].p_meet.high < 0.9 and rows["cold=5"].meets


def test_settings_that_could_never_be_searched_are_refused_when_read():
    from reliability.campaign import CampaignError

    text = EXACT.read_text()
    with pytest.raises(CampaignError, match=r"campaign.target.confidence = 1.0: a search"):
        parse_campaign(text.replace("confidence = 0.95", "confidence = 1.0"))
    unit = text.replace(
        "[cost]\ngpu = { mass_kg = 3.0 }",
        '[units.tpu]\nfailures = [{ law = "exponential", mean = "8 y" }]\n'
        "[cost]\ngpu = { mass_kg = 3.0 }",
    ).replace("min = 0, max = 12 }", 'min = 0, max = 1 }, "cluster.gpu.unit" = ["gpu", "tpu"]')
    with pytest.raises(CampaignError, match=r"optimize.rank_by = 'mass_kg': design \[cold=0, "):
        parse_campaign(unit)
    with pytest.raises(CampaignError, match="slo_attainment needs a serving"):
        parse_campaign(text.replace('metric = "availability"', 'metric = "slo_attainment"'))
