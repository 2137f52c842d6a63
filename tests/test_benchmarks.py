"""The benchmark script runs (speed itself is reported by it, never asserted here)."""

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("simpy")
SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_engine.py"


def test_benchmark_script_runs_quickly():
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    assert "speed-up" in out and "12000" in out
