"""Resource limits, unwritable outputs and hostile paths (issue 8)."""

import errno
import os
import re
import sys
from pathlib import Path

import pytest
import xarray as xr
from click.testing import CliRunner

from reliability.campaign import CampaignError, parse_campaign
from reliability.cli import main
from reliability.limits import (
    ResourceError,
    check_events,
    check_resources,
    estimate,
    event_budget,
    events_per_trial,
)
from reliability.results import SchemaError, open_result, write_result
from reliability.runner import default_run_dir, run_campaign
from reliability.system import compile_plan
from tests.conftest import campaign_text


def test_estimate_grows_with_block_and_grid(make_campaign):
    small = estimate(make_campaign(trials=100, time_step="100 h"))
    finer = estimate(make_campaign(trials=100, time_step="1 h"))
    assert finer.block_bytes > 50 * small.block_bytes
    assert finer.result_bytes > 20 * small.result_bytes
    assert "per block" in small.describe()


def test_a_block_that_does_not_fit_is_refused_with_a_suggestion(make_campaign):
    c = make_campaign(
        trials=100000, mission="10 y", time_step="1 h", campaign_extra="block_size = 100000"
    )
    with pytest.raises(ResourceError, match=r"campaign.block_size = 100000: .* use block_size"):
        check_resources(c)


def test_a_result_that_does_not_fit_is_refused(make_campaign, monkeypatch):
    monkeypatch.setenv("RELIABILITY_MAX_RESULT_GB", "0.001")
    c = make_campaign(trials=5000, time_step="1 h")
    with pytest.raises(ResourceError, match=r"campaign.time_step: the result would take"):
        run_campaign(c, n_workers=0)
    monkeypatch.setenv("RELIABILITY_MAX_RESULT_GB", "lots")
    with pytest.raises(ResourceError, match="expected a number of GB"):
        check_resources(c)


def test_too_many_blocks_are_refused(make_campaign):
    c = make_campaign(trials=200_000, campaign_extra="block_size = 1")
    with pytest.raises(ResourceError, match=r"200,000 blocks .* use block_size = 2 or more"):
        check_resources(c)


def test_memory_budgets_follow_the_machine(make_campaign, monkeypatch):
    from reliability import limits

    assert limits.machine_memory() > 0
    monkeypatch.setattr(limits, "machine_memory", lambda: 2**30)  # a 1 GiB machine
    block, result = limits.default_budgets(workers=2)
    assert block == pytest.approx(0.6 * 2**30 / 2)
    assert result == pytest.approx(0.6 * 2**30 / limits.DRIVER_PEAK)
    c = make_campaign(trials=20000, mission="2000 h", time_step="2 h")  # 327 MiB
    with pytest.raises(ResourceError, match=r"about 327\.4 MiB .* in 1\.0 GiB of memory"):
        check_resources(c)
    monkeypatch.setenv("RELIABILITY_MAX_RESULT_GB", "1")
    check_resources(c)


def test_events_per_trial_follow_the_failure_and_repair_rates(make_campaign):
    # 12 units failing once per 1000 h over 1000 h, each failure and its repair an event
    total, per_mode = events_per_trial(compile_plan(make_campaign().base))
    assert per_mode == pytest.approx([24.0])
    assert total == pytest.approx(24.0)
    c = make_campaign(
        failures='{ law = "exponential", mean = "1000 h" }',
        unit_extra='radiation = [{ class = "sdc", per_device_day = 2.4 }]',
    )
    # silent faults are one event each: 12 units x 0.1 per hour x 1000 h (no
    # environment: a constant rate)
    _, per_mode = events_per_trial(compile_plan(c.base))
    assert sum(per_mode) == pytest.approx(24.0 + 1200.0, rel=1e-9)
    assert "1,224 events per trial" in estimate(c).describe()


