"""Run directories: part files, resume, refusal of foreign or corrupt parts."""

import os
import signal
import subprocess
import sys
import time

import netCDF4
import numpy as np
import pytest
import xarray as xr

from reliability.campaign import parse_campaign
from reliability.results import open_result
from reliability.runner import resume_campaign, run_campaign
from tests.conftest import campaign_text

TEXT = campaign_text(
    trials=60,
    mission="5000 h",
    seed=5,
    campaign_extra="block_size = 10",
    rest='[sweep]\n"cluster.node.k" = [9, 10]',
)


@pytest.fixture(scope="module")
def campaign():
    return parse_campaign(TEXT)


@pytest.fixture(scope="module")
def reference(campaign):
    return run_campaign(campaign, n_workers=0)


def same(a, b):
    for name in ("availability", "capacity", "fault_count", "time_to_first_failure_h"):
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


def test_run_dir_holds_parts_manifest_and_result(campaign, reference, tmp_path):
    run_campaign(campaign, n_workers=0, out_dir=tmp_path)
    assert len(list((tmp_path / "parts").glob("*.nc"))) == 12
    assert (tmp_path / "manifest.json").exists() and (tmp_path / "campaign.toml").exists()
    same(open_result(tmp_path), reference)
    assert not list(tmp_path.rglob("*.tmp"))


def test_resume_computes_only_missing_blocks(campaign, reference, tmp_path):
    run_campaign(campaign, n_workers=0, out_dir=tmp_path)
    (tmp_path / "result.nc").unlink()
    for p in sorted((tmp_path / "parts").glob("*.nc"))[::3]:
        p.unlink()
    computed = []
    ds = run_campaign(
        campaign,
        n_workers=0,
        out_dir=tmp_path,
        resume=True,
        on_block=lambda done, total: computed.append(done),
    )
    # a first call at the start with the eight blocks read back, then the four deleted ones
    assert computed == [8, 9, 10, 11, 12]
    same(ds, reference)


def test_corrupt_and_foreign_parts_are_recomputed(campaign, reference, tmp_path):
    run_campaign(campaign, n_workers=0, out_dir=tmp_path)
    parts = sorted((tmp_path / "parts").glob("*.nc"))
    parts[0].write_bytes(parts[0].read_bytes()[:100])  # truncated
    with xr.open_dataset(parts[1]) as ds:
        foreign = ds.load()
    foreign.attrs["config_sha256"] = "0" * 64
    foreign.to_netcdf(parts[2])  # a part of another configuration in place of block 2
    ds = run_campaign(campaign, n_workers=0, out_dir=tmp_path, resume=True)
    same(ds, reference)


def test_a_value_changed_inside_a_part_is_found_and_recomputed(
    campaign, reference, tmp_path, caplog
):
    run_campaign(campaign, n_workers=0, out_dir=tmp_path)
    (tmp_path / "result.nc").unlink()
    part = sorted((tmp_path / "parts").glob("*.nc"))[3]
    with netCDF4.Dataset(part, "a") as nc:  # a valid file, one value changed
        nc.variables["availability"][4] = 0.25
    ds = run_campaign(campaign, n_workers=0, out_dir=tmp_path, resume=True)
    assert "does not match its content_sha256" in caplog.text
    assert part.name in caplog.text
    same(ds, reference)


def test_temporaries_of_a_killed_run_are_swept_on_resume(campaign, reference, tmp_path):
    run_campaign(campaign, n_workers=0, out_dir=tmp_path)
    (tmp_path / "result.nc").unlink()
    # what atomic_write leaves when the process is killed mid-write
    stale = [tmp_path / "parts" / ".s000-b00001.nc.k3j_x9.tmp", tmp_path / ".result.nc.q1.tmp"]
    for p in stale:
        p.write_bytes(b"half a file")
    same(run_campaign(campaign, n_workers=0, out_dir=tmp_path, resume=True), reference)
    assert not list(tmp_path.rglob("*.tmp"))


def test_odd_things_in_place_of_parts_are_recomputed(campaign, reference, tmp_path):
    """A part declaring a huge variable it never wrote (read before its shape was
    checked, it asked for terabytes), a folder and a FIFO in place of parts."""
    run_campaign(campaign, n_workers=0, out_dir=tmp_path)
    (tmp_path / "result.nc").unlink()
    parts = sorted((tmp_path / "parts").glob("*.nc"))
    with netCDF4.Dataset(parts[1], "a") as nc:
        nc.createDimension("junk", 10**12)
        nc.createVariable("junk", "f8", ("junk",), zlib=True)
    parts[2].unlink()
    parts[2].mkdir()
    parts[3].unlink()
    os.mkfifo(parts[3])
    same(run_campaign(campaign, n_workers=0, out_dir=tmp_path, resume=True), reference)
    assert all(p.is_file() for p in parts)


def test_refuses_to_mix_runs(campaign, tmp_path):
    run_campaign(campaign, n_workers=0, out_dir=tmp_path)
    with pytest.raises(FileExistsError, match="already holds a run"):
        run_campaign(campaign, n_workers=0, out_dir=tmp_path)
    other = campaign.with_overrides(seed=6)
    with pytest.raises(ValueError, match="another configuration"):
        run_campaign(other, n_workers=0, out_dir=tmp_path, resume=True)
    with pytest.raises(FileNotFoundError, match="nothing to resume"):
        run_campaign(campaign, n_workers=0, out_dir=tmp_path / "new", resume=True)


