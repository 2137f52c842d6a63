"""How the kernel is compiled.

Every kernel function is compiled with numba's runtime (NRT) off. The kernel never
allocates: the caller owns every array, for the whole call. With NRT on, numba wraps
each array passed to an inlined helper in reference-count updates that its pruning
pass cannot remove across branches (numba issue #2350); in this branchy event loop
they cost more than the simulation itself (measured: 2.4x on k10n12). With NRT off
an attempt to allocate inside the kernel fails at compile time, so the property is
checked by the compiler, not by review.

How helpers are inlined decides the compile time. Numba compiles every jitted
function into its own LLVM library with all its callees linked in, and optimizes and
emits that whole library: a chain of d jitted layers optimizes the code below it d
times. Small hot helpers take ``forceinline=True`` (LLVM inlines them; a call would
pass five arrays as 35 scalars); the dispatch layers that sit between the block loop
and the feature modules, each called from one or two places, take
``inline="always"`` (numba inlines their IR into the caller, so they are never a
library of their own). Measured on k10n12, 2026-11-30: 304 s to compile the block
loop with every layer a library, 87 s with the dispatch layers inlined, at the same
speed; 56 s with nothing force-inlined, but 2-3x slower.

The GIL is released for the whole call. A worker holding it through a block of
several seconds cannot send the block it just finished: the driver then got blocks
in bursts after each next one (on the demo with 2 workers, 9 of 24 blocks in the
last 0.4 s), and the time left read 2-3x high.

Numba's on-disk cache checks only the source file of the function it caches, not
the files of the functions compiled into it: after an edit to ``_laws.py`` the cached
block loop would still run the old draws. :func:`drop_stale_cache` keys the whole
engine's cache on a digest of all its sources instead.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from numba import config, njit

_HERE = Path(__file__).parent


def kernel(**options):
    """``numba.njit`` with the kernel's options: cached on disk, no runtime, and the
    GIL released (a Dask worker's event loop thread then answers the scheduler and
    sends finished blocks while the next one runs)."""
    return njit(cache=True, _nrt=False, nogil=True, **options)


def is_cached(dispatcher) -> bool:
    """Is machine code of ``dispatcher`` on disk (so that the next call loads it instead
    of compiling)? Reads numba's cache index; False when that cannot be told."""
    try:
        return Path(dispatcher._cache._cache_file._index_path).is_file()
    except (AttributeError, OSError):  # numba internals moved: say "not cached"
        return False


def drop_stale_cache(folder: Path = _HERE) -> bool:
    """Delete the engine's cached machine code if any engine source changed since it
    was written; True when something was dropped. Best effort: a read-only install
    (where numba caches nothing next to the sources either) is left alone."""
    if config.CACHE_DIR:  # a relocated cache is the user's to manage
        return False
    digest = hashlib.sha256()
    for src in sorted(folder.rglob("*.py")):
        digest.update(str(src.relative_to(folder)).encode() + b"\0" + src.read_bytes())
    cache = folder / "__pycache__"
    stamp = cache / "engine-sources.sha256"
    try:
        if stamp.read_text() == digest.hexdigest():
            return False
    except OSError:
        pass
    dropped = False
    try:
        for pattern in ("*.nbi", "*.nbc"):
            for f in cache.glob(pattern):
                f.unlink(missing_ok=True)
                dropped = True
        cache.mkdir(exist_ok=True)
        tmp = stamp.with_suffix(f".{os.getpid()}.tmp")  # worker processes start together
        tmp.write_text(digest.hexdigest())
        tmp.replace(stamp)
    except OSError:
        pass
    return dropped


drop_stale_cache()
