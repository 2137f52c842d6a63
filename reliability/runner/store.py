"""A run directory: manifest, campaign copy, one part file per block, the result.

::

    RUN_DIR/
      manifest.json            config hash, library digest, seed, block size, overrides, scenarios
      campaign.toml            the campaign text as given
      campaign_files.json      the data files it names, as read (if it names any)
      parts/s000-b00000.nc     one file per (scenario, block), written atomically
      result.nc                assembled when every part is there

Every file is written to a temporary name in the same folder and renamed, so a killed
run leaves only complete files, each sealed with the checksum of its content.
``--resume`` recomputes exactly the missing blocks; a part that cannot be read, whose
content no longer matches its checksum, or that belongs to another configuration, is
recomputed rather than trusted. A run is resumed only by the library that started it
(its sources' digest, :func:`library_sha256`): a block of another version of the
model would be mixed with this one's unseen.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from reliability.campaign import Campaign, load_campaign, tornado
from reliability.campaign.load import RUN_FILES

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
from reliability.results import atomic_write
from reliability.results.integrity import checksum_problem
from reliability.results.io import write_sealed

__all__ = ["RunStore", "resume_campaign"]

log = logging.getLogger("reliability")


def _check_shape(ds: xr.Dataset, names: list[str], sizes: Mapping[str, int]) -> str:
    missing = [n for n in names if n not in ds]
    if missing:
        return f"lacks {missing[0]}"
    for n in names:
        for dim, size in zip(ds[n].dims, ds[n].shape, strict=True):
            if dim in sizes and sizes[dim] != size:
                return "has the wrong shape"
    return ""


def _check_extra(ds: xr.Dataset, names: list[str]) -> str:
    extra = sorted(set(map(str, ds.data_vars)) - set(names))
    return f"holds a variable no block has ({extra[0]})" if extra else ""


def _remove(path: Path) -> None:
    """Delete a bad part, whatever it is (a folder in its place too)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _foreign(folder: Path) -> bool:
    """Does ``folder`` hold anything but a lock left by a run that never started?"""
    return any(p.name != ".lock" for p in folder.iterdir())


def _write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda tmp: Path(tmp).write_text(text))


def resume_campaign(run_dir: str | Path) -> Campaign:
    """The campaign of an earlier run, with the overrides it was started with."""
    run = Path(run_dir)
    manifest = run / "manifest.json"
    if not manifest.is_file():
        raise FileNotFoundError(f"{run}: not a run directory (no manifest.json)")
    try:
        meta = json.loads(manifest.read_text())
        overrides = {k: meta["overrides"][k] for k in ("trials", "seed", "block_size")}
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{manifest}: unreadable manifest ({exc})") from None
    campaign = load_campaign(run / "campaign.toml")  # with the data files the run kept
    if meta.get("study") == "swings":
        campaign = tornado(campaign)
    if overrides["trials"] == campaign.trials:
        # not overridden: a trial count given would replace a precision target
        overrides["trials"] = None
    return campaign.with_overrides(**overrides)


#: what a run's blocks follow: the library's code and the physics tables it ships
_MODEL_SUFFIXES = (".py", ".csv", ".json", ".toml", ".txt")


@functools.cache
def library_sha256() -> str:
    """SHA-256 of the library's sources and data files (paths and contents): a run
    directory records it, and ``--resume`` refuses a run started by another version.

    >>> len(library_sha256())
    64
    """
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in _MODEL_SUFFIXES and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


