"""Ctrl-C held back while the driver talks to a Dask cluster.

Python raises ``KeyboardInterrupt`` in the main thread at whatever line it is on.
While a Dask client is live, that line is often inside the client's locks: a
``threading.Event`` of a ``sync`` call (``future.result()``, ``client.run``) or the
lock of ``as_completed``, which the client's IO-loop thread takes too. Raised there,
the interrupt leaves the lock held; the IO-loop thread then blocks on it for good,
and closing the cluster waits on the IO loop forever (seen once in CI: 21 minutes in
``SpecCluster.close``). So while a client is live a press is only recorded, and acted
on where the driver holds none of the client's locks: between two looks at the
finished blocks, in a window opened for work of its own (compiling the kernel), or
once the cluster is closed.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

__all__ = ["HeldInterrupt"]


class HeldInterrupt:
    """Hold Ctrl-C (SIGINT) from :meth:`hold` to :meth:`release`; :meth:`check` acts
    on a press made meanwhile by calling the handler that was in place before (the
    command's, or Python's ``KeyboardInterrupt``).

    Outside the main thread, or where SIGINT is ignored or left to the system, it
    does nothing: no ``KeyboardInterrupt`` can land in the client's locks then.

    Examples
    --------
    >>> held = HeldInterrupt()
    >>> held.hold()
    >>> held.pressed
    False
    >>> held.release()
    """

    def __init__(self) -> None:
        self._previous: Any = None
        self._frame: FrameType | None = None
        self.pressed = False

    def _record(self, signum: int, frame: FrameType | None) -> None:
        self.pressed = True
        self._frame = frame

    def _holding(self) -> bool:
        return self._previous is not None and signal.getsignal(signal.SIGINT) == self._record

    def hold(self) -> None:
        """From now on a Ctrl-C is recorded, not raised."""
        if self._previous is not None or threading.current_thread() is not threading.main_thread():
            return
        current = signal.getsignal(signal.SIGINT)
        if callable(current):
            self._previous = current
            signal.signal(signal.SIGINT, self._record)

    def check(self) -> None:
        """Act on a press held so far: put the earlier handler back and call it (it
        raises ``KeyboardInterrupt``, as the press would have)."""
        if not self.pressed or self._previous is None:
            return
        previous, frame = self._previous, self._frame
        if self._holding():
            signal.signal(signal.SIGINT, previous)
        self._previous = None
        self.pressed = False
        previous(signal.SIGINT, frame)

    def release(self) -> None:
        """Stop holding (the cluster is closed): put the earlier handler back, then act
        on a press held until now."""
        if self.pressed:
            self.check()
        elif self._previous is not None:
            if self._holding():
                signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    @contextlib.contextmanager
    def window(self) -> Iterator[None]:
        """A stretch of the driver's own work (compiling, say) that holds none of the
        client's locks: a Ctrl-C inside acts at once, one held before acts on entry."""
        self.check()
        if not self._holding():
            yield
            return
        signal.signal(signal.SIGINT, self._previous)
        try:
            yield
        finally:
            # hold again, unless the press was acted on (the handler changed it)
            if signal.getsignal(signal.SIGINT) == self._previous:
                signal.signal(signal.SIGINT, self._record)
