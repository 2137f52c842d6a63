"""The benchmark scripts run (speed itself is reported by them, never asserted here)."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the whole module is a long check

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("bench_engine.py", ("vs simpy", "counts", "12000")),
        ("bench_radiation.py", ("1e12 bits", "replaying")),
        ("bench_rare.py", ("speed-up", "importance sampling", "splitting")),
        ("bench_memory.py", ("driver peak over result size", "ratio")),
        ("bench_optimize.py", ("optimize: pick cold=7", "coarse sweep")),
        ("bench_power.py", ("sso-650", "iss-400", "ratio")),
        ("bench_checkpoint.py", ("SAA-aware", "0.975")),
    ],
)
def test_benchmark_script_runs_quickly(script, expected):
    if script == "bench_engine.py":
        pytest.importorskip("simpy")
    out = subprocess.run(
        [sys.executable, str(BENCH / script), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    assert all(text in out for text in expected), out
