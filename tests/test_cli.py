import pytest
from click.testing import CliRunner

from reliability.cli import main
from reliability.results import open_result
from tests.conftest import campaign_text


@pytest.fixture
def cli():
    return CliRunner()


@pytest.fixture
def good(tmp_path):
    p = tmp_path / "good.toml"
    p.write_text(campaign_text(trials=40, campaign_extra="block_size = 20"))
    return p


def test_validate_prints_the_resolved_design(cli, good):
    r = cli.invoke(main, ["validate", str(good)])
    assert r.exit_code == 0, r.output
    assert "10-of-12" in r.output and "exponential(1000 h)" in r.output and "ok" in r.output


def test_validate_prints_derived_fault_rates(cli, tmp_path):
    p = tmp_path / "rad.toml"
    p.write_text(
        campaign_text(
            environment=(
                '[environment]\norbit = "sso-650"\nsolar = "min"\n'
                "spe_share = 0\ngcr_solar_ratio = 1\ntrapped_solar_ratio = 1"
            ),
            unit_extra=(
                'radiation = [{ class = "sdc", per_rad = 0.0588 }, '
                '{ class = "sefi", per_device_day = 0.01, saa_share = 0.5, spe_share = 0 }]'
            ),
        )
    )
    r = cli.invoke(main, ["validate", str(p)])
    assert r.exit_code == 0, r.output
    assert "sso-650" in r.output and "150 rad/y" in r.output
    sdc = next(line for line in r.output.splitlines() if line.strip().startswith("sdc"))
    sefi = next(line for line in r.output.splitlines() if line.strip().startswith("sefi"))
    # 0.0588 per rad at 150 rad/y is 8.82 per year, 97.5 % of it in SAA passes
    assert sdc.split()[4] == "8.82" and sdc.split()[5] == "97.5%" and sdc.split()[6] == "0.0%"
    assert sefi.split()[4] == "3.65" and sefi.split()[5] == "50.0%"


def test_validate_names_the_sources_of_device_presets(cli, tmp_path):
    p = tmp_path / "dev.toml"
    p.write_text(
        campaign_text(
            environment='[environment]\norbit = "sso-650"',
            unit_extra=(
                'radiation = [{ device = "tpu-v6e" }]\n'
                'memory = { device = "cots-sram", bits = 1e9, scrub = "1 h" }'
            ),
        )
    )
    r = cli.invoke(main, ["validate", str(p)])
    assert r.exit_code == 0, r.output
    assert "device tpu-v6e: [S] Google Suncatcher" in r.output
    assert "memory cots-sram: [V] Alsat-1" in r.output


def test_run_writes_result_and_summary(cli, good, tmp_path):
    out = tmp_path / "run"
    r = cli.invoke(
        main,
        ["run", str(good), "--workers", "0", "--out", str(out), "--trials", "30", "--seed", "9"],
    )
    assert r.exit_code == 0, r.output
    assert "availability" in r.output and "95% CI" in r.output
    ds = open_result(out)
    assert ds.sizes["trial"] == 30 and ds.attrs["seed_entropy"] == hex(9)
    assert (out / "campaign.toml").read_text() == good.read_text()


