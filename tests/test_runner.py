"""Distribution on real Dask processes gives bit-identical results to a local run."""

import os
import re
import subprocess
import sys
import time

import numpy as np
import pytest

from reliability.campaign import parse_campaign
from reliability.results import open_result
from reliability.runner import block_sizes, local_client, run_campaign
from tests.conftest import campaign_text


@pytest.fixture(scope="module")
def campaign():
    return parse_campaign(
        campaign_text(
            trials=70,
            mission="8760 h",
            seed=11,
            campaign_extra="block_size = 16",
            cluster='node = { n = 12, k = 10, crews = 2, spares = { cold = 1, swap = "5 h" } }',
            failures='{ law = "weibull", shape = 1.3, mean = "1500 h" }, '
            '{ law = "exponential", mean = "600 h", repair = "3 h", renew = false }',
            rest='[sweep]\n"cluster.node.spares.cold" = [0, 2]',
        )
    )


@pytest.fixture(scope="module")
def local(campaign):
    return run_campaign(campaign, n_workers=0)


def test_block_sizes():
    assert block_sizes(70, 16) == [16, 16, 16, 16, 6]
    assert block_sizes(32, 16) == [16, 16]


def assert_same_trials(a, b):
    for name in (
        "availability",
        "capacity",
        "fault_count",
        "unit_downtime_h",
        "outage_downtime_h",
        "time_to_first_failure_h",
        "system_up",
        "outages",
        "spares_used",
    ):
        np.testing.assert_array_equal(a[name].values, b[name].values, err_msg=name)


def test_local_cluster_of_processes_matches_in_process(campaign, local):
    with local_client(2) as client:
        assert len(client.run(os.getpid)) == 2
        ds = run_campaign(campaign, client=client)
    assert_same_trials(ds, local)


ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


def start_scheduler(sched_file):
    """A `dask scheduler` process on 127.0.0.1 that writes ``sched_file``."""
    sched_file.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "distributed.cli.dask_scheduler"),
            *("--host", "127.0.0.1", "--port", "0", "--no-dashboard"),
            *("--scheduler-file", str(sched_file)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ENV,
    )
    deadline = time.time() + 60
    while not sched_file.exists():
        assert time.time() < deadline, "scheduler did not start"
        time.sleep(0.2)
    return proc


def start_workers(sched_file, n):
    """`dask worker` processes (a nanny each) connected through ``sched_file``."""
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "distributed.cli.dask_worker"),
            *("--scheduler-file", str(sched_file), "--nworkers", str(n), "--nthreads", "1"),
            *("--no-dashboard", "--memory-limit", "1GiB"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=ENV,
    )
    from distributed import Client

    with Client(scheduler_file=str(sched_file), set_as_default=False) as client:
        client.wait_for_workers(n, timeout=120)
    return proc


def stop(*procs):
    for proc in procs:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)


@pytest.mark.slow
def test_separate_scheduler_and_worker_processes(campaign, local, tmp_path):
    sched_file = tmp_path / "scheduler.json"
    scheduler = start_scheduler(sched_file)
    worker = None
    try:
        worker = start_workers(sched_file, 2)
        ds = run_campaign(campaign, scheduler_file=str(sched_file))
    finally:
        stop(worker, scheduler)
    assert_same_trials(ds, local)


@pytest.mark.slow
def test_losing_every_worker_at_once_gives_the_same_trials(campaign, local):
    """Every worker process killed mid-run (SIGKILL): the nannies start new ones, the
    plans they held are computed again from their tasks (scattered data could not be),
    and the run goes on to the same trials."""
    import signal

    with local_client(2) as client:
        victims = list(client.run(os.getpid).values())
        killed = []

        def kill_all(done, total):
            if done == 2 and not killed:
                for pid in victims:
                    os.kill(pid, signal.SIGKILL)
                killed.append(victims)

        ds = run_campaign(campaign, client=client, on_block=kill_all)
        assert killed
        assert not set(client.run(os.getpid).values()) & set(victims)  # new processes
    assert_same_trials(ds, local)


