"""The design-review report: decision numbers, figures, determinism, a real browser."""

import dataclasses
import math
import shutil
import subprocess
from pathlib import Path

import netCDF4
import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib import image
from scipy import stats

from reliability.campaign import CampaignError, Target, parse_campaign, tornado
from reliability.cli import main
from reliability.decision import decide, design_cost, paired_differences
from reliability.report import write_report
from reliability.runner import run_campaign
from tests.conftest import campaign_text

SWEEP = '[sweep]\n"cluster.node.spares.cold" = [0, 1, 3]'
COST = "[cost]\nnode = { mass_kg = 2.0, usd = 1000 }"


def _text(rest="", target="0.995", trials=200):
    return campaign_text(
        trials=trials,
        mission="4000 h",
        time_step="400 h",
        campaign_extra=(
            f'target = {{ metric = "availability", at_least = {target}, confidence = 0.8 }}'
        ),
        failures='{ law = "exponential", mean = "800 h" }',
        cluster='node = { n = 12, k = 10, spares = { cold = 1, swap = "12 h" } }',
        rest=rest + "\n" + COST,
    )


@pytest.fixture(scope="module")
def swept_run(tmp_path_factory):
    run = tmp_path_factory.mktemp("swept") / "run"
    c = parse_campaign(_text(SWEEP), source="swept.toml")
    run_campaign(c, n_workers=0, out_dir=run)
    return run, c


@pytest.fixture(scope="module")
def plain_run(tmp_path_factory):
    run = tmp_path_factory.mktemp("plain") / "run"
    c = parse_campaign(_text(), source="plain.toml")
    run_campaign(c, n_workers=0, out_dir=run)
    return run, c


def test_decision_numbers_equal_the_dataset(swept_run):
    run, c = swept_run
    from reliability.results import open_result

    ds = open_result(run)
    d = decide(ds, c)
    assert [r.scenario for r in d.rows] == ["cold=0", "cold=1", "cold=3"]
    for r, spares in zip(d.rows, (0, 1, 3), strict=True):
        x = ds["availability"].sel(scenario=r.scenario).values
        n = x.size
        assert r.mean.value == pytest.approx(x.mean(), rel=1e-12)
        half = stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / math.sqrt(n)
        assert r.mean.low == pytest.approx(x.mean() - half, rel=1e-9)
        assert r.p05 == pytest.approx(np.quantile(x, 0.05))
        k = int((x >= 0.995).sum())
        assert r.p_meet.value == pytest.approx(k / n)
        z = stats.norm.ppf(0.975)
        centre = (k / n + z**2 / (2 * n)) / (1 + z**2 / n)
        width = z / (1 + z**2 / n) * math.sqrt(k / n * (1 - k / n) / n + z**2 / (4 * n**2))
        assert r.p_meet.low == pytest.approx(centre - width, rel=1e-9)
        assert r.meets == (r.p_meet.low >= 0.8)
        assert r.margin == pytest.approx(r.p_meet.low - 0.8)
        assert r.cost == {"mass_kg": 2.0 * (12 + spares), "usd": 1000.0 * (12 + spares)}
    meeting = [r for r in d.rows if r.meets]
    if meeting:
        cheapest = min(meeting, key=lambda r: r.cost["mass_kg"])
        assert d.recommended == cheapest.scenario and "Recommended" in d.statement
    else:
        assert d.recommended is None and "No design meets" in d.statement


def test_an_impossible_target_names_the_closest(swept_run):
    run, c = swept_run
    from reliability.results import open_result

    ds = open_result(run)
    d = decide(ds, c, Target(metric="availability", at_least=1.0, confidence=0.999))
    assert d.recommended is None
    best = max(d.rows, key=lambda r: r.p_meet.low)
    assert d.closest == best.scenario and "No design meets" in d.statement
    assert design_cost(c.scenarios[2].design) == {"mass_kg": 30.0, "usd": 15000.0}
    # cold spares draw no power; warm ones do
    power = dataclasses.replace(c.scenarios[2].design, costs=(("node", (("power_w", 10.0),)),))
    assert design_cost(power) == {"power_w": 120.0}
    levels = list(power.levels)
    levels[-1] = dataclasses.replace(
        levels[-1],
        spares=dataclasses.replace(levels[-1].spares, kind="warm", dormant_mttf_h=1e5),
    )
    assert design_cost(dataclasses.replace(power, levels=tuple(levels))) == {"power_w": 150.0}


