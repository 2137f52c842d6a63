"""Ctrl-C held back while the driver is inside the Dask client.

Python raises ``KeyboardInterrupt`` in the main thread at whatever line it is on.
Inside the Dask client that line is often under a lock that the client's IO-loop
thread takes too: the ``threading.Event`` of a ``sync`` call (``future.result()``,
``client.run``, starting or closing a cluster) or the lock of ``as_completed``.
Raised there, the interrupt leaves the lock held; the IO-loop thread then blocks on
it for good, and closing the cluster waits on the IO loop forever (seen once in CI:
21 minutes in ``SpecCluster.close``).

So the executor calls the client only inside :meth:`HeldInterrupt.held`, where a
press is recorded and acted on by :meth:`~HeldInterrupt.check` at points where the
driver holds none of the client's locks (between two looks at the finished blocks,
between submissions), or on leaving. The cluster is closed inside
:meth:`~HeldInterrupt.ignored`: the run is ending already, and a further press must
not interrupt the close. The driver's own work (compiling, writing the result) runs
outside both, where Ctrl-C acts at once.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

__all__ = ["HeldInterrupt"]


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


class HeldInterrupt:
    """Hold Ctrl-C (SIGINT) while the driver is inside the Dask client.

    Inside :meth:`held` a press is recorded; :meth:`check` (or leaving) acts on it by
    calling the handler that was in place before (the command's, or Python's
    ``KeyboardInterrupt``). Outside the main thread, or where SIGINT is ignored or
    left to the system, nothing is held: no ``KeyboardInterrupt`` can land then.

    Examples
    --------
    >>> held = HeldInterrupt()
    >>> with held.held():
    ...     held.check()  # nothing pressed: nothing happens
    """

    def __init__(self) -> None:
        self._previous: Any = None
        self._frame: FrameType | None = None
        self.pressed = False
        self._acted = False

    def _record(self, signum: int, frame: FrameType | None) -> None:
        if not self._acted:  # once acted on, further presses are not raised again
            self.pressed = True
            self._frame = frame

    def _act(self) -> None:
        """Call the earlier handler on the press held (it raises, as the press would
        have). The recorder stays in place and drops further presses: they are not
        raised inside whatever the interrupt's unwinding runs next (leaving
        :meth:`held` restores the earlier handler)."""
        previous, frame = self._previous, self._frame
        self.pressed, self._frame = False, None
        try:
            previous(signal.SIGINT, frame)
        except BaseException:
            self._acted = True  # it raised: the run is being interrupted
            raise

    def check(self) -> None:
        """Act on a press held so far. Call it only where the driver holds none of
        the client's locks."""
        if self.pressed and self._previous is not None:
            self._act()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Record Ctrl-C instead of raising it; on leaving, put the earlier handler
        back and act on a press still held (unless an error is already ending the
        run)."""
        current = signal.getsignal(signal.SIGINT)
        nested = isinstance(getattr(current, "__self__", None), HeldInterrupt)
        if self._previous is not None or nested or not _main_thread() or not callable(current):
            # held already (by this or an enclosing executor: one that runs another
            # inside its own run acts on the press when its own run checks), not the
            # main thread, or SIGINT ignored: nothing to hold
            yield
            return
        self._previous = current
        signal.signal(signal.SIGINT, self._record)
        failed = True
        try:
            yield
            failed = False
        finally:
            previous, frame = self._previous, self._frame
            act = self.pressed and not failed
            self._previous, self._frame, self.pressed, self._acted = None, None, False, False
            if signal.getsignal(signal.SIGINT) == self._record:
                signal.signal(signal.SIGINT, previous)
            if act:
                previous(signal.SIGINT, frame)

    @staticmethod
    @contextlib.contextmanager
    def ignored() -> Iterator[None]:
        """Ignore Ctrl-C (the cluster is being closed: the run is ending already);
        the earlier handler is put back afterwards."""
        if not _main_thread():
            yield
            return
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