@pytest.mark.slow
def test_a_scheduler_without_workers_ends_the_run_in_one_line(campaign, tmp_path, monkeypatch):
    """An external scheduler left with no workers (all killed; nothing restarts them)
    would wait forever: after NO_WORKERS_S the run ends, keeping what it has."""
    from reliability.runner import ClusterLost, executor

    monkeypatch.setattr(executor, "WATCH_S", 0.5)
    monkeypatch.setattr(executor, "NO_WORKERS_S", 2.0)
    sched_file = tmp_path / "scheduler.json"
    scheduler = start_scheduler(sched_file)
    try:
        with pytest.raises(ClusterLost, match=r"has had no workers for 2 s$"):
            run_campaign(campaign, scheduler_file=str(sched_file), out_dir=tmp_path / "run")
    finally:
        stop(scheduler)
    assert (tmp_path / "run" / "manifest.json").exists()


def _die(code):
    os._exit(code)


@pytest.mark.slow
def test_a_block_that_kills_every_worker_ends_the_run_in_one_line():
    """A block whose process dies each time it runs (out of memory, a crash in compiled
    code) is given up after Dask's allowed failures, naming the block."""
    from reliability.runner import ClusterLost, Executor

    with (
        local_client(1) as client,
        Executor(client) as executor,
        pytest.raises(ClusterLost, match=r"^block 3 of scenario 1 ended every worker"),
    ):
        executor.run([(1, 3)], lambda s, b, shared: (_die, (1,)), lambda *a: None)