BAD = {
    "syntax.toml": ("[campaign\nname = 'x'", "TOML syntax error"),
    "unknown.toml": (
        campaign_text(campaign_extra="colour = 'red'"),
        "campaign.colour = 'red': unknown key",
    ),
    "k_gt_n.toml": (
        campaign_text(cluster="node = { n = 8, k = 9 }"),
        "cluster.node.k = 9: exceeds n = 8",
    ),
    "negative.toml": (
        campaign_text(failures='{ law = "exponential", mean = "1000 h", repair = "-24 h" }'),
        "units.node.failures[0].repair = '-24 h'",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
@pytest.mark.parametrize("command", ["validate", "run"])
def test_bad_files_give_one_line_and_exit_2(cli, tmp_path, name, command):
    text, message = BAD[name]
    p = tmp_path / name
    p.write_text(text)
    r = cli.invoke(main, [command, str(p), *(["--workers", "0"] if command == "run" else [])])
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {p}: ") and message in lines[0]
    assert "Traceback" not in r.output


def test_missing_file(cli, tmp_path):
    r = cli.invoke(main, ["validate", str(tmp_path / "nope.toml")])
    assert r.exit_code == 2 and "no such file" in r.stderr


def test_debug_shows_the_traceback(cli, tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(BAD["k_gt_n.toml"][0])
    r = cli.invoke(main, ["--debug", "validate", str(p)])
    assert r.exit_code != 0 and r.exception is not None


def test_verify_passes_and_fails(cli, tmp_path):
    exact = 1000 / 1024
    for name, value, code in (("right.toml", exact, 0), ("wrong.toml", exact - 0.01, 1)):
        p = tmp_path / name
        p.write_text(
            campaign_text(
                trials=200,
                mission="20000 h",
                cluster="node = { n = 1, k = 1 }",
                campaign_extra='warmup = "1000 h"',
                rest=f'[verify]\ncase = "{name}"\nexpect = [{{ metric = "availability", '
                f"exact = {value} }}]",
            )
        )
        r = cli.invoke(main, ["verify", str(p)])
        assert r.exit_code == code, r.output
        assert ("PASS" if code == 0 else "FAIL") in r.output


@pytest.mark.slow
def test_ctrl_c_ends_with_one_line_and_the_run_resumes(tmp_path):
    """Ctrl-C reaches every process of the terminal's group (driver and workers): the
    run ends with exit status 130 and one line naming the run directory and the
    --resume command, no traceback; --resume then completes the run."""
    import contextlib
    import os
    import signal
    import subprocess
    import sys
    import threading

    p = tmp_path / "long.toml"
    p.write_text(campaign_text(trials=2000, mission="87600 h", campaign_extra="block_size = 10"))
    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "reliability.cli"]
    env = dict(os.environ)
    seen = []
    with subprocess.Popen(
        [*cmd, "run", str(p), "--out", str(out), "--workers", "2"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,  # its own group, as a terminal's foreground job
    ) as proc:
        # a run that hangs (it once did, closing the cluster) fails the test instead
        # of holding CI: the whole group is killed, well before pytest's own timeout
        # (which would leave Popen's exit waiting on the hung run for good)
        killed = []

        def kill() -> None:
            killed.append(True)
            with contextlib.suppress(ProcessLookupError):  # it ended just now
                os.killpg(proc.pid, signal.SIGKILL)

        watchdog = threading.Timer(480, kill)
        watchdog.start()
        rest = ""
        try:
            for line in proc.stderr:
                seen.append(line)
                if line.startswith("block "):
                    os.killpg(proc.pid, signal.SIGINT)
                    break
            rest = proc.stderr.read()
            proc.wait()
        finally:
            watchdog.cancel()
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
    err = "".join(seen) + rest
    assert not killed, "still running after 480 s (killed):\n" + err
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Error" not in err and "Warning" not in err, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("interrupted:") and f"reliability run --resume {out}" in last
    done = subprocess.run(
        [*cmd, "run", "--resume", str(out), "--workers", "0", "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert open_result(out / "result.nc").sizes["trial"] == 2000


def test_progress_leaves_compiling_out_of_the_time_left(monkeypatch):
    """The time left is the geometric mean of the rates measured from the start of the
    computation (start-up counted as work) and from the first finished block (the
    rest of the first wave counted as free); compiling before either is left out."""
    from reliability import cli as cli_module

    now = [0.0]
    monkeypatch.setattr(cli_module.time, "perf_counter", lambda: now[0])
    progress = cli_module._Progress(quiet=True)
    progress(5, 105)  # computing starts at 0 s; 5 blocks were read back from a run
    now[0] = 8.0
    progress(6, 105)  # the first block (8 s: start-up and a block)
    now[0] = 8.1
    assert progress.eta(7, 105) == "estimating time left"  # the other worker's first
    now[0] = 18.0
    # from the start 18 s / 11 blocks, from the first 10 s / 10 blocks; 89 to go
    assert progress.eta(16, 105) == "~1 min 54 s left"  # sqrt(18 / 11 x 1) x 89 s
    assert progress.eta(105, 105) == "assembling the result"


def test_one_trial_prints_no_infinite_interval(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(campaign_text(trials=20))
    r = CliRunner().invoke(
        main, ["run", str(path), "--trials", "1", "--workers", "0", "--out", str(tmp_path / "r")]
    )
    assert r.exit_code == 0, r.output
    assert "inf]" not in r.output and "n/a (1 trial)" in r.output, r.output
    # the run's last lines: its result, and the command that reports it
    result, after = r.output.strip().splitlines()[-2:]
    assert result == f"result: {tmp_path / 'r' / 'result.nc'}"
    assert after == f"next: reliability report {tmp_path / 'r'}"
    r = CliRunner().invoke(main, ["report", str(tmp_path / "r")])
    assert r.exit_code == 0, r.output
    assert "inf]" not in (tmp_path / "r" / "report.md").read_text()
    # the result file printed is taken for its run; another file is refused in a line
    r = CliRunner().invoke(main, ["report", str(tmp_path / "r" / "result.nc")])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["report", str(path)])
    assert r.exit_code == 2 and "give the run directory" in r.output, r.output