@pytest.mark.parametrize("which", ["swept", "plain"])
def test_figures_are_written_with_and_without_sweeps(which, swept_run, plain_run, tmp_path):
    run, _ = swept_run if which == "swept" else plain_run
    out = tmp_path / "rep"
    write_report(run, out_dir=out)
    names = {p.name for p in (out / "figures").iterdir()}
    for fig in ("ecdf", "capacity_fan", "downtime_by_cause"):
        assert {f"{fig}.png", f"{fig}.svg"} <= names
    has_trade = any(n.startswith("trade_") for n in names)
    assert has_trade == (which == "swept")
    md = (out / "report.md").read_text()
    assert "## Decision table" in md and "config hash" in md and "reliability run" in md
    # the design first, in the words validate uses, and the run's main numbers
    assert (
        md.index("## Design evaluated")
        < md.index("## Results summary")
        < md.index("## Decision table")
    )
    assert "node         10-of-12" in md and "| availability |" in md
    html = (out / "report.html").read_text()
    assert html.count("data:image/png;base64,") == len(names) // 2


def test_regenerated_reports_are_byte_identical(swept_run, tmp_path):
    run, _ = swept_run
    a, b = tmp_path / "a", tmp_path / "b"
    write_report(run, out_dir=a)
    write_report(run, out_dir=b)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) >= 10
    for f in files:
        assert (a / f).read_bytes() == (b / f).read_bytes(), f


def test_cli_report_and_compare(swept_run, tmp_path):
    run, _ = swept_run
    r = CliRunner().invoke(main, ["report", str(run), "--out", str(tmp_path / "r")])
    assert r.exit_code == 0, r.output
    other = tmp_path / "other"
    text = _text(SWEEP).replace("seed = 1", "seed = 2")
    run_campaign(parse_campaign(text, source="o.toml"), n_workers=0, out_dir=other)
    r = CliRunner().invoke(main, ["compare", str(run), str(run)])
    assert r.exit_code == 0 and "paired" in r.output
    r = CliRunner().invoke(main, ["compare", str(run), str(other)])
    assert r.exit_code == 0 and "independent" in r.output
    from reliability.results import open_result

    a, b = open_result(run), open_result(other)
    (_, est, paired), *_ = paired_differences(a, b)
    assert not paired
    diff = b["availability"].isel(scenario=0).mean() - a["availability"].isel(scenario=0).mean()
    assert est.value == pytest.approx(float(diff))


def test_compare_pairs_the_trials_two_runs_share(tmp_path):
    # a trial's key depends on its block and its place there, not on the run's length:
    # 100 and 60 trials in blocks of 40 share their first 60 trials
    from reliability.results import open_result

    text = _text(SWEEP).replace("seed = 1", "seed = 1\nblock_size = 40")
    runs = []
    for n in (100, 60):
        c = parse_campaign(text.replace("trials = 200", f"trials = {n}"), source="t.toml")
        run_campaign(c, n_workers=0, out_dir=tmp_path / str(n))
        runs.append(open_result(tmp_path / str(n)))
    a, b = runs
    np.testing.assert_array_equal(a["availability"].values[:60], b["availability"].values)
    (_, est, paired), *_ = paired_differences(a, b)
    assert paired and est.n == 60 and est.value == 0.0
    r = CliRunner().invoke(main, ["compare", str(tmp_path / "100"), str(tmp_path / "60")])
    assert r.exit_code == 0 and "paired: the first 60 trials of 100 / 60" in r.output


def test_availability_and_reliability_curves_draw_the_estimates(swept_run):
    from reliability import plots
    from reliability.results import open_result

    ds = open_result(swept_run[0])
    s = ds["scenario"].values[0]
    up = plots.point_availability(ds).get_lines()[0].get_ydata()
    np.testing.assert_allclose(up, ds["system_up"].sel(scenario=s).values.mean(axis=0))
    r = plots.reliability_curve(ds).get_lines()[0].get_ydata()
    ttff = ds["time_to_first_failure_h"].sel(scenario=s).values
    t = ds["time"].values[3]
    assert r[4] == pytest.approx(np.mean(np.isnan(ttff) | (ttff > t)))
    assert r[0] == 1.0 and (np.diff(r) <= 0).all()


def test_the_requirement_arithmetic_uses_the_pick_numbers(swept_run):
    from reliability.decision import requirement_arithmetic
    from reliability.results import open_result

    run, c = swept_run
    ds = open_result(run)
    d = decide(ds, c)
    name = d.recommended or d.closest
    row = next(r for r in d.rows if r.scenario == name)
    x = ds["availability"].sel(scenario=name).values
    text = requirement_arithmetic(d, ds)
    assert f"{int((x >= 0.995).sum())} of {x.size} missions reached 0.995" in text[1]
    assert f"margin is {row.margin:+.4f}" in text[1]
    q = np.quantile(x, 0.2)
    assert f"20% quantile of its missions is {q:.6g}" in text[2]
    window = 4000.0
    assert f"against {0.005 * window:.4g} h allowed" in text[2]
    no_target = decide(ds, c, None)
    assert requirement_arithmetic(dataclasses.replace(no_target, target=None), ds) == []