@pytest.mark.parametrize(
    ("failures", "unit_extra", "knob"),
    [
        (
            '{ law = "exponential", mean = "1 s", repair = "0 h" }',
            "",
            "units.node.failures[0] (node.mode0)",
        ),
        (
            (
                '{ name = "w", law = "weibull", shape = 2, mean = "9 y" }, '
                '{ name = "glitch", law = "fixed", mean = "1e-12 h", repair = "0 h" }'
            ),
            "",
            "units.node.failures[1] (node.glitch)",
        ),
        (
            '{ law = "exponential", mean = "9 y" }',
            (
                'radiation = [{ class = "sefi", per_device_day = 0.1, recover = "1 min" }, '
                '{ class = "sdc", per_device_day = 1e12 }]'
            ),
            "units.node.radiation[1] (node.sdc)",
        ),
    ],
    ids=["second-long-life", "picosecond-fixed-life", "silent-1e12-per-day"],
)
def test_endless_trials_are_refused_naming_the_process(make_campaign, failures, unit_extra, knob):
    c = make_campaign(
        failures=failures,
        unit_extra=unit_extra,
        environment='[environment]\norbit = "sso-650"',
        mission="1 y",
    )
    with pytest.raises(ResourceError, match=rf"^test.toml: {re.escape(knob)} fires about "):
        check_resources(c)
    with pytest.raises(ResourceError, match="RELIABILITY_MAX_EVENTS_PER_TRIAL"):
        run_campaign(c, n_workers=0)


def test_minimal_repair_of_an_ageing_mode_is_counted_by_its_cumulative_hazard(make_campaign):
    """Weibull shape 10, mean 1000 h, repaired in 1 s to its age: it fires (t/eta)^10
    times, 1.6e9 over a year, not 9 (= 8760 / 1000)."""
    c = make_campaign(
        mission="1 y",
        failures='{ law = "weibull", shape = 10, mean = "1000 h", repair = "1 s", renew = false }',
        cluster="node = { n = 4, k = 3 }",
    )
    with pytest.raises(ResourceError, match=r"fires about 1\.6e\+09 times per unit"):
        check_resources(c)
    renewed = make_campaign(
        mission="1 y",
        failures='{ law = "weibull", shape = 10, mean = "1000 h", repair = "1 s" }',
        cluster="node = { n = 4, k = 3 }",
    )
    check_resources(renewed)  # renewed at each repair: about 9 a unit


def test_the_event_budget_can_be_raised_and_is_checked(make_campaign, monkeypatch):
    c = make_campaign(failures='{ law = "exponential", mean = "1 h", repair = "1 h" }')
    plans = [compile_plan(c.base)]  # 12 x 1000 x 2 events
    check_events(c, plans)
    monkeypatch.setenv("RELIABILITY_MAX_EVENTS_PER_TRIAL", "1e4")
    assert event_budget() == 10_000
    with pytest.raises(ResourceError, match=r"about 24,000 events per trial, more than the 10,000"):
        check_events(c, plans)
    for bad in ("many", "0", "-5", "inf", "nan"):
        monkeypatch.setenv("RELIABILITY_MAX_EVENTS_PER_TRIAL", bad)
        with pytest.raises(ResourceError, match="RELIABILITY_MAX_EVENTS_PER_TRIAL = "):
            event_budget()


def test_a_sweep_names_the_scenario_past_the_budget(tmp_path):
    text = campaign_text(
        mission="1 y",
        failures='{ law = "exponential", mean = "100 h", repair = "1 h" }',
        rest='[sweep]\n"units.node.failures[0].mean" = ["100 h", "1 s"]',
    )
    c = parse_campaign(text, source="s.toml")
    with pytest.raises(ResourceError, match=r"\(scenario [^)]*1 s[^)]*\)"):
        check_events(c, [compile_plan(d) for d in c.designs])