def test_a_run_is_resumed_only_by_the_library_that_started_it(campaign, reference, tmp_path):
    """Results depend on the seed and block size only: a block of another version of
    the model (another heap order, another physics) must not join this one's unseen
    (review: the 4-ary heap and the event shielding changed results, not the config)."""
    import json

    from reliability.runner.store import library_sha256

    run_campaign(campaign, n_workers=0, out_dir=tmp_path)
    manifest = tmp_path / "manifest.json"
    meta = json.loads(manifest.read_text())
    assert meta["library_sha256"] == library_sha256()
    (tmp_path / "result.nc").unlink()
    next((tmp_path / "parts").glob("*.nc")).unlink()
    manifest.write_text(json.dumps({**meta, "library_sha256": "0" * 64}))
    with pytest.raises(ValueError, match="started by another version of reliability"):
        run_campaign(campaign, n_workers=0, out_dir=tmp_path, resume=True)
    # a run directory from before the digest was recorded resumes as it did
    manifest.write_text(json.dumps({k: v for k, v in meta.items() if k != "library_sha256"}))
    same(run_campaign(campaign, n_workers=0, out_dir=tmp_path, resume=True), reference)


def test_resume_campaign_restores_overrides(campaign, tmp_path):
    c = campaign.with_overrides(trials=30, seed=77)
    run_campaign(c, n_workers=0, out_dir=tmp_path)
    back = resume_campaign(tmp_path)
    assert (back.trials, back.seed, back.config_sha256) == (30, 77, c.config_sha256)


@pytest.mark.slow
def test_killed_driver_resumes_to_the_same_result(tmp_path):
    """Kill a real `reliability run` midway (SIGKILL), resume it, compare with a clean run."""
    path = tmp_path / "long.toml"
    path.write_text(
        campaign_text(trials=400, mission="87600 h", seed=8, campaign_extra="block_size = 4")
    )
    run_dir = tmp_path / "run"
    cmd = [
        sys.executable,
        "-m",
        "reliability.cli",
        "run",
        str(path),
        "--workers",
        "0",
        "--quiet",
        "--out",
        str(run_dir),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while len(list((run_dir / "parts").glob("*.nc"))) < 10:
        assert proc.poll() is None, "the run finished before it could be killed"
        assert time.time() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list((run_dir / "parts").glob("*.nc")))
    assert 10 <= done_before < 200 and not (run_dir / "result.nc").exists()
    resumed = subprocess.run(
        [
            sys.executable,
            "-m",
            "reliability.cli",
            "run",
            "--resume",
            str(run_dir),
            "--workers",
            "0",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
    clean = run_campaign(parse_campaign(path.read_text()), n_workers=0)
    same(open_result(run_dir), clean)


def test_a_folder_that_is_not_a_run_directory_is_refused(campaign, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not empty and not a run directory"):
        run_campaign(campaign, n_workers=0, out_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # nothing written


def test_a_run_directory_being_written_is_refused_to_a_second_run(campaign, tmp_path):
    """One run writes to a run directory at a time: while its lock is held (by a run
    alive in another process), a --resume or a second run there is refused."""
    import fcntl

    run_campaign(campaign, n_workers=0, out_dir=tmp_path)
    (tmp_path / "result.nc").unlink()
    fd = os.open(tmp_path / ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as the live run holds it
        with pytest.raises(FileExistsError, match="another run is writing to it"):
            run_campaign(campaign, n_workers=0, out_dir=tmp_path, resume=True)
    finally:
        os.close(fd)
    run_campaign(campaign, n_workers=0, out_dir=tmp_path, resume=True)  # released: fine
    assert (tmp_path / "result.nc").is_file()


def test_a_run_keeps_the_data_files_its_campaign_names(tmp_path):
    # the imported SPENVIS file travels with the run and the result: resume and the
    # report read the copy, not the file next to the campaign (which may be gone)
    import shutil
    from pathlib import Path

    from reliability.campaign import load_campaign
    from reliability.report import write_report

    src = Path(__file__).parents[1] / "campaigns"
    (tmp_path / "data").mkdir()
    shutil.copy(src / "data" / "spenvis_sd2_550km_95deg.txt", tmp_path / "data")
    text = (src / "shielding.toml").read_text()
    (tmp_path / "c.toml").write_text(text.replace('time_step = "90 d"', 'time_step = "1 y"'))
    c = load_campaign(tmp_path / "c.toml").with_overrides(trials=4, block_size=2)
    assert [name for name, _ in c.files] == ["data/spenvis_sd2_550km_95deg.txt"]
    run = tmp_path / "run"
    ds = run_campaign(c, out_dir=run, n_workers=0)
    shutil.rmtree(tmp_path / "data")
    assert resume_campaign(run).config_sha256 == c.config_sha256
    assert "config_files" in ds.attrs
    html = write_report(run, out_dir=tmp_path / "rep")
    assert "spenvis_sd2_550km_95deg.txt" in Path(html).read_text()
    from reliability.campaign import CampaignError

    with pytest.raises(CampaignError, match="no such file"):
        load_campaign(tmp_path / "c.toml")
    # the report's rerun command names the run's campaign.toml: it reads the run's copy
    rerun = load_campaign(run / "campaign.toml")
    assert rerun.with_overrides(trials=4, block_size=2).config_sha256 == c.config_sha256
    assert dict(rerun.files) == dict(c.files)
