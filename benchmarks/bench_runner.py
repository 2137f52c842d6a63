"""Campaign throughput on 1 and 2 Dask worker processes.

Run:  python benchmarks/bench_runner.py [--blocks 200] [--block-size 100]

Runs the k10n12 benchmark system as a campaign of at least 200 blocks on a local
cluster of one worker process, then of two, each already started and warmed up (the
kernel loaded from numba's cache), and prints blocks/s and the ratio. Results are
checked to be bit-identical.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from reliability.campaign import load_campaign
from reliability.runner import local_client, run_campaign


def timed(campaign, n_workers):
    with local_client(n_workers) as client:
        run_campaign(
            campaign.with_overrides(trials=2 * n_workers, block_size=1), client=client
        )  # warm-up: every worker loads the kernel
        start = time.perf_counter()
        ds = run_campaign(campaign, client=client)
        return time.perf_counter() - start, ds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=200)
    parser.add_argument("--block-size", type=int, default=100)
    args = parser.parse_args()
    base = load_campaign("campaigns/validation/k10n12.toml")
    campaign = base.with_overrides(trials=args.blocks * args.block_size, block_size=args.block_size)
    t1, ds1 = timed(campaign, 1)
    t2, ds2 = timed(campaign, 2)
    np.testing.assert_array_equal(ds1.availability.values, ds2.availability.values)
    print(f"k10n12 campaign: {args.blocks} blocks of {args.block_size} trials")
    print(f"{'workers':>7} {'seconds':>8} {'blocks/s':>9}")
    for n, t in ((1, t1), (2, t2)):
        print(f"{n:>7} {t:>8.2f} {args.blocks / t:>9.1f}")
    print(f"speed-up 2 workers / 1 worker: {t1 / t2:.2f}x (results bit-identical)")


if __name__ == "__main__":
    main()
