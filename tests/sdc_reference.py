"""An independent event-by-event model of a checkpointed training job with silent
corruption, for tests of the engine's training job (``reliability/engine/_job.py``).

It keeps the chain of checkpoints written, each with the set of corruptions its
work holds, and every corruption with its detection time: no stack, no counts. A
corruption found while the job's work holds it rolls the job back to the newest
checkpoint without it (the job's first step when none is left of the newest
``keep``), and restarts; one found after a rollback took it away does nothing. An
interrupt loses the work since the last commit. At the mission end the work is that
of the newest checkpoint without a corruption. Interrupts come at rate ``lam`` per
hour while the job is not done, corruption at ``s`` per hour while it computes or
checkpoints.
"""

from __future__ import annotations

import math

import numpy as np


def trial(rng, *, s, lam, lat, tau, delta, restart, work, keep, mission, law="exp"):
    """One trial: (useful work, work lost to corruption, work lost to interrupts,
    restarts from the first step forced by deleted checkpoints, completion time)."""
    # (work, corruptions held, write number: 0 for the job's first step)
    chain: list[tuple[float, frozenset, int]] = [(0.0, frozenset(), 0)]
    written, held, pending, nid = 0, set(), {}, 0
    lost_sdc = lost_int = 0.0
    restarts = 0
    done_h = math.nan

    def compute(t):
        seg = min(tau, work - chain[-1][0])
        return "RUN", t + seg, seg, t

    def again(t):
        return ("RESTART", t + restart, 0.0, t) if restart > 0 else compute(t)

    phase, end, seg, start = compute(0.0)

    def in_progress(t):
        return t - start if phase == "RUN" else seg if phase == "CKPT" else 0.0

    def clean(fid=None):
        """The newest checkpoint without ``fid`` (without any corruption: None), or the
        first step if it was deleted."""
        j = max(i for i, c in enumerate(chain) if (not c[1] if fid is None else fid not in c[1]))
        deleted = keep > 0 and written - chain[j][2] >= keep
        return (0, True) if deleted else (j, False)

    t = 0.0
    while True:
        computing = phase in ("RUN", "CKPT")
        ts = t + rng.exponential(1 / s) if computing else math.inf
        ti = t + rng.exponential(1 / lam) if lam > 0 and phase != "DONE" else math.inf
        fid = min(pending, key=pending.get) if pending else None
        tf = pending[fid] if pending else math.inf
        tp = end if phase != "DONE" else math.inf
        t = min(ts, ti, tf, tp)
        if t >= mission:
            break
        if t == tp:
            if phase == "RESTART":
                phase, end, seg, start = compute(t)
            elif phase == "RUN":
                phase, end = "CKPT", t + delta
            else:  # the checkpoint is written: its work is committed
                written += 1
                chain.append((chain[-1][0] + seg, chain[-1][1] | frozenset(held), written))
                held = set()
                if chain[-1][0] >= work * (1 - 1e-12):
                    phase, done_h = "DONE", t
                else:
                    phase, end, seg, start = compute(t)
        elif t == ts:
            nid += 1
            pending[nid] = t + (rng.exponential(lat) if law == "exp" else lat)
            held.add(nid)
        elif t == ti:
            lost_int += in_progress(t)
            held = set()
            phase, end, seg, start = again(t)
        else:
            del pending[fid]
            if fid in held or fid in chain[-1][1]:
                j, deleted = clean(fid)
                restarts += deleted
                lost_sdc += chain[-1][0] - chain[j][0] + in_progress(t)
                del chain[j + 1 :]
                held = set()
                if phase in ("RUN", "CKPT", "DONE"):
                    done_h = math.nan
                    phase, end, seg, start = again(t)
    if chain[-1][1]:  # unfound at the mission end: the work since is not useful
        j, _ = clean()
        lost_sdc += chain[-1][0] - chain[j][0]
        del chain[j + 1 :]
        done_h = math.nan
    return chain[-1][0], lost_sdc, lost_int, restarts, done_h


def trials(seed: int, n: int, **kw) -> np.ndarray:
    """``n`` trials of :func:`trial`, one row each."""
    rng = np.random.default_rng(seed)
    return np.array([trial(rng, **kw) for _ in range(n)])