def test_a_forged_result_gets_no_report(swept_run, tmp_path):
    run, _ = swept_run
    forged = tmp_path / "forged"
    shutil.copytree(run, forged)
    with netCDF4.Dataset(forged / "result.nc", "a") as nc:
        nc.setncattr("config_toml", nc.getncattr("config_toml").replace('"t"', '"forged"'))
    r = CliRunner().invoke(main, ["report", str(forged), "--out", str(tmp_path / "r")])
    assert r.exit_code == 2, r.output
    (line,) = r.stderr.strip().splitlines()
    assert "result.nc: attribute 'config_toml' does not match" in line, line
    assert not (tmp_path / "r").exists()


def test_a_resealed_forgery_of_the_campaign_text_is_found(swept_run, tmp_path):
    """Someone edits config_toml, its sha256 and the checksum: the text no longer gives
    the configuration hash the run recorded."""
    import hashlib

    from reliability.results.integrity import seal

    run, _ = swept_run
    forged = tmp_path / "forged"
    shutil.copytree(run, forged)
    with netCDF4.Dataset(forged / "result.nc", "a") as nc:
        text = nc.getncattr("config_toml").replace('"t"', '"forged"')
        nc.setncattr("config_toml", text)
        nc.setncattr("config_toml_sha256", hashlib.sha256(text.encode()).hexdigest())
    seal(forged / "result.nc")
    r = CliRunner().invoke(main, ["report", str(forged), "--out", str(tmp_path / "r")])
    assert r.exit_code == 2, r.output
    (line,) = r.stderr.strip().splitlines()
    assert "result.nc attribute config_toml: gives configuration" in line, line
    assert "not the campaign it ran" in line, line


BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(BROWSER is None, reason="no headless Chromium on this machine")
def test_html_report_renders_in_headless_chromium(swept_run, tmp_path):
    run, _ = swept_run
    html = write_report(run, out_dir=tmp_path / "rep")
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1200,6000",
            f"--screenshot={shot}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pixels = image.imread(shot)[..., :3]
    assert pixels.shape[0] >= 2000 and pixels.shape[1] >= 1100
    # the figures are drawn: seaborn's first colour (31, 119, 180) is on screen
    blue = np.abs(pixels - np.array([31, 119, 180]) / 255).max(axis=2) < 0.03
    assert blue.sum() > 500
    # the decision table rows and the recommendation box are drawn (non-white text)
    assert (pixels.mean(axis=2) < 0.5).sum() > 2000


def test_one_at_a_time_swings_draw_a_tornado(tmp_path):
    swings = (
        '[swings]\n"cluster.node.spares.cold" = [0, 3]\n'
        '"units.node.failures[0].mean" = ["600 h", "1000 h"]'
    )
    c = parse_campaign(_text(swings, trials=100), source="swing.toml")
    names = [sc.name for sc in c.scenarios]
    assert names == ["baseline", "cold=0", "cold=3", "mean=600 h", "mean=1000 h"]
    assert dict(c.scenarios[2].settings) == {"cluster.node.spares.cold": 3}
    run = tmp_path / "run"
    ds = run_campaign(c, n_workers=0, out_dir=run)
    # common random numbers: the baseline and its swings share trials slot by slot
    base = ds["availability"].sel(scenario="baseline")
    assert float(abs(ds["availability"].sel(scenario="cold=3") - base).mean()) < 0.05
    out = tmp_path / "rep"
    write_report(run, out_dir=out)
    assert (out / "figures" / "tornado.svg").exists()
    with pytest.raises(CampaignError, match="no \\[swings\\] table"):
        tornado(parse_campaign(_text(SWEEP), source="x.toml"))