@pytest.mark.slow
def test_a_killed_scheduler_ends_the_run_in_one_line_and_it_resumes(campaign, local, tmp_path):
    """`dask scheduler` killed by PID mid-run: the run ends at once with one line naming
    the run directory and --resume; resumed on a new scheduler, the result is the same."""
    import signal

    path = tmp_path / "c.toml"
    path.write_text(
        campaign.toml_text.replace("trials = 70", "trials = 240").replace(
            "block_size = 16", "block_size = 4"
        )
    )
    c = parse_campaign(path.read_text())
    sched_file = tmp_path / "scheduler.json"
    run_dir = tmp_path / "run"
    cli = [sys.executable, "-m", "reliability.cli", "run"]
    scheduler = start_scheduler(sched_file)
    worker = run = None
    try:
        worker = start_workers(sched_file, 1)
        run = subprocess.Popen(
            [*cli, str(path), "--scheduler-file", str(sched_file), "--out", str(run_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
        )
        deadline = time.time() + 300
        while len(list(run_dir.glob("parts/*.nc"))) < 3:
            assert run.poll() is None and time.time() < deadline, run.stderr.read()
            time.sleep(0.05)
        os.kill(scheduler.pid, signal.SIGKILL)
        _, err = run.communicate(timeout=120)
    finally:
        stop(run, worker, scheduler)
    assert run.returncode == 2, err
    assert "Traceback" not in err, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: lost the Dask scheduler at tcp://127.0.0.1:"), last
    assert last.endswith(f"go on with: reliability run --resume {run_dir}"), last
    assert not (run_dir / "result.nc").exists()
    kept = len(list(run_dir.glob("parts/*.nc")))
    assert 3 <= kept < 60  # of 60 blocks

    scheduler = start_scheduler(sched_file)
    worker = None
    try:
        worker = start_workers(sched_file, 2)
        done = subprocess.run(
            [*cli, "--resume", str(run_dir), "--scheduler-file", str(sched_file), "--quiet"],
            capture_output=True,
            text=True,
            env=ENV,
            timeout=600,
            check=False,
        )
    finally:
        stop(worker, scheduler)
    assert done.returncode == 0, done.stderr
    assert_same_trials(open_result(run_dir), run_campaign(c, n_workers=0))


@pytest.mark.slow
def test_one_worker_and_a_killed_worker_give_the_same_trials(campaign, local):
    """A worker process killed mid-run (SIGKILL) is replaced by its nanny and its blocks
    rerun; the result is bit-identical, as with a single worker."""
    import signal

    with local_client(1) as client:
        assert_same_trials(run_campaign(campaign, client=client), local)

    with local_client(2) as client:
        victim = next(iter(client.run(os.getpid).values()))
        killed = []

        def kill_once(done, total):
            if done == 2 and not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        ds = run_campaign(campaign, client=client, on_block=kill_once)
        assert killed
    assert_same_trials(ds, local)


@pytest.mark.slow
def test_consecutive_runs_on_one_client(campaign, local):
    """A second run whose plans equal the first's must not lose them while the first
    run's copies are released (scatter keys are unique)."""
    with local_client(2) as client:
        run_campaign(campaign.with_overrides(trials=4, block_size=1), client=client)
        assert_same_trials(run_campaign(campaign, client=client), local)


EXPONENTIAL = {
    "trials": 40,
    "mission": "8760 h",
    "seed": 5,
    "campaign_extra": "block_size = 16",
    "cluster": "node = { n = 12, k = 10, crews = 2 }",
    "failures": '{ law = "exponential", mean = "600 h", repair = "30 h" }',
}


@pytest.mark.slow
def test_counts_engine_on_worker_processes_matches_in_process():
    c = parse_campaign(campaign_text(**EXPONENTIAL))
    here = run_campaign(c, n_workers=0)
    assert here.attrs["engine"] == "counts"
    with local_client(2) as client:
        there = run_campaign(c, client=client)
    assert there.attrs["engine"] == "counts"
    assert_same_trials(here, there)


@pytest.mark.parametrize(
    ("extra", "rest", "engine"),
    [
        ("", "", "counts"),  # one scenario, all exponential
        ('engine = "units"', "", "units"),
        ("", '[sweep]\n"cluster.node.k" = [9, 10]', "units"),  # paired scenarios
        (
            "common_random_numbers = false",
            '[sweep]\n"cluster.node.k" = [9, 10]',
            "counts",
        ),
        ('engine = "counts"', '[sweep]\n"cluster.node.k" = [9, 10]', "counts"),
    ],
)
def test_auto_engine_keeps_slot_wise_pairing_for_compared_scenarios(extra, rest, engine):
    kw = dict(EXPONENTIAL, trials=4)
    kw["campaign_extra"] += "\n" + extra
    ds = run_campaign(parse_campaign(campaign_text(rest=rest, **kw)), n_workers=0)
    assert ds.attrs["engine"] == engine


def test_counts_engine_refused_for_ageing_units():
    from reliability.campaign import CampaignError

    kw = dict(EXPONENTIAL, failures='{ law = "weibull", shape = 2, mean = "600 h" }')
    kw["campaign_extra"] += '\nengine = "counts"'
    c = parse_campaign(campaign_text(**kw), source="x.toml")
    with pytest.raises(CampaignError, match=r"x.toml: campaign.engine = 'counts'.*not exponential"):
        run_campaign(c, n_workers=0)


_COMPILE_ONCE = """
import json, sys
from reliability.campaign import parse_campaign
from reliability.results import open_result
from reliability.runner import local_client, run_campaign

def stats():
    from reliability.engine._block import run_block
    s = run_block.stats
    return sum(s.cache_misses.values()), sum(s.cache_hits.values())

campaign = parse_campaign(sys.stdin.read())
compiling = []
with local_client(2) as client:
    run_campaign(campaign, client=client, on_compile=lambda: compiling.append(1))
    workers = list(client.run(stats).values())
print(json.dumps({"announced": len(compiling), "driver": stats(), "workers": workers}))
"""


@pytest.mark.slow
def test_a_fresh_machine_compiles_the_kernel_once(tmp_path):
    """With an empty numba cache, the driver announces and compiles the kernel before
    any worker starts, and both worker processes load it from disk: one compilation
    on the machine, not one per process."""
    import json

    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba"), "PYTHONWARNINGS": "ignore"}
    text = campaign_text(trials=64, campaign_extra="block_size = 8")
    proc = subprocess.run(
        [sys.executable, "-c", _COMPILE_ONCE],
        input=text,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["announced"] == 1
    assert seen["driver"] == [1, 0]  # compiled once, here
    assert len(seen["workers"]) == 2
    assert all(misses == 0 for misses, _ in seen["workers"])  # no worker compiled
    assert sum(hits for _, hits in seen["workers"]) >= 1  # they loaded it instead
    _warm_the_suites_cache(tmp_path / "numba")


def _warm_the_suites_cache(numba_dir):
    """Copy the machine code this test compiled into the package's own cache, where the
    rest of the suite looks, wherever that cache is still empty: on a clean checkout
    (CI) the kernel is then compiled once for the whole run, not twice. conftest.py runs
    this test first. Numba names a relocated cache folder after the source folder's
    name and the SHA-1 of its path; the files are the same as in-tree."""
    import hashlib
    import shutil
    from pathlib import Path

    import reliability

    if os.environ.get("NUMBA_CACHE_DIR"):
        return  # the suite's cache is elsewhere, the user's to manage
    root = Path(os.path.abspath(os.path.dirname(reliability.__file__)))
    for folder in (root, *(p for p in root.rglob("*") if p.is_dir())):
        if folder.name == "__pycache__":
            continue
        built = numba_dir / f"{folder.name}_{hashlib.sha1(str(folder).encode()).hexdigest()}"
        if not built.is_dir():
            continue
        dest = folder / "__pycache__"
        dest.mkdir(exist_ok=True)
        for index in built.glob("*.nbi"):
            if (dest / index.name).exists():
                continue  # a warm cache of its own: leave it
            stem = index.name.removesuffix(".nbi")
            for f in (*built.glob(f"{stem}.*.nbc"), index):  # the index last: it names them
                tmp = dest / f".{f.name}.{os.getpid()}.tmp"
                shutil.copy2(f, tmp)
                os.replace(tmp, dest / f.name)


def test_a_bad_scheduler_file_ends_the_run_before_anything_is_written(
    campaign, tmp_path, monkeypatch
):
    """A missing or malformed scheduler file is waited for (a scheduler just started
    writes it a moment later), then ends the run with one line, writing nothing."""
    from reliability.runner import executor

    monkeypatch.setattr(executor, "CONNECT_TIMEOUT_S", 0.5)
    out = tmp_path / "run"
    bad = tmp_path / "sched.json"
    for text, message in (
        (None, "no such scheduler file"),
        ("not json", "not a Dask scheduler file"),
        ('{"address": 5}', "no 'address' such as tcp://host:port"),
        ('{"address": "tcp://host:notaport"}', "is not a Dask scheduler address"),
        ('{"address": "inproc://x"}', "is not a Dask scheduler address"),
    ):
        if text is not None:
            bad.write_text(text)
        with pytest.raises((FileNotFoundError, ValueError), match=message):
            run_campaign(campaign, scheduler_file=str(bad), out_dir=out)
        assert not out.exists()


def test_a_malformed_scheduler_address_is_refused_at_once(campaign, tmp_path):
    for address in ("5", "tcp://", "tcp://host:notaport"):
        with pytest.raises(ValueError, match=rf"^'{re.escape(address)}' is not a Dask scheduler"):
            run_campaign(campaign, scheduler=address, out_dir=tmp_path / "run")
        assert not (tmp_path / "run").exists()


@pytest.mark.slow
def test_a_server_that_never_answers_as_a_scheduler_is_one_line(tmp_path):
    """An HTTP server (a dashboard's port given by mistake) accepts the connection and
    never answers the handshake: one line after the connect timeout, nothing written."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    path = tmp_path / "c.toml"
    path.write_text(campaign_text(trials=10))
    code = (
        "import sys\n"
        "from reliability.runner import executor\n"
        "executor.CONNECT_TIMEOUT_S = 1\n"
        "from reliability.cli import main\n"
        f"sys.argv = ['reliability', 'run', {str(path)!r}, '--scheduler', "
        f"'tcp://127.0.0.1:{port}', '--out', {str(tmp_path / 'o')!r}]\n"
        "main()\n"
    )
    try:
        time.sleep(1.0)  # the server is listening
        r = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
        )
    finally:
        stop(server)
    assert r.returncode == 2, r.stderr
    (line,) = r.stderr.strip().splitlines()
    assert line.endswith(f"127.0.0.1:{port}: no answer as a Dask scheduler in 1 s"), line
    assert not (tmp_path / "o").exists()


def test_an_unreachable_scheduler_ends_the_run_with_one_line(campaign, tmp_path, monkeypatch):
    from reliability.runner import executor

    monkeypatch.setattr(executor, "CONNECT_TIMEOUT_S", 1)
    sched = tmp_path / "sched.json"
    sched.write_text('{"address": "tcp://127.0.0.1:9"}')  # the discard port: nobody there
    with pytest.raises(OSError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        run_campaign(campaign, scheduler_file=str(sched), out_dir=tmp_path / "run")
    assert not (tmp_path / "run").exists()
