"""Reading TOML tables: every key used, every value checked, one message per problem.

A :class:`Table` tracks which keys its reader asked about, so that an unknown key
fails with the list of those allowed; each typed getter names the key path and the
offending value in its :class:`~reliability.campaign.errors.CampaignError`.
"""

from __future__ import annotations

import contextlib
import contextvars
import difflib
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scipy import special

from reliability.campaign.errors import MISSING, CampaignError
from reliability.envfiles import MAX_BYTES, decode_text
from reliability.laws import LAWS, Law
from reliability.units import parse_duration_h

__all__ = ["Table", "data_file", "read_duration_law", "read_law", "read_name", "reading_files"]

_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")
_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
#: the largest integer any count, size or index may take (the kernel's are 64-bit)
MAX_INT = 2**62


class Table:
    """A TOML table being read: tracks which keys were used so that unknown keys fail."""

    def __init__(self, data: Any, path: str, source: str) -> None:
        if not isinstance(data, dict):
            raise CampaignError("expected a table", source=source, path=path or "<top>", value=data)
        self.data, self.path, self.source = data, path, source
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        # a key that is not a bare TOML key is shown quoted, so a message stays one line
        shown = name if _BARE_KEY_RE.fullmatch(name) else json.dumps(name)
        return f"{self.path}.{shown}" if self.path else shown

    def error(self, name: str, message: str, value: Any = MISSING) -> CampaignError:
        return CampaignError(message, source=self.source, path=self.key(name), value=value)

    def has(self, name: str) -> bool:
        self.used.add(name)  # a key the reader asks about is one it understands
        return name in self.data

    def refuse(self, name: str, why: str, *, unless: bool = False) -> None:
        """``name`` given where it cannot act (``unless`` false) is an error saying
        ``why``, naming the key and its value; an absent ``name`` is fine."""
        if not unless and self.has(name):
            raise self.error(name, why, self.data[name])

    def raw(self, name: str, default: Any = MISSING) -> Any:
        self.used.add(name)
        if name not in self.data:
            if default is MISSING:
                raise self.error(name, "is required" + self._misspelt(name))
            return default
        return self.data[name]

    def _misspelt(self, name: str) -> str:
        """A key given here that looks like ``name`` misspelt (" ('maen' given: a
        misspelling?)"), or nothing."""
        unknown = [k for k in self.data if isinstance(k, str) and k not in self.used]
        close = difflib.get_close_matches(name, unknown, n=1, cutoff=0.6)
        return f" ({close[0]!r} given: a misspelling?)" if close else ""

    def table(self, name: str, *, required: bool = False) -> Table | None:
        value = self.raw(name, MISSING if required else None)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error(name, "expected a table", value)
        return Table(value, self.key(name), self.source)

    def string(self, name: str, default: Any = MISSING, choices: tuple[str, ...] = ()) -> Any:
        value = self.raw(name, default)
        if value is default and default is not MISSING:
            return value
        if not isinstance(value, str):
            raise self.error(name, "expected a string", value)
        if choices and value not in choices:
            raise self.error(name, f"must be one of {', '.join(choices)}", value)
        return value

    def boolean(self, name: str, default: Any = MISSING) -> bool:
        value = self.raw(name, default)
        if not isinstance(value, bool):
            raise self.error(name, "expected true or false", value)
        return value

    def integer(
        self, name: str, default: Any = MISSING, *, minimum: int = 0, maximum: int | None = None
    ) -> int:
        value = self.raw(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, "expected an integer", value)
        if value < minimum:
            raise self.error(name, f"must be at least {minimum}", value)
        maximum = MAX_INT if maximum is None else maximum
        if value > maximum:
            raise self.error(name, f"must be at most {maximum}", value)
        return value

    def number(
        self,
        name: str,
        default: Any = MISSING,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
        positive: bool = False,
    ) -> float:
        value = self.raw(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(name, "expected a number", value)
        return self._range(name, float(value), value, minimum, maximum, positive)

    def duration(
        self,
        name: str,
        default: Any = MISSING,
        *,
        positive: bool = False,
        maximum: float | None = None,
    ) -> float:
        value = self.raw(name, default)
        if value is default and default is not MISSING:
            return value
        try:
            hours = parse_duration_h(value)
        except (ValueError, TypeError) as exc:
            raise self.error(name, str(exc), value) from None
        return self._range(name, hours, value, 0.0, maximum, positive)

    def _range(
        self,
        name: str,
        x: float,
        shown: Any,
        minimum: float | None,
        maximum: float | None,
        positive: bool,
    ) -> float:
        if not math.isfinite(x):
            raise self.error(name, "must be finite", shown)
        if positive and x <= 0:
            raise self.error(name, "must be positive", shown)
        if minimum is not None and x < minimum:
            raise self.error(name, f"must be at least {minimum:g}", shown)
        if maximum is not None and x > maximum:
            raise self.error(name, f"must be at most {maximum:g}", shown)
        return x

    def finish(self) -> None:
        unknown = [k for k in self.data if k not in self.used]
        if unknown:
            allowed = ", ".join(sorted(self.used)) or "none"
            raise self.error(
                unknown[0], f"unknown key (allowed here: {allowed})", self.data[unknown[0]]
            )


def read_name(t: Table, key: str, value: Any) -> str:
    """A name: letters, digits, '_' and '-', starting with a letter (at most 64)."""
    # fullmatch: "$" would also match before a trailing newline ("demo\n")
    if not isinstance(value, str) or not _NAME_RE.fullmatch(value):
        raise t.error(
            key,
            "names use letters, digits, '_' and '-', starting with a letter (at most 64)",
            value,
        )
    return value


def read_law(t: Table, *, life: bool) -> Law:
    """Read a law table ({law = ..., mean = ..., ...}) into a :class:`Law`."""
    law = t.string("law", choices=LAWS)
    positive = life  # lives must be positive; restoration durations may be zero
    if law == "exponential":
        if t.has("rate"):
            rate = t.number("rate", positive=True)
            return Law(law=law, p1=1.0 / rate)
        mean = t.duration("mean", positive=positive)
        return Law(law=law, p1=mean)
    if law == "fixed":
        key = "at" if t.has("at") else "mean"
        return Law(law=law, p1=t.duration(key, positive=positive))
    if law == "weibull":
        shape = t.number("shape", positive=True, minimum=0.05, maximum=50.0)
        if t.has("scale"):
            scale = t.duration("scale", positive=True)
        else:
            scale = t.duration("mean", positive=True) / special.gamma(1.0 + 1.0 / shape)
        return Law(law=law, p1=scale, p2=shape)
    # lognormal: median or mean, and sigma of ln(time)
    sigma = t.number("sigma", positive=True, maximum=10.0)
    if t.has("median"):
        mu = math.log(t.duration("median", positive=True))
    else:
        mu = math.log(t.duration("mean", positive=True)) - 0.5 * sigma**2
    return Law(law=law, p1=mu, p2=sigma)


def read_duration_law(parent: Table, name: str, default: Any = MISSING) -> Law:
    """A restoration duration: ``"24 h"`` (fixed) or a law table."""
    value = parent.raw(name, default)
    if value is default and default is not MISSING:
        return value
    if isinstance(value, dict):
        t = Table(value, parent.key(name), parent.source)
        out = read_law(t, life=False)
        t.finish()
        return out
    try:
        hours = parse_duration_h(value)
    except (ValueError, TypeError) as exc:
        raise parent.error(name, str(exc), value) from None
    if not math.isfinite(hours) or hours < 0:
        raise parent.error(name, "must be a finite duration of at least 0 h", value)
    return Law(law="fixed", p1=hours)


#: the data files a campaign being read names: from a copy kept with a result or run
#: (name as written -> text) or None (from disk, next to the campaign file)
_GIVEN: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "given", default=None
)
_READ: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar("read", default=None)
_FOLDER: contextvars.ContextVar[Path | None] = contextvars.ContextVar("folder", default=None)


