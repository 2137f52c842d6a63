"""Checksums of stored datasets: part files and results carry the SHA-256 of their
content, and a file whose content no longer matches is not trusted.

The checksum covers what a reader sees: every variable and coordinate (name,
dimensions, type, values, attributes) and every global attribute but the checksum
itself. It is computed on the file as written, read back the way every reader reads
it, and added as the global attribute ``content_sha256`` before the file is renamed
into place; so a byte changed inside the data, or an attribute edited afterwards (a
forged campaign text, say), is found on the next read.

It guards against corruption and careless edits, not against someone who recomputes
it: for that, compare ``config_sha256`` with the campaign file you hold.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import netCDF4
import numpy as np
import xarray as xr

__all__ = ["CHECKSUM_ATTR", "checksum_problem", "content_sha256", "seal"]

#: the global attribute that holds the checksum
CHECKSUM_ATTR = "content_sha256"


def _canonical(value: Any) -> bytes:
    """Bytes of an attribute value, the same for every read of the same file."""
    if isinstance(value, np.ndarray):
        return value.dtype.str.encode() + repr(value.shape).encode() + value.tobytes()
    if isinstance(value, np.generic):
        value = value.item()
    return f"{type(value).__name__}:{value!r}".encode()


#: bytes of a variable read at a time: the checksum of a large result never holds a
#: second copy of its largest variable
_SLAB_BYTES = 64 * 2**20


def _slabs(var: xr.Variable) -> Iterator[np.ndarray]:
    """The values of ``var`` in C order, a slab of its first dimension at a time."""
    if var.ndim == 0 or var.dtype.kind == "O":
        yield np.asarray(var.values)
        return
    row = max(1, var.dtype.itemsize * math.prod(var.shape[1:]))
    step = max(1, _SLAB_BYTES // row)
    for start in range(0, max(var.shape[0], 1), step):
        yield np.asarray(var[start : start + step].values)


def _data_bytes(values: np.ndarray) -> bytes:
    if values.dtype.kind == "O":  # strings: their UTF-8 text, each with its length
        return b"".join(
            len(b).to_bytes(8, "little") + b for b in (str(x).encode() for x in values.ravel())
        )
    return np.ascontiguousarray(values).tobytes()


def content_sha256(ds: xr.Dataset) -> str:
    """The SHA-256 of everything in ``ds`` but its own ``content_sha256`` attribute."""
    h = hashlib.sha256()

    def feed(*parts: bytes | str) -> None:
        for part in parts:
            b = part.encode() if isinstance(part, str) else part
            h.update(len(b).to_bytes(8, "little"))
            h.update(b)

    for name in sorted(ds.attrs):
        if name != CHECKSUM_ATTR:
            feed("attr", name, _canonical(ds.attrs[name]))
    for name in sorted(map(str, ds.variables)):
        var = ds.variables[name]
        feed("var", name, ",".join(map(str, var.dims)), var.dtype.str, repr(var.shape))
        for key in sorted(var.attrs):
            feed(key, _canonical(var.attrs[key]))
        feed("data")
        for slab in _slabs(var):
            h.update(_data_bytes(slab))
    return h.hexdigest()


def seal(path: str | Path) -> str:
    """Add ``content_sha256`` to the NetCDF file at ``path`` (just written, not yet in
    place), computed from the file as readers will see it; returns it."""
    # cache=False: one variable in memory at a time, however large the result
    with xr.open_dataset(path, engine="netcdf4", cache=False) as ds:
        digest = content_sha256(ds)
    with netCDF4.Dataset(path, "a") as nc:
        nc.setncattr(CHECKSUM_ATTR, digest)
    return digest


def checksum_problem(ds: xr.Dataset) -> str:
    """Why ``ds`` (as read from a file) cannot be trusted, or "" when its content
    matches its checksum."""
    stored = ds.attrs.get(CHECKSUM_ATTR)
    if stored is None:
        return f"has no {CHECKSUM_ATTR} attribute (written by hand or by an older version)"
    if content_sha256(ds) != stored:
        return f"its content does not match its {CHECKSUM_ATTR} (changed after it was written)"
    return ""
