"""Reading and writing results: NetCDF4, compressed and chunked by block, written
atomically, read back with the schema checked."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xarray as xr

from reliability.machine import machine_memory
from reliability.results.integrity import CHECKSUM_ATTR, checksum_problem, seal
from reliability.results.schema import SchemaError, assert_schema

__all__ = ["atomic_write", "open_result", "open_search", "write_result", "write_sealed"]


def _encoding(ds: xr.Dataset) -> dict[str, dict[str, Any]]:
    block = int(ds.attrs.get("block_size", ds.sizes.get("trial", 1))) or 1
    enc: dict[str, dict[str, Any]] = {}
    for name, var in ds.data_vars.items():
        chunks = tuple(
            min(block, n) if d in ("trial", "cycle") else (1 if d == "scenario" else n)
            for d, n in zip(var.dims, var.shape, strict=True)
        )
        enc[name] = {
            "zlib": True,
            "complevel": 4,
            "shuffle": True,
            "chunksizes": tuple(max(c, 1) for c in chunks),
        }
    return enc


def atomic_write(path: str | Path, write: Callable[[str], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it to ``path``.

    A killed or failed write leaves no file that looks complete.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        try:
            write(tmp)
        except RuntimeError as exc:  # netCDF/HDF5 report a full disk as "HDF error"
            raise OSError(f"{path}: could not be written ({exc}); is the disk full?") from None
        # mkstemp creates the file 0600: give it the permissions a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_result(ds: xr.Dataset, path: str | Path) -> Path:
    """Check ``ds`` against the result schema, then write it to NetCDF4 (compressed,
    chunked by block) atomically, sealed with the checksum of its content (see
    :mod:`.integrity`): a result that :func:`open_result` would refuse is never
    written.

    Raises
    ------
    SchemaError
        ``ds`` violates the schema (nothing is written).
    """
    assert_schema(ds)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_sealed(ds, path, encoding=_encoding(ds))


def write_sealed(ds: xr.Dataset, path: str | Path, **to_netcdf: Any) -> Path:
    """Write ``ds`` to NetCDF4 at ``path`` atomically, sealed with the checksum of its
    content as read back (see :mod:`.integrity`); ``to_netcdf`` go to
    :meth:`xarray.Dataset.to_netcdf`."""

    def write(tmp: str) -> None:
        ds.to_netcdf(tmp, engine="netcdf4", format="NETCDF4", **to_netcdf)
        seal(tmp)

    return atomic_write(path, write)


def _open_checked(p: Path, check: Callable[[xr.Dataset], None]) -> xr.Dataset:
    """``p`` read whole and closed, ``check``-ed, its content matched to its checksum."""
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such result file")
    try:
        with xr.open_dataset(p, engine="netcdf4") as ds:
            if ds.nbytes > machine_memory() // 2:  # declared, not stored: refuse before reading
                raise SchemaError(
                    f"{p}: declares {ds.nbytes / 2**30:.3g} GiB of data, more than this "
                    "machine can hold: not a result of this program"
                )
            loaded = ds.load()
    except SchemaError:
        raise
    except (OSError, ValueError, TypeError, RuntimeError, KeyError, MemoryError) as exc:
        raise SchemaError(f"{p}: not a readable NetCDF result ({exc})") from None
    try:
        check(loaded)
    except SchemaError as exc:
        raise SchemaError(f"{p}: {exc}") from None
    if problem := checksum_problem(loaded):
        raise SchemaError(f"{p}: {problem}; not trusted")
    del loaded.attrs[CHECKSUM_ATTR]  # checked; the dataset is what was written
    return loaded


def open_result(path: str | Path) -> xr.Dataset:
    """Open a result file (or a run directory holding ``result.nc``), check that its
    content matches its checksum (nothing changed since it was written) and check its
    schema.

    Returns the dataset that was written, loaded into memory (the file is closed
    again).
    """
    p = Path(path)
    return _open_checked(p / "result.nc" if p.is_dir() else p, assert_schema)


#: what the record of a search (``search.nc``) must hold
SEARCH_VARIABLES = ("trials", "p_meet", "p_meet_low", "p_meet_high", "verdict", "cost")


def _assert_search(ds: xr.Dataset) -> None:
    if ds.attrs.get("method") != "optimize":
        raise SchemaError("not the record of a `reliability optimize` search")
    missing = [v for v in SEARCH_VARIABLES if v not in ds]
    if missing:
        raise SchemaError(f"lacks {missing[0]}: not the record of a search")


def open_search(path: str | Path) -> xr.Dataset:
    """Open the record of a search (``search.nc``, or a directory holding it), checked
    like :func:`open_result`."""
    p = Path(path)
    return _open_checked(p / "search.nc" if p.is_dir() else p, _assert_search)
