"""The first run on a machine: compiling the kernel once, and loading it afterwards.

Run:  python benchmarks/bench_compile.py

Each step runs in a fresh process against an empty numba cache of its own (so the
project's own cache is neither used nor touched):

1. compile: the crude-run kernel (both engines share it) compiled from nothing, as
   the driver does before the workers start (``runner.run._warm_up``);
2. load: a second process finding it on disk, as every worker and later run does;
3. a whole demo-sized run on a 2-worker local cluster from an empty cache: the
   one compilation plus the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ONE_TRIAL = """
import time
t0 = time.perf_counter()
from reliability.campaign import parse_campaign
from reliability.engine import simulate
from reliability.system import compile_plan
text = '''
[campaign]
name = "bench"
mission = "8760 h"
trials = 1
seed = 1
[units.node]
failures = [{ law = "exponential", mean = "1000 h", repair = "24 h" }]
[cluster]
node = { n = 12, k = 10 }
'''
plan = compile_plan(parse_campaign(text).base).arrays
t1 = time.perf_counter()
simulate(plan, 1, 1, engine="units")
print(f"{t1 - t0:.2f} {time.perf_counter() - t1:.2f}")
"""


def _python(code: str, cache: str) -> str:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache}
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        imports, compile_s = map(float, _python(ONE_TRIAL, cache).split())
        _, load_s = map(float, _python(ONE_TRIAL, cache).split())
    print(f"imports                        {imports:6.1f} s")
    print(f"compile the kernel (first run) {compile_s:6.1f} s   one process, once per machine")
    print(f"load it from the cache         {load_s:6.1f} s   every worker and later run")
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        t = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-m", "reliability.cli", "run", "campaigns/demo.toml",
             "--workers", "2", "--out", f"{out}/run"],
            env=env, capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
        wall = time.perf_counter() - t
    compiles = run.stderr.count("compiling the engine")
    print(f"demo from an empty cache       {wall:6.1f} s   2 workers; compiled {compiles}x")


if __name__ == "__main__":
    main()