def test_a_trial_past_its_budget_ends_the_run_in_one_line(tmp_path, monkeypatch):
    # a decreasing hazard renewed at every repair fails far more often early on than
    # its mean life says: the estimate passes, the kernel stops the trial
    p = tmp_path / "dfr.toml"
    p.write_text(
        campaign_text(
            mission="1 y",
            trials=4,
            failures='{ law = "weibull", shape = 0.1, mean = "1000 y", repair = "1 s", '
            "renew = true }",
            cluster="node = { n = 4, k = 3 }",
        )
    )
    monkeypatch.setenv("RELIABILITY_MAX_EVENTS_PER_TRIAL", "100")
    r = CliRunner().invoke(main, ["validate", str(p)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["run", str(p), "--workers", "0", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2, r.output
    (line,) = r.stderr.strip().splitlines()
    assert line.startswith("error: a trial took more events than its budget"), line
    assert not (tmp_path / "o" / "result.nc").exists()


def test_cli_refuses_an_oversized_design_in_one_line(tmp_path):
    p = tmp_path / "big.toml"
    p.write_text(campaign_text(trials=100000, mission="10 y", time_step="1 h"))
    r = CliRunner().invoke(main, ["run", str(p), "--workers", "0", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path / "o").exists()  # refused before anything was written


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0,
    reason="root and Windows ignore POSIX permissions (the EROFS test covers it)",
)
def test_read_only_output_folder_gives_a_clear_error(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text(campaign_text(trials=20))
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        r = CliRunner().invoke(
            main, ["run", str(p), "--workers", "0", "--out", str(locked / "run")]
        )
    finally:
        locked.chmod(0o700)
    assert r.exit_code == 2, r.output
    assert "Permission denied" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not list(locked.rglob("result.nc"))


def test_read_only_file_system_gives_a_clear_error(tmp_path, monkeypatch):
    """The same as above for any user (root ignores permissions): the file system
    refuses the run directory."""
    p = tmp_path / "c.toml"
    p.write_text(campaign_text(trials=20))
    target = tmp_path / "ro" / "run"
    real_mkdir = Path.mkdir

    def mkdir(self, *args, **kwargs):
        if str(self).startswith(str(tmp_path / "ro")):
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    r = CliRunner().invoke(main, ["run", str(p), "--workers", "0", "--out", str(target)])
    assert r.exit_code == 2, r.output
    assert "Read-only file system" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "ro").exists()


def test_disk_full_leaves_no_file_that_looks_complete(make_campaign, tmp_path, monkeypatch):
    ds = run_campaign(make_campaign(trials=10), n_workers=0)

    def full(self, path, *args, **kwargs):
        Path(path).write_bytes(b"CDF\x01partial")  # half-written, then the disk fills
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", full)
    target = tmp_path / "out" / "result.nc"
    with pytest.raises(OSError, match="No space left"):
        write_result(ds, target)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # the temporary file is gone too


def test_a_full_disk_reported_by_hdf5_is_one_line(make_campaign, tmp_path, monkeypatch):
    """netCDF4 reports a full disk as RuntimeError("NetCDF: HDF error")."""
    p = tmp_path / "c.toml"
    p.write_text(campaign_text(trials=20))

    def full(self, path, *args, **kwargs):
        Path(path).write_bytes(b"CDF\x01partial")
        raise RuntimeError("NetCDF: HDF error")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", full)
    r = CliRunner().invoke(main, ["run", str(p), "--workers", "0", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2, r.output
    (line,) = r.stderr.strip().splitlines()
    assert "could not be written (NetCDF: HDF error); is the disk full?" in line, line
    assert not list((tmp_path / "o").rglob("*.tmp"))


def test_a_result_declaring_a_huge_variable_is_refused_unread(make_campaign, tmp_path):
    import netCDF4

    path = write_result(run_campaign(make_campaign(trials=10), n_workers=0), tmp_path / "r.nc")
    original = path.read_bytes()
    with netCDF4.Dataset(path, "a") as nc:  # declared, never written: the file stays small
        nc.createDimension("junk", 10**12)
        nc.createVariable("junkvar", "f8", ("junk",), zlib=True)
    with pytest.raises(SchemaError, match=r"declares 7\.45e\+03 GiB of data"):
        open_result(path)
    path.write_bytes(original)
    with netCDF4.Dataset(path, "a") as nc:  # as a coordinate, which xarray reads at once
        nc.createDimension("junk", 10**12)
        nc.createVariable("junk", "f8", ("junk",), zlib=True)
    with pytest.raises(SchemaError, match=r"not a readable NetCDF result \(Unable to allocate"):
        open_result(path)


def test_truncated_result_file_is_refused(make_campaign, tmp_path):
    ds = run_campaign(make_campaign(trials=10), n_workers=0)
    path = write_result(ds, tmp_path / "result.nc")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SchemaError, match="not a readable NetCDF result"):
        open_result(path)
    r = CliRunner().invoke(main, ["verify", str(tmp_path / "none.toml")])
    assert r.exit_code == 2


def test_names_cannot_escape_the_output_folder(make_campaign, tmp_path):
    for name in ("../x", "/etc/x", "a/b", "..", "a b", "é", "x.y"):
        with pytest.raises(CampaignError, match=r"campaign\.name"):
            make_campaign(name=name)
    c = make_campaign(name="ok-name", rest='[sweep]\n"cluster.node.k" = [9, 10]')
    run = default_run_dir(c, tmp_path)
    assert run.resolve().is_relative_to(tmp_path.resolve())
    ds = run_campaign(c, n_workers=0, out_dir=run)
    # scenario labels are coordinates, never paths: parts are named by index
    parts = sorted(p.name for p in (run / "parts").iterdir())
    assert parts == ["s000-b00000.nc", "s001-b00000.nc"]
    assert list(ds["scenario"].values) == ["k=9", "k=10"]
