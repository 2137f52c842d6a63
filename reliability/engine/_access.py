"""Reading and writing the packed plan and state (see :mod:`reliability.engine.spec`).

Field ``F`` element ``j`` of a packed array ``a`` is ``a[a[F] + j]``; the scalar
parameters and variables are the elements of one field each.
"""

from __future__ import annotations

from reliability.engine._jit import kernel
from reliability.engine.spec import PF, SF, P, S


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
    """Elements of ``field`` (any field but the last of its array, the parameters)."""
    return int(a[field + 1] - a[field])


@kernel(forceinline=True, error_model="numpy")
def iparam(pi, j):
    """Int parameter ``j`` (an ``IParam``) of the plan."""
    return pi[pi[P.IPARAMS] + j]


@kernel(forceinline=True, error_model="numpy")
def fparam(pf, j):
    """Float parameter ``j`` (an ``FParam``) of the plan."""
    return pf[int(pf[PF.FPARAMS]) + j]


@kernel(forceinline=True, error_model="numpy")
def ivar(si, j):
    """Int variable ``j`` (an ``IVar``) of the state."""
    return si[si[S.IVARS] + j]


@kernel(forceinline=True, error_model="numpy")
def set_ivar(si, j, value):
    si[si[S.IVARS] + j] = value


@kernel(forceinline=True, error_model="numpy")
def add_ivar(si, j, value):
    si[si[S.IVARS] + j] += value


@kernel(forceinline=True, error_model="numpy")
def fvar(sf, j):
    """Float variable ``j`` (an ``FVar``) of the state."""
    return sf[int(sf[SF.FVARS]) + j]


@kernel(forceinline=True, error_model="numpy")
def set_fvar(sf, j, value):
    sf[int(sf[SF.FVARS]) + j] = value


@kernel(forceinline=True, error_model="numpy")
def out(pi, name):
    """Offset of output ``name`` (an ``Out``) in a trial's row."""
    return pi[pi[P.OUT_OFF] + name]


@kernel(forceinline=True, error_model="numpy")
def fill(a, field, n, value):
    """Set the first ``n`` elements of ``field`` to ``value``."""
    b = int(a[field])
    for j in range(n):
        a[b + j] = value
