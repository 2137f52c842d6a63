"""Counter-based random numbers for the kernel.

Every random quantity in a trial is addressed by ``(trial key, stream, counter)``:
the *n*-th life of unit slot *u*'s failure mode *m* is always the same number,
whatever else happens in the trial. This makes design variants that share a seed
use common random numbers slot by slot (a spare added to one variant does not shift
the lives drawn for other slots), and it needs no generator state in the kernel.

The mixer is two rounds of the SplitMix64 finaliser (Steele, Lea & Flood 2014),
whose sequence form passes BigCrush; the trial keys themselves come from a NumPy
``Generator`` seeded by ``SeedSequence`` (see :func:`reliability.engine.simulate`).
"""

from __future__ import annotations

import numpy as np

from reliability.engine._jit import kernel

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)
_ODD = np.uint64(0xD1B54A32D192ED03)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_TWO_M53 = 1.0 / 9007199254740992.0


@kernel(forceinline=True)
def _mix64(z):
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@kernel(forceinline=True)
def stream_id(purpose, index, sub):
    """Stream number for ``purpose`` (a :class:`~reliability.engine.spec.Stream`), a slot
    ``index`` and a sub-index < 256."""
    return (
        (np.uint64(purpose) << np.uint64(48)) | (np.uint64(index) << np.uint64(8)) | np.uint64(sub)
    )


@kernel(forceinline=True)
def uniform(key, stream, counter):
    """A uniform number in the open interval (0, 1) for ``(key, stream, counter)``."""
    z = _mix64(np.uint64(key) ^ (np.uint64(stream) * _GOLD))
    z = _mix64(z + np.uint64(counter) * _ODD)
    return (float(z >> _S11) + 0.5) * _TWO_M53
