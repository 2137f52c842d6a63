"""The driver's peak memory while it assembles and writes a result, over the result's
estimated size: the measurement behind ``reliability.limits.DRIVER_PEAK``.

Run:  python benchmarks/bench_memory.py [--quick]

Each size runs in a fresh process (peak resident memory only ever grows): the kernel
is loaded and the libraries imported first, then a crude run with a fine capacity
grid (most of the result) runs in the process and writes its run directory. The
ratio is (peak - resident before the run) / the result size ``limits.estimate``
gives; the budget the runner enforces divides the machine's memory by
``DRIVER_PEAK``, which must stay above every ratio printed here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ONE = """
import gc, json, resource, sys
sys.path.insert(0, {root!r})
import psutil
from reliability.campaign import parse_campaign
from reliability.limits import estimate
from reliability.runner import run_campaign
from tests.conftest import campaign_text

c = parse_campaign(campaign_text(trials={trials}, mission="2000 h", time_step="1 h",
                                 seed=3, campaign_extra="block_size = 500"))
run_campaign(c.with_overrides(trials=10), n_workers=0)  # load the kernel, import all
gc.collect()
before = psutil.Process().memory_info().rss
run_campaign(c, n_workers=0, out_dir={out!r})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({{"result": estimate(c).result_bytes, "before": before, "peak": peak}}))
"""


def measure(trials: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        code = ONE.format(root=str(ROOT), trials=trials, out=str(Path(tmp) / "run"))
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    from reliability.limits import DRIVER_PEAK

    sizes = [2000] if "--quick" in sys.argv else [5000, 20000, 60000]
    print(f"driver peak over result size (budget assumes {DRIVER_PEAK:g}x)")
    print(f"{'trials':>8}  {'result MiB':>10}  {'peak MiB':>9}  {'ratio':>6}")
    for trials in sizes:
        m = measure(trials)
        ratio = (m["peak"] - m["before"]) / m["result"]
        print(
            f"{trials:>8}  {m['result'] / 2**20:>10.0f}  {m['peak'] / 2**20:>9.0f}  {ratio:>6.2f}"
        )


if __name__ == "__main__":
    main()
