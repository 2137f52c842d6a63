"""Resource limits, unwritable outputs and hostile paths (issue 8)."""

import errno
import os
import sys
from pathlib import Path

import pytest
import xarray as xr
from click.testing import CliRunner

from reliability.campaign import CampaignError
from reliability.cli import main
from reliability.limits import ResourceError, check_resources, estimate
from reliability.results import SchemaError, open_result, write_result
from reliability.runner import default_run_dir, run_campaign
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
