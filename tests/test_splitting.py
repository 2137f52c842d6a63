"""Fixed-effort splitting against exact answers, crude Monte Carlo, and the runner."""

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from reliability.campaign import CampaignError, parse_campaign
from reliability.engine import levels, simulate
from reliability.runner import local_client, run_campaign
from reliability.splitting import _spread, split_replicate, summarise_split
from reliability.system import compile_plan
from tests.conftest import campaign_text

Z = 4.0


def plan_of(**kw):
    return compile_plan(parse_campaign(campaign_text(**kw)).base).arrays


def replicates(plan, n, effort, entropy=1):
    seeds = [np.random.SeedSequence(entropy, spawn_key=(b,)) for b in range(n)]
    return [split_replicate(plan, s, effort) for s in seeds]


@pytest.mark.parametrize(
    ("cluster", "expected"),
    [
        ("node = { n = 12, k = 10 }", 3),
        ("sat = { n = 4, k = 3 }\nnode = { n = 8, k = 6 }", 6),
        (
            "sat = { n = 3, k = 1 }\nnode = { n = 4, k = 4 }\ngpu = { n = 2, k = 1, unit = 'node' }",
            6,
        ),
    ],
)
def test_levels_are_the_failures_needed_to_bring_the_system_down(cluster, expected):
    assert levels(plan_of(cluster=cluster)) == expected


def test_weibull_without_repair_matches_the_binomial_tail():
    """k-of-n with independent Weibull lives: failed by T iff n - k + 1 units have."""
    T, scale = 500.0, 5000.0
    plan = plan_of(
        mission=f"{T} h",
        time_step=f"{T} h",
        failures=f'{{ law = "weibull", shape = 2.5, scale = "{scale} h" }}',
        cluster="node = { n = 6, k = 4 }",
    )
    p = 1 - math.exp(-((T / scale) ** 2.5))
    exact = stats.binom.sf(2, 6, p)  # 6.25e-7
    s = summarise_split(replicates(plan, 30, 500), T)
    x = s["failure_probability"]
    se = s["failure_probability_re"] * x
    assert abs(x - exact) <= Z * se, (x, exact, se)
    # 45,000 trajectories in all; as many crude missions would give a relative error of 6
    assert s["failure_probability_re"] < 0.25
    assert s["level_p"].min() > 0 and s["level_p"].max() <= 1


def test_splitting_and_crude_agree_with_fixed_repairs_and_spares():
    """Where crude Monte Carlo still works: a design with a fixed repair, cold spares
    and servicing visits, which importance sampling cannot take."""
    kw = {
        "mission": "3000 h",
        "time_step": "1000 h",
        "failures": '{ name = "a", law = "weibull", shape = 1.5, mean = "900 h", repair = "60 h" }',
        "cluster": 'node = { n = 5, k = 3, spares = { cold = 1, swap = "30 h" } }',
        "rest": '[maintenance]\nservicing = { every = "1000 h", duration = "10 h", '
        "system_down = false }",
    }
    plan = plan_of(**kw)
    crude = simulate(plan, 9, 40_000)
    failed = ~np.isnan(crude.time_to_first_failure_h)
    p_crude = failed.mean()
    se_crude = math.sqrt(p_crude * (1 - p_crude) / failed.size)
    unplanned = crude.downtime_h - crude.planned_downtime_h
    s = summarise_split(replicates(plan, 30, 400, entropy=2), 3000.0)
    se_split = s["failure_probability_re"] * s["failure_probability"]
    assert abs(s["failure_probability"] - p_crude) <= Z * math.hypot(se_crude, se_split)
    u_crude = unplanned / 3000.0
    se_u = math.hypot(
        u_crude.std(ddof=1) / math.sqrt(u_crude.size), s["unavailability_re"] * s["unavailability"]
    )
    assert abs(s["unavailability"] - u_crude.mean()) <= Z * se_u


def test_a_replicate_depends_on_its_seed_only():
    plan = plan_of(cluster="node = { n = 4, k = 3 }", mission="2000 h")
    a = split_replicate(plan, 3, 100)
    b = split_replicate(plan, 3, 100)
    c = split_replicate(plan, 4, 100)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    assert a["failure"][0] != c["failure"][0]


def test_clones_are_spread_evenly_over_entrance_states():
    rng = np.random.default_rng(0)
    counts = np.bincount(_spread(rng, 7, 100), minlength=7)
    assert counts.sum() == 100 and counts.min() == 14 and counts.max() == 15