class RunStore:
    """Part files and manifest of one run directory."""

    def __init__(self, run_dir: str | Path, campaign: Campaign, kind: str = "run") -> None:
        self.kind = kind  # "run", or "optimize": a search's parts are not a run's
        self.dir = Path(run_dir)
        self.parts = self.dir / "parts"
        self.campaign = campaign
        self._lock_fd: int | None = None

    def prepare(self, *, resume: bool) -> None:
        """Create the directory, or check that it holds this campaign when resuming;
        then hold its lock until :meth:`close` (one run writes to a directory at a
        time: a second run, or a --resume while the run is alive, is refused)."""
        manifest = self.dir / "manifest.json"
        if resume and not manifest.exists():
            raise FileNotFoundError(f"{self.dir}: nothing to resume (no manifest.json)")
        if not manifest.exists() and self.dir.is_dir() and _foreign(self.dir):
            raise FileExistsError(
                f"{self.dir}: not empty and not a run directory (no manifest.json); "
                "choose a new or empty --out"
            )
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            self._lock()
            self._check(manifest, resume=resume)
            self.parts.mkdir(parents=True, exist_ok=True)
            self._sweep_temporaries()
            c = self.campaign
            if c.toml_text and not (self.dir / "campaign.toml").exists():
                _write_text(self.dir / "campaign.toml", c.toml_text)
            if c.files and not (self.dir / RUN_FILES).exists():  # the data it names, as read
                _write_text(self.dir / RUN_FILES, json.dumps(dict(c.files)))
            if not manifest.exists():
                meta = {
                    "config_sha256": c.config_sha256,
                    "library_sha256": library_sha256(),
                    "campaign": c.name,
                    "seed_entropy": hex(c.seed),
                    "block_size": c.block_size,
                    "overrides": {"trials": c.trials, "seed": c.seed, "block_size": c.block_size},
                    "scenarios": [sc.name for sc in c.scenarios],
                }
                if self.kind != "run":  # a run's manifest stays as it was
                    meta["kind"] = self.kind
                if c.swings is not None and c.sweep is None:  # `run --swings`
                    meta["study"] = "swings"
                _write_text(manifest, json.dumps(meta, indent=2) + "\n")
        except BaseException:
            self.close()
            raise

    def _check(self, manifest: Path, *, resume: bool) -> None:
        """Under the lock: a fresh run finds no run here (one may have started since
        the first look), a resumed one its own."""
        if not manifest.exists():
            return
        if not resume:
            raise FileExistsError(
                f"{self.dir}: already holds a run; use --resume to "
                "continue it or choose another --out"
            )
        meta = json.loads(manifest.read_text())
        if meta.get("kind", "run") != self.kind:
            raise ValueError(
                f"{self.dir}: holds a `reliability {meta.get('kind', 'run')}` directory; "
                f"resume it with `reliability {meta.get('kind', 'run')} --resume`"
            )
        if meta.get("config_sha256") != self.campaign.config_sha256:
            raise ValueError(
                f"{self.dir}: holds a run of another configuration "
                f"({str(meta.get('config_sha256'))[:8]}, this one is "
                f"{self.campaign.config_sha256[:8]}); refusing to mix them"
            )
        started = meta.get("library_sha256")  # absent in runs from before 2026-12-08
        if started is not None and started != library_sha256():
            raise ValueError(
                f"{self.dir}: was started by another version of reliability (library "
                f"{str(started)[:8]}, this one is {library_sha256()[:8]}); its blocks would "
                "mix two versions of the model: resume it with the version that started "
                "it, or start a new run"
            )

    def _sweep_temporaries(self) -> None:
        """Delete the temporary files a killed run left behind (``.<name>.*.tmp``, see
        ``atomic_write``): under the lock, nobody else is writing them."""
        for folder in (self.dir, self.parts):
            for tmp in folder.glob(".*.tmp"):
                tmp.unlink(missing_ok=True)

    def _lock(self) -> None:
        """Take the run directory's lock (``.lock``, an advisory ``flock`` released
        when this process closes it or ends, however it ends)."""
        self._lock_fd = os.open(self.dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is None:  # not POSIX: no lock to take
            return
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                # a file system without flock (Lustre without -o flock, some NFS)
                log.warning("%s: cannot lock it (%s); runs into it are not guarded", self.dir, exc)
                return
            self.close()
            raise FileExistsError(
                f"{self.dir}: another run is writing to it right now; wait for it to "
                "end (or stop it) before --resume, or choose another --out"
            ) from None

    def close(self) -> None:
        """Release the run directory's lock."""
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            os.close(fd)

    def part_path(self, scenario: int, block: int) -> Path:
        """Where block ``block`` of scenario ``scenario`` is stored."""
        return self.parts / f"s{scenario:03d}-b{block:05d}.nc"

    def save(
        self, scenario: int, block: int, part: Mapping[str, tuple[tuple[str, ...], Any]]
    ) -> None:
        """Write one block atomically: ``part`` maps each variable to (dims, values)."""
        ds = xr.Dataset(
            dict(part),
            attrs={
                "config_sha256": self.campaign.config_sha256,
                "scenario": scenario,
                "block": block,
            },
        )
        write_sealed(ds, self.part_path(scenario, block))

    def load(
        self, scenario: int, block: int, names: Iterable[str], sizes: Mapping[str, int]
    ) -> dict[str, np.ndarray] | None:
        """Variables ``names`` of a stored block whose dimensions have ``sizes``, or None
        when it is absent, unreadable, changed since it was written (its checksum), of
        another configuration or misshapen (such a part is deleted, to be recomputed,
        never trusted)."""
        names = list(names)
        path = self.part_path(scenario, block)
        if not path.exists():
            return None
        try:
            if not path.is_file():  # a folder, a FIFO: nothing to open (a FIFO would block)
                raise OSError("not a regular file")
            with xr.open_dataset(path, engine="netcdf4") as ds:
                # names and sizes first: a part may declare a huge variable it never wrote
                problem = _check_shape(ds, names, sizes) or _check_extra(ds, names)
                if not problem:
                    ds = ds.load()
                    problem = checksum_problem(ds) or self._check_labels(ds, scenario, block)
        except (OSError, RuntimeError, ValueError, KeyError, TypeError, MemoryError) as exc:
            problem = f"unreadable ({type(exc).__name__}: {exc})"
        if problem:
            log.warning("%s: %s; recomputing this block", path, problem)
            _remove(path)
            return None
        return {n: np.asarray(ds[n].values) for n in names}

    def _check_labels(self, ds: xr.Dataset, scenario: int, block: int) -> str:
        attrs: dict[str, Any] = ds.attrs
        if attrs.get("config_sha256") != self.campaign.config_sha256:
            return "belongs to another configuration"
        if int(attrs.get("scenario", -1)) != scenario or int(attrs.get("block", -1)) != block:
            return "is labelled as another block"
        return ""