def test_a_sweep_and_its_swings_run_apart(tmp_path):
    """A campaign may carry both tables: a run does the sweep and says how to run the
    swings; `run --swings` runs them (resumable), and its report draws the tornado."""
    swings = '[swings]\n"units.node.failures[0].mean" = ["600 h", "1000 h"]'
    both = tmp_path / "both.toml"
    both.write_text(_text(SWEEP + "\n" + swings, trials=40))
    c = parse_campaign(both.read_text(), source=str(both))
    assert [sc.name for sc in c.scenarios] == ["cold=0", "cold=1", "cold=3"]
    t = tornado(c)
    assert [sc.name for sc in t.scenarios] == ["baseline", "mean=600 h", "mean=1000 h"]
    assert t.sweep is None and t.config_sha256 != c.config_sha256
    # editing the swings leaves the sweep's configuration (and its resume) alone
    edited = parse_campaign(both.read_text().replace('"1000 h"]', '"1200 h"]'), source="b")
    assert edited.config_sha256 == c.config_sha256
    assert tornado(edited).config_sha256 != t.config_sha256
    alone = parse_campaign(_text(swings, trials=40))  # the same designs as swings alone
    assert [sc.design for sc in t.scenarios] == [sc.design for sc in alone.scenarios]
    cli = CliRunner()
    r = cli.invoke(main, ["run", str(both), "--workers", "0", "--out", str(tmp_path / "s")])
    assert r.exit_code == 0, r.output
    r = cli.invoke(main, ["report", str(tmp_path / "s")])
    assert r.exit_code == 0, r.output
    text = (tmp_path / "s" / "report.md").read_text()
    assert "`reliability run CAMPAIGN --swings` runs them" in text
    assert not (tmp_path / "s" / "figures" / "tornado.svg").exists()
    args = ["run", str(both), "--swings", "--workers", "0", "--out", str(tmp_path / "w")]
    r = cli.invoke(main, args)
    assert r.exit_code == 0, r.output
    assert "mean=600 h" in r.output and "cold=3" not in r.output
    (tmp_path / "w" / "result.nc").unlink()  # resumed from its parts as the swings study
    r = cli.invoke(main, ["run", "--resume", str(tmp_path / "w"), "--workers", "0"])
    assert r.exit_code == 0, r.output
    r = cli.invoke(main, ["report", str(tmp_path / "w")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "w" / "figures" / "tornado.svg").exists()


def _sweep_campaign(values):
    text = campaign_text(
        cluster='node = { n = 12, k = 10, spares = { cold = 1, swap = "12 h" } }',
        rest=f'[sweep]\n"cluster.node.spares.cold" = {values}',
    )
    return parse_campaign(text)


def test_the_pick_at_the_edge_or_past_a_coarse_step_is_flagged():
    from reliability.decision import pick_warnings

    c = _sweep_campaign([0, 4, 8])
    names = [sc.name for sc in c.scenarios]  # in sweep order: 0, 4, 8 spares
    coarse = pick_warnings(c, dict(zip(names, [False, False, True], strict=True)), names[2])
    assert len(coarse) == 1 and "Coarse step" in coarse[0], coarse
    assert "= 4 fails and 8 meets; values 5 to 7 were not tried" in coarse[0]
    two = _sweep_campaign([0, 2, 4])
    names2 = [sc.name for sc in two.scenarios]
    (one,) = pick_warnings(two, dict(zip(names2, [False, False, True], strict=True)), names2[2])
    assert "= 2 fails and 4 meets; the value 3 was not tried" in one, one
    edge = pick_warnings(c, dict(zip(names, [True, True, True], strict=True)), names[0])
    assert len(edge) == 1 and "lowest cluster.node.spares.cold swept (0)" in edge[0], edge
    fine = _sweep_campaign([0, 1, 2])
    names = [sc.name for sc in fine.scenarios]
    assert pick_warnings(fine, dict(zip(names, [False, True, True], strict=True)), names[1]) == []
    assert pick_warnings(fine, dict(zip(names, [False, False, False], strict=True)), None) == []


def test_without_costs_the_pick_is_not_called_the_cheapest(tmp_path):
    text = _text(SWEEP, target="0.06").replace(COST, "")
    c = parse_campaign(text)
    ds = run_campaign(c, n_workers=0, out_dir=tmp_path / "run")
    d = decide(ds, c)
    assert d.recommended is not None
    assert "cheapest" not in d.statement and "no [cost] given" in d.statement, d.statement
    write_report(tmp_path / "run")
    md = (tmp_path / "run" / "report.md").read_text()
    assert "cheapest" not in md.split("## Design evaluated")[0]


def test_the_report_opens_with_the_design_and_its_assumptions(swept_run, tmp_path):
    run, _ = swept_run
    out = tmp_path / "rep"
    write_report(run, out_dir=out)
    md = (out / "report.md").read_text()
    order = [
        md.index(h)
        for h in (
            "## At a glance",
            "## Assumptions and evidence",
            "## Design evaluated",
            "## Decision table",
            "## Sensitivity",
        )
    ]
    assert order == sorted(order)
    assert "- Cluster: node 10-of-12 (+1 cold spares each)" in md
    # the test campaign tags nothing: the report says so, and what to run for a tornado
    assert "tags none of its own numbers" in md
    assert '"units.node.failures[0].mean" = ["16.67 d", "66.67 d"]' in md
    assert "run it with --swings" in md


def _screenshot(html, tmp_path, name):
    shot = tmp_path / f"{name}.png"
    subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / ('profile-' + name)}",
            "--window-size=1200,6000",
            f"--screenshot={shot}",
            html.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return image.imread(shot)[..., :3]


