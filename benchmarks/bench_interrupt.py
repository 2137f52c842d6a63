"""Ctrl-C at random moments of a cluster run: how long the run takes to end.

Each round starts a 2-worker local cluster in a fresh process, sends itself SIGINT
at a random moment 0.05-1.5 s after the workers are up, while 3,000 one-millisecond
tasks are submitted and run (the handler is the command's: silence logging, ignore
further presses, raise KeyboardInterrupt) and times the whole run, the cluster's start included, until the
cluster is closed. A round still running after 60 s counts as hung (its stacks are
printed). Before the driver held Ctrl-C back while inside the Dask client
(``reliability/runner/_interrupt.py``), an interrupt could land under the client's
locks: on 2026-12-07, 6 of 40 rounds took 17.6-21.5 s instead of 3-6 s; in CI the same
kind of interrupt once hung a close for 21 minutes.

    python benchmarks/bench_interrupt.py [ROUNDS]
"""

from __future__ import annotations

import faulthandler
import logging
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time


def _on_sigint(signum, frame):
    logging.disable(logging.CRITICAL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def one_round(seed: int) -> float:
    """Seconds from the start of a run to the end of its cluster's close."""
    from reliability.runner import Executor

    rng = random.Random(seed)
    signal.signal(signal.SIGINT, _on_sigint)

    def press_later() -> None:
        delay = rng.uniform(0.05, 1.5)
        threading.Timer(delay, os.kill, (os.getpid(), signal.SIGINT)).start()

    start = time.monotonic()
    try:
        with Executor(n_workers=2) as executor:
            executor.run(
                [(0, b) for b in range(3000)],
                lambda s, b, shared: (time.sleep, (0.001,)),
                lambda s, b, value: None,
                on_start=press_later,
            )
    except KeyboardInterrupt:
        pass
    return time.monotonic() - start


def main(rounds: int) -> None:
    times, hung = [], 0
    for seed in range(1, rounds + 1):
        proc = subprocess.run(
            [sys.executable, __file__, "--round", str(seed)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if proc.returncode != 0:
            hung += 1
            print(f"round {seed}: hung\n{proc.stderr[-3000:]}", file=sys.stderr)
            continue
        times.append(float(proc.stdout.split()[-1]))
        print(f"{times[-1]:.1f}", end=" ", flush=True)
    print()
    slow = sum(t > 10.0 for t in times)
    print(
        f"{rounds} rounds: {hung} hung, {slow} took over 10 s; "
        f"median {statistics.median(times):.1f} s, longest {max(times):.1f} s"
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--round":
        faulthandler.dump_traceback_later(60, exit=True)  # hung: every thread's stack
        print(f"{one_round(int(sys.argv[2])):.2f}")
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
