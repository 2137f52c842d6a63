"""Reading and writing the packed plan and state (see :mod:`reliability.engine.spec`).

Field ``F`` element ``j`` of a packed array ``a`` is ``a[a[F] + j]``. The parameters,
offset tables, state variables and the trial's key lead their arrays at offsets the
contract fixes, so they are read with one load, not two: they are read at every event.
"""

from __future__ import annotations

import numpy as np

from reliability.engine._jit import kernel
from reliability.engine.spec import (
    FPARAMS0,
    FVARS0,
    IPARAMS0,
    IVARS0,
    KEY0,
    MISC_CTR0,
    OUT_OFF0,
    WALL_OFF0,
)


@kernel(forceinline=True, error_model="numpy")
def base(a, field):
    """Offset of ``field`` in ``a``."""
    return int(a[field])


@kernel(forceinline=True, error_model="numpy")
def get(a, field, j):
    return a[int(a[field]) + j]


@kernel(forceinline=True, error_model="numpy")
def put(a, field, j, value):
    a[int(a[field]) + j] = value


@kernel(forceinline=True, error_model="numpy")
def add(a, field, j, value):
    a[int(a[field]) + j] += value


@kernel(forceinline=True, error_model="numpy")
def count(a, field):
    """Elements of ``field`` (any field but the last of its array)."""
    return int(a[field + 1] - a[field])


@kernel(forceinline=True, error_model="numpy")
def iparam(pi, j):
    """Int parameter ``j`` (an ``IParam``) of the plan."""
    return pi[IPARAMS0 + j]


@kernel(forceinline=True, error_model="numpy")
def fparam(pf, j):
    """Float parameter ``j`` (an ``FParam``) of the plan."""
    return pf[FPARAMS0 + j]


@kernel(forceinline=True, error_model="numpy")
def ivar(si, j):
    """Int variable ``j`` (an ``IVar``) of the state."""
    return si[IVARS0 + j]


@kernel(forceinline=True, error_model="numpy")
def set_ivar(si, j, value):
    si[IVARS0 + j] = value


@kernel(forceinline=True, error_model="numpy")
def add_ivar(si, j, value):
    si[IVARS0 + j] += value


@kernel(forceinline=True, error_model="numpy")
def fvar(sf, j):
    """Float variable ``j`` (an ``FVar``) of the state."""
    return sf[FVARS0 + j]


@kernel(forceinline=True, error_model="numpy")
def set_fvar(sf, j, value):
    sf[FVARS0 + j] = value


@kernel(forceinline=True, error_model="numpy")
def out(pi, name):
    """Offset of output ``name`` (an ``Out``) in a trial's row."""
    return pi[OUT_OFF0 + name]


@kernel(forceinline=True, error_model="numpy")
def fill(a, field, n, value):
    """Set the first ``n`` elements of ``field`` to ``value``."""
    b = int(a[field])
    for j in range(n):
        a[b + j] = value


@kernel(forceinline=True, error_model="numpy")
def wall_off(pi, kind):
    """First wall-clock event identity of ``kind`` (``kind`` = number of kinds: the end)."""
    return pi[WALL_OFF0 + kind]


@kernel(forceinline=True, error_model="numpy")
def next_count(su, counter):
    """The next draw's counter of stream ``counter`` (a ``Counter``), counted."""
    n = su[MISC_CTR0 + counter]
    su[MISC_CTR0 + counter] = n + np.uint64(1)
    return n


@kernel(forceinline=True, error_model="numpy")
def trial_key(su):
    """The trial's key."""
    return su[KEY0]