def test_effort_too_large_for_memory_is_refused():
    with pytest.raises(ValueError, match="saved states of one stage would take"):
        split_replicate(plan_of(), 1, 10**9)


SPLIT = """
[campaign]
name = "split"
mission = "1000 h"
trials = 10
seed = 4
time_step = "1000 h"
method = "splitting"
[rare_event]
effort = 200
replicates = 6
[units.node]
failures = [{ law = "weibull", shape = 2.0, scale = "20000 h", repair = "100 h" }]
[cluster]
node = { n = 8, k = 6 }
"""


@pytest.mark.slow
def test_runner_on_worker_processes_matches_in_process_and_resumes(tmp_path):
    from reliability.results import assert_schema, open_result

    c = parse_campaign(SPLIT.replace("20000 h", "5000 h"), source="split.toml")
    run = tmp_path / "run"
    here = run_campaign(c, n_workers=0, out_dir=run)
    assert here.attrs["method"] == "splitting"
    assert float(here["failure_probability"][0]) > 0
    assert_schema(here)
    with local_client(2) as client:
        there = run_campaign(c, client=client)
    np.testing.assert_array_equal(
        here["replicate_failure_probability"].values, there["replicate_failure_probability"].values
    )
    parts = sorted((run / "parts").iterdir())
    assert len(parts) == 6
    parts[2].unlink()  # killed before this replicate was stored
    parts[4].write_bytes(b"torn")
    again = run_campaign(c, n_workers=0, out_dir=run, resume=True)
    np.testing.assert_array_equal(
        here["replicate_downtime_h"].values, again["replicate_downtime_h"].values
    )
    back = open_result(run)
    np.testing.assert_array_equal(
        back["level_probability"].values, here["level_probability"].values
    )


def test_expectations_must_match_the_method():
    bad = SPLIT + '[verify]\ncase = "x"\nexpect = [{ metric = "availability", exact = 0.5 }]\n'
    with pytest.raises(CampaignError, match=r"verify.expect\[0\].metric = 'availability'"):
        parse_campaign(bad, source="split.toml")
    crude = SPLIT.replace('method = "splitting"', 'method = "crude"')
    crude += '[verify]\ncase = "x"\nexpect = [{ metric = "failure_probability", exact = 0.5 }]\n'
    with pytest.raises(CampaignError, match="what a splitting run estimates"):
        parse_campaign(crude, source="split.toml")


def test_report_of_a_splitting_run_that_saw_no_failure(tmp_path):
    """Too rare for its effort: the estimate is 0, and the report says so without
    drawing a log axis of nothing."""
    from reliability.report import write_report

    c = parse_campaign(SPLIT, source="split.toml")
    ds = run_campaign(c, n_workers=0, out_dir=tmp_path)
    assert float(ds["failure_probability"][0]) == 0.0
    write_report(tmp_path)
    md = (tmp_path / "report.md").read_text()
    assert "fixed-effort splitting" in md and "effective replicates" in md
    assert (tmp_path / "figures" / "levels.svg").exists()


def test_validate_describes_the_splitting_run():
    from click.testing import CliRunner

    from reliability.cli import main

    path = Path(__file__).resolve().parent.parent / "campaigns" / "rare-ageing.toml"
    out = CliRunner().invoke(main, ["validate", str(path)])
    assert out.exit_code == 0, out.output
    assert "fixed-effort splitting: 10, 12 levels, 4000 trajectories per stage" in out.output


def test_compare_splitting_runs_and_refuse_a_crude_one(tmp_path):
    from click.testing import CliRunner

    from reliability.cli import main

    text = SPLIT.replace("20000 h", "5000 h")
    run_campaign(parse_campaign(text), n_workers=0, out_dir=tmp_path / "a")
    other = text.replace("seed = 4", "seed = 5")
    run_campaign(parse_campaign(other), n_workers=0, out_dir=tmp_path / "b")
    crude = text.replace('method = "splitting"', 'method = "crude"')
    run_campaign(parse_campaign(crude), n_workers=0, out_dir=tmp_path / "c")
    runner = CliRunner()
    ok = runner.invoke(main, ["compare", str(tmp_path / "a"), str(tmp_path / "b")])
    assert ok.exit_code == 0, ok.output
    assert "unavailability B - A" in ok.output and "independent" in ok.output
    bad = runner.invoke(main, ["compare", str(tmp_path / "a"), str(tmp_path / "c")])
    assert bad.exit_code != 0
    assert "run A used splitting and run B crude" in bad.output
    assert "Traceback" not in bad.output
