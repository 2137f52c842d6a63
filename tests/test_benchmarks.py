"""The benchmark script runs (speed itself is reported by it, never asserted here)."""

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("simpy")
SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_engine.py"
RADIATION = SCRIPT.with_name("bench_radiation.py")


def test_benchmark_script_runs_quickly():
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    assert "speed-up" in out and "12000" in out


def test_radiation_benchmark_runs_quickly():
    out = subprocess.run(
        [sys.executable, str(RADIATION), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    assert "1e12 bits" in out and "replaying" in out


def test_rare_event_benchmark_runs_quickly():
    out = subprocess.run(
        [sys.executable, str(SCRIPT.with_name("bench_rare.py")), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    assert "speed-up" in out and "importance sampling" in out