@pytest.mark.slow
@pytest.mark.skipif(BROWSER is None, reason="no headless Chromium on this machine")
@pytest.mark.parametrize(
    ("campaign", "trials", "figures"),
    [
        (
            "campaigns/demo.toml",
            100,
            [
                "requirement_cluster.gpu.spares.cold",
                "shortfall_ecdf",
                "point_availability",
                "reliability_curve",
                "throughput",
                "spare_stock",
                "criticality",
            ],
        ),
        (
            "campaigns/constellation-10y.toml",
            40,
            [
                "shortfall_ecdf",
                "point_availability",
                "reliability_curve",
                "group_spare_stock",
                "criticality",
            ],
        ),
    ],
    ids=["demo", "constellation-10y"],
)
def test_shipped_reports_render_in_headless_chromium(campaign, trials, figures, tmp_path):
    from reliability.campaign import load_campaign

    c = load_campaign(campaign).with_overrides(trials=trials)
    run = tmp_path / "run"
    run_campaign(c, n_workers=0, out_dir=run)
    html = write_report(run)
    text = html.read_text()
    for section in (
        'id="recommendation"',
        'id="glance"',
        'id="assumptions"',
        'id="decision"',
        'id="sensitivity"',
        'id="criticality"',
    ):
        assert section in text, section
    for name in figures:
        assert (run / "figures" / f"{name}.svg").is_file(), name
    assert 'class="placeholder"' in text  # the placeholders are marked
    pixels = _screenshot(html, tmp_path, c.name)
    blue = np.abs(pixels - np.array([31, 119, 180]) / 255).max(axis=2) < 0.03
    assert blue.sum() > 500  # figures drawn
    amber = np.abs(pixels - np.array([0xFF, 0xF6, 0xE5]) / 255).max(axis=2) < 0.01
    assert amber.sum() > 1000  # placeholder rows (and warnings) highlighted


def test_a_tie_on_cost_is_named_in_the_recommendation(tmp_path):
    swings = '[sweep]\n"units.node.failures[0].mean" = ["800 h", "900 h"]'
    c = parse_campaign(_text(swings, target="0.0", trials=100), source="tie.toml")
    ds = run_campaign(c, n_workers=0)
    d = decide(ds, c)
    assert d.recommended is not None
    assert "which it shares with" in d.statement and "highest probability" in d.statement


def test_designs_tied_without_a_cost_are_named_as_tied():
    """With no [cost] and several designs meeting with the same probability, the
    first in the sweep is named as such, not as if it had won (new-user walk: the
    shielding sweep recommended 2 mm or 8 mm as its list was ordered)."""
    sweep = '[sweep]\n"units.node.failures[0].mean" = ["8000 h", "9000 h"]'
    text = _text(sweep, target="0.0", trials=40).replace(COST, "")
    c = parse_campaign(text, source="tie.toml")
    d = decide(run_campaign(c, n_workers=0), c)
    assert [r.p_meet.value for r in d.rows] == [1.0, 1.0]
    assert d.recommended == "mean=8000 h"
    assert "shared with mean=9000 h: nothing tells them apart" in d.statement
    text = _text('[sweep]\n"units.node.failures[0].mean" = ["9000 h"]', target="0.0")
    c = parse_campaign(text.replace(COST, ""), source="one.toml")
    assert "shared with" not in decide(run_campaign(c, n_workers=0), c).statement


def test_a_rare_event_swings_run_is_reported(tmp_path):
    """run --swings of a rare-event campaign (importance sampling) records its study,
    so its report reads it back against its own configuration."""
    from reliability.campaign import load_campaign

    text = Path("campaigns/rare-constellation.toml").read_text()
    small = tmp_path / "rare.toml"
    small.write_text(text.replace("cycles = 600000", "cycles = 20000"))
    c = tornado(load_campaign(small))
    run = tmp_path / "run"
    ds = run_campaign(c, n_workers=0, out_dir=run)
    assert ds.attrs["swings"]
    write_report(run, out_dir=tmp_path / "rep")
    assert (tmp_path / "rep" / "report.md").exists()
