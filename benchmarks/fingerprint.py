"""Fingerprints of every shipped campaign's result: a guard for refactors.

Run:  python benchmarks/fingerprint.py            # compare with fingerprints.json
      python benchmarks/fingerprint.py --record   # write fingerprints.json anew
      python benchmarks/fingerprint.py [--record] FILE ...   # only these campaigns

Runs every ``campaigns/*.toml`` and ``campaigns/validation/*.toml`` in this process
at its own seed, with the sizes cut down (at most 300 trials in blocks of at most
100; importance sampling 20,000 cycles; splitting 4 replicates of 200 per stage) so
that all of them take about a minute, and records the SHA-256 of every data
variable and coordinate of each result. A change that only moves code must leave
every digest as it was; one that changes results shows which variables of which
campaign moved, and the commit message must say why.

Digests depend on the platform's floating point (libm, LLVM): compare runs of one
machine and one set of library versions (both are recorded). NumPy picks its SIMD
kernels for the CPU at import, and its AVX-512 sine and cosine differ from its AVX2
ones in the last bit: on an AVX-512 machine every orbit's eclipse hours, and the power
outputs that follow them, digested differently (2026-12-08). So this script runs
NumPy without its AVX-512 kernels (it starts itself again with
``NPY_DISABLE_CPU_FEATURES`` set, unless that is set already), and digests agree
between x86-64 machines with and without AVX-512.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import sys
import time
from pathlib import Path


def _numpy_without_avx512() -> None:
    """Start this script again with NumPy's AVX-512 kernels off, where it has any."""
    if "NPY_DISABLE_CPU_FEATURES" in os.environ:
        return
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    drop = [
        f for f in __cpu_dispatch__ if __cpu_features__.get(f) and ("512" in f or f == "X86_V4")
    ]
    if drop:
        os.environ["NPY_DISABLE_CPU_FEATURES"] = " ".join(drop)
        os.execv(sys.executable, [sys.executable, *sys.argv])


if __name__ == "__main__":
    _numpy_without_avx512()

import numpy as np  # imported after the restart above, in the process that runs

from reliability.campaign import RareEvent, load_campaign
from reliability.results import library_versions
from reliability.runner import run_campaign

ROOT = Path(__file__).resolve().parent.parent
STORE = Path(__file__).resolve().parent / "fingerprints.json"


def campaign_files() -> list[Path]:
    """Every shipped campaign, validation cases included, in a fixed order."""
    return sorted((ROOT / "campaigns").glob("*.toml")) + sorted(
        (ROOT / "campaigns" / "validation").glob("*.toml")
    )


def small(campaign):
    """The campaign cut down to fingerprint size (same seed)."""
    trials = min(campaign.trials, 300)
    c = campaign.with_overrides(trials=trials, block_size=min(campaign.block_size, 100, trials))
    rare = c.rare_event or RareEvent()
    rare = dataclasses.replace(
        rare, cycles=min(rare.cycles, 20_000), effort=min(rare.effort, 200), replicates=4
    )
    return dataclasses.replace(c, rare_event=rare)


def digest(values: np.ndarray) -> str:
    """SHA-256 of an array's dtype, shape and bytes."""
    a = np.ascontiguousarray(values)
    h = hashlib.sha256(f"{a.dtype.str}{a.shape}".encode())
    h.update(a.tobytes())
    return h.hexdigest()


def fingerprint(path: Path) -> dict:
    """Digests of one campaign's (cut-down) result."""
    ds = run_campaign(small(load_campaign(path)), n_workers=0)
    return {
        "data": {name: digest(ds[name].values) for name in sorted(ds.data_vars)},
        "coords": {name: digest(ds[name].values) for name in sorted(ds.coords)},
        "config_sha256": ds.attrs["config_sha256"],
        "engine": ds.attrs.get("engine", ds.attrs.get("method", "")),
    }


def compare(old: dict, new: dict) -> list[str]:
    """What differs between two fingerprint tables, one line per difference."""
    out = []
    for name in sorted(set(old) | set(new)):
        if name not in old or name not in new:
            out.append(f"{name}: only in the {'new' if name in new else 'recorded'} table")
            continue
        a, b = old[name], new[name]
        out += [
            f"{name}: {part} {var} differs"
            for part in ("data", "coords")
            for var in sorted(set(a[part]) | set(b[part]))
            if a[part].get(var) != b[part].get(var)
        ]
        out += [
            f"{name}: {key} {a[key]} -> {b[key]}"
            for key in ("engine", "config_sha256")
            if a[key] != b[key]
        ]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write fingerprints.json anew")
    parser.add_argument("files", nargs="*", type=Path, help="campaigns (default: all shipped)")
    args = parser.parse_args()
    files = args.files or campaign_files()
    table = {}
    for path in files:
        start = time.perf_counter()
        key = str(path.resolve().relative_to(ROOT))
        table[key] = fingerprint(path)
        print(f"{key}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if args.record:
        versions = {k: v for k, v in library_versions().items() if k != "orbital-reliability"}
        if args.files:  # re-record these, keep the others
            table = {**json.loads(STORE.read_text())["campaigns"], **table}
        STORE.write_text(json.dumps({"versions": versions, "campaigns": table}, indent=1) + "\n")
        print(f"recorded {len(args.files) or len(table)} campaigns in {STORE}")
        return 0
    recorded = json.loads(STORE.read_text())
    old = recorded["campaigns"]
    if args.files:
        old = {k: v for k, v in old.items() if k in table}
    problems = compare(old, table)
    versions = {k: v for k, v in library_versions().items() if k != "orbital-reliability"}
    if versions != recorded["versions"]:
        print(f"note: recorded with {recorded['versions']}, running {versions}")
    print("\n".join(problems) if problems else f"all {len(table)} campaigns bit-identical")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