@contextlib.contextmanager
def reading_files(
    given: dict[str, str] | None = None, folder: str | Path | None = None
) -> Iterator[dict[str, str]]:
    """While a campaign is read, the data files it names come from ``given`` (the copy a
    result or run directory keeps) or from disk, relative names from ``folder``;
    yields every file read, name -> text, each read once however many scenarios name
    it."""
    read: dict[str, str] = {}
    tokens = (
        _GIVEN.set(given),
        _READ.set(read),
        _FOLDER.set(None if folder is None else Path(folder)),
    )
    try:
        yield read
    finally:
        _GIVEN.reset(tokens[0])
        _READ.reset(tokens[1])
        _FOLDER.reset(tokens[2])


def data_file(t: Table, key: str) -> tuple[str, str]:
    """(path for messages, text) of the data file ``t[key]`` names, relative to the
    campaign file."""
    raw = t.raw(key)
    if not isinstance(raw, str) or not raw.strip():
        raise t.error(key, "expected a file name (relative to the campaign file)", raw)
    path, folder = Path(raw), _FOLDER.get()
    if not path.is_absolute() and folder is not None:
        path = folder / path
    given, read = _GIVEN.get(), _READ.get()
    if read is not None and raw in read:
        return str(path), read[raw]
    if given is not None:
        if raw not in given:
            raise t.error(key, "the result or run does not carry a copy of this file", raw)
        text = given[raw]
    elif not path.is_absolute() and folder is None:
        raise t.error(key, "a relative file name needs the campaign read from its file", raw)
    else:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise t.error(key, f"larger than {MAX_BYTES >> 20} MiB", raw)
            text = decode_text(path.read_bytes())
        except FileNotFoundError:
            raise t.error(key, f"{path}: no such file", raw) from None
        except UnicodeDecodeError as err:
            raise t.error(key, f"{path}: not a text file (byte {err.start})", raw) from None
        except OSError as err:
            raise t.error(key, f"{path}: cannot read ({err.strerror})", raw) from None
    if read is not None:
        read[raw] = text
    return str(path), text
