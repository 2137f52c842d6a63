"""Where blocks run: in this process, or on a Dask cluster.

An explicit ``client``; else ``scheduler`` (an address); else ``scheduler_file``;
else the ``DASK_SCHEDULER_ADDRESS`` environment variable; else an embedded
``LocalCluster`` of worker processes. ``n_workers=0`` (and no scheduler) runs every
block in this process. The cluster is started only when there is work for it. The
clients made here are not dask's default: the driver's own NetCDF writes then take
local locks, not distributed ones that outlive the cluster after an interrupt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reliability.runner._interrupt import HeldInterrupt

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["CONNECT_TIMEOUT_S", "ClusterLost", "Executor", "local_client", "scheduler_address"]


class ClusterLost(OSError):
    """The cluster cannot finish the run: the scheduler is gone, or a block keeps
    killing the workers that run it. The blocks finished so far are stored."""


def _held(obj: Any) -> Any:
    """A task whose result is ``obj``: data the blocks share, which the scheduler can
    compute again should every worker holding it be lost (scattered data cannot be)."""
    return obj


#: a task's function and arguments, made from (scenario, block, shared objects)
Make = Callable[[int, int, Sequence[Any]], tuple[Callable[..., Any], tuple[Any, ...]]]


def _recomputed(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(("Couldn't gather keys", "Removing worker"))


@contextlib.contextmanager
def local_client(n_workers: int) -> Iterator[Client]:
    """An embedded ``LocalCluster`` of ``n_workers`` single-threaded worker processes
    (netCDF and the kernel are single-threaded) and a client connected to it."""
    from distributed import Client, LocalCluster

    with contextlib.ExitStack() as stack:
        # this process holds the embedded cluster's scheduler: when workers die, it
        # logs the blocks it must recompute as errors, though nothing is lost
        scheduler_log = logging.getLogger("distributed.scheduler")
        scheduler_log.addFilter(_recomputed)
        stack.callback(scheduler_log.removeFilter, _recomputed)
        with _sigint_held():  # only while the worker processes start
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=n_workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address="127.0.0.1:0",  # None would still serve HTTP on :8787
                    silence_logs=logging.ERROR,
                    preload=["reliability.runner._worker"],  # workers leave Ctrl-C to the driver
                )
            )  # on the stack before a held-back Ctrl-C can arrive: it is closed in order
        yield stack.enter_context(Client(cluster, set_as_default=False))


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """Start the worker processes with Ctrl-C ignored.

    Ctrl-C on a terminal reaches every process of its group. Worker processes
    inherit an ignored SIGINT across their start (multiprocessing's spawn clears a
    blocked one), and keep ignoring it once up (see ``_worker``): an interrupt cannot
    kill them half-way through their imports into a traceback, and the driver, which
    gets it, closes the cluster in order. This thread also blocks it meanwhile, so
    that it stays pending for this thread, but another thread of the process (a BLAS
    worker) usually takes it and drops it: a Ctrl-C in the second or two the workers
    take to start is lost.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield
        return
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


@contextlib.contextmanager
def _connect(
    scheduler: str | None, scheduler_file: str | None, n_workers: int | None
) -> Iterator[Client]:
    address = scheduler or (
        scheduler_address(scheduler_file)
        if scheduler_file
        else os.environ.get("DASK_SCHEDULER_ADDRESS")
    )
    if address:
        where = f" (from {scheduler_file})" if scheduler_file and not scheduler else ""
        _check_address(address, where)
        client = _client_within(address, where)
        with client:
            yield client
    else:
        with local_client(n_workers or os.cpu_count() or 1) as client:
            yield client


def _client_within(address: str, where: str) -> Client:
    """A client of the scheduler at ``address``, or one line after
    :data:`CONNECT_TIMEOUT_S`. Something that accepts the connection but never answers
    as a scheduler (an HTTP server, the dashboard's port) holds a client's handshake
    forever: the client is made in a thread that is given up on in time."""
    from distributed import Client

    made: dict[str, Any] = {}

    def connect() -> None:
        try:
            made["client"] = Client(address, set_as_default=False, timeout=CONNECT_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001 - TLS without certificates, not a scheduler
            made["error"] = exc

    thread = threading.Thread(target=connect, name="reliability-connect", daemon=True)
    thread.start()
    thread.join(CONNECT_TIMEOUT_S + 5.0)
    if "client" in made:
        return made["client"]
    why = made.get("error") or f"no answer as a Dask scheduler in {CONNECT_TIMEOUT_S:g} s"
    raise OSError(f"cannot reach the Dask scheduler at {address}{where}: {why}")


def _check_address(address: str, where: str) -> None:
    """Refuse what is not a scheduler address (protocol://host:port) before a client
    tries it: a half-made client would wait a minute to close."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        parse_host_port(parse_address(address, strict=True)[1])
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{address!r}{where} is not a Dask scheduler address such as tcp://host:8786 ({exc})"
        ) from None


#: seconds between looks at the cluster while no block finishes
WATCH_S = 5.0
#: seconds a scheduler may have no worker at all before the run ends with one line
NO_WORKERS_S = 120.0


def _n_workers(client: Client) -> int:
    try:
        return len(client.scheduler_info()["workers"])
    except Exception:  # noqa: BLE001 - a scheduler that stopped answering: reported elsewhere
        return 1


#: seconds to wait for a given scheduler before the run ends with a one-line error
CONNECT_TIMEOUT_S = 30


def scheduler_address(path: str | Path, wait_s: float | None = None) -> str:
    """The address in a scheduler file written by ``dask scheduler --scheduler-file``,
    waiting up to ``wait_s`` (default :data:`CONNECT_TIMEOUT_S`) for the file to
    appear and be complete (a scheduler started just before writes it a moment later).

    Raises
    ------
    FileNotFoundError, ValueError
        Still no such file, or not a scheduler file, after the wait: one line naming it.
    """
    p = Path(path)
    deadline = time.monotonic() + (CONNECT_TIMEOUT_S if wait_s is None else wait_s)
    while True:
        try:
            info = json.loads(p.read_text())
            address = info.get("address") if isinstance(info, dict) else None
            if not isinstance(address, str) or "://" not in address:
                raise ValueError("no 'address' such as tcp://host:port in it")
            return address
        except FileNotFoundError:
            error: Exception = FileNotFoundError(
                f"{p}: no such scheduler file (`dask scheduler --scheduler-file {p}` writes it)"
            )
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            error = ValueError(f"{p}: not a Dask scheduler file ({exc})")
        if time.monotonic() >= deadline:
            raise error
        time.sleep(0.2)


def _result(fut: Any, block: tuple[int, int], client: Client) -> Any:
    """The result of a finished block, or :class:`ClusterLost` when the cluster lost it
    for good (an error of the block itself is raised as it is)."""
    from concurrent.futures import CancelledError

    from distributed import KilledWorker
    from distributed.comm import CommClosedError

    try:
        return fut.result()
    except KilledWorker:
        s, b = block
        raise ClusterLost(
            f"block {b} of scenario {s} ended every worker that ran it (out of memory, or "
            "a crash in compiled code)"
        ) from None
    except (CancelledError, CommClosedError) as exc:
        address = getattr(client.scheduler, "address", None) or "?"
        raise ClusterLost(f"lost the Dask scheduler at {address} ({type(exc).__name__})") from None


class Executor(contextlib.AbstractContextManager):
    """Runs (scenario, block) tasks of every method, handing each result to ``done``
    as it arrives (in any order: results depend on the seed and block only)."""

    def __init__(
        self,
        client: Client | None = None,
        scheduler: str | None = None,
        scheduler_file: str | None = None,
        n_workers: int | None = None,
    ) -> None:
        given = scheduler or scheduler_file
        self.in_process = n_workers == 0 and client is None and not given
        # a scheduler to reach (an embedded cluster is started only when there is work)
        self._external = (
            client is None
            and not self.in_process
            and bool(given or os.environ.get("DASK_SCHEDULER_ADDRESS"))
        )
        self._client = client
        self._where = (scheduler, scheduler_file, n_workers)
        self._stack = contextlib.ExitStack()
        self._shared: list[tuple[Sequence[Any], list[Any]]] = []
        #: run on every worker (once) before the first task, such as loading the
        #: compiled kernel: progress timed from ``on_start`` then leaves it out
        self.warm: Callable[[], None] | None = None
        self._warmed = False
        #: Ctrl-C inside the client is acted on outside its locks (see ._interrupt)
        self._interrupt = HeldInterrupt()

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        # the run is ending: a press now would interrupt the close inside the client
        with self._interrupt.ignored():
            if not isinstance(exc, ClusterLost):
                self._stack.close()
                return
            # the client's reconnection attempts, cancelled by the close, log
            # tracebacks: the run already ends with one line saying what was lost
            previous = logging.root.manager.disable
            logging.disable(logging.CRITICAL)
            try:
                self._stack.close()
            finally:
                logging.disable(previous)

    def reach(self) -> None:
        """Connect now to a scheduler that was given (an address, a scheduler file or
        ``DASK_SCHEDULER_ADDRESS``); an embedded cluster still starts only when there
        is work for it."""
        if self._external:
            self._connected()

    def _connected(self) -> Client:
        if self._client is None:
            # starting an embedded cluster runs inside the client (held by run());
            # reaching a given scheduler waits on a thread of its own: Ctrl-C acts
            self._client = self._stack.enter_context(_connect(*self._where))
        return self._client

    def _wait(self, call: Callable[[], Any]) -> None:
        """Run a blocking client ``call`` on a thread of its own, acting on a held
        Ctrl-C meanwhile (loading the kernel on workers that compile it themselves
        takes minutes); the call's error, if any, is raised here."""
        failed: list[BaseException] = []

        def target() -> None:
            try:
                call()
            except BaseException as exc:  # noqa: BLE001 - raised in the driver below
                failed.append(exc)

        thread = threading.Thread(target=target, name="reliability-wait", daemon=True)
        thread.start()
        while thread.is_alive():
            self._interrupt.check()
            thread.join(0.05)
        if failed:
            raise failed[0]

    def _share(self, shared: Sequence[Any], tag: str) -> list[Any]:
        """``shared`` on the cluster (once per executor): the plans a run's blocks use.

        Each object is the result of a task that holds it, not scattered data: should
        every worker holding it die, the scheduler computes it again from the task,
        and the blocks that need it go on.
        """
        for objs, refs in self._shared:
            if objs is shared:
                return refs
        client = self._connected()
        # unique keys: identical plans of an earlier run may still be being released
        stamp = f"{time.time_ns():x}"
        refs = [
            client.submit(_held, obj, key=f"shared-{tag}-{i}-{stamp}", pure=False)
            for i, obj in enumerate(shared)
        ]
        self._shared.append((shared, refs))
        return refs

    def run(
        self,
        tasks: Sequence[tuple[int, int]],
        make: Make,
        done: Callable[[int, int, Any], None],
        *,
        shared: Sequence[Any] = (),
        tag: str = "block",
        on_start: Callable[[], None] | None = None,
    ) -> None:
        """Run ``func(*args)`` of ``make(s, b, shared)`` for every task; ``shared`` is
        sent to the workers once and ``make`` receives references to it.
        ``on_start()`` is called once the workers are up (and have run :attr:`warm`),
        just before the first task is sent: progress measured from there leaves out
        the cluster's start-up."""
        if not tasks:
            return
        if self.in_process:
            if on_start:
                on_start()
            for s, b in tasks:
                func, args = make(s, b, shared)
                done(s, b, func(*args))
            return
        self.reach()  # a given scheduler is reached outside the hold: Ctrl-C acts
        with self._interrupt.held():
            self._run(tasks, make, done, shared, tag, on_start)

    def _run(
        self,
        tasks: Sequence[tuple[int, int]],
        make: Make,
        done: Callable[[int, int, Any], None],
        shared: Sequence[Any],
        tag: str,
        on_start: Callable[[], None] | None,
    ) -> None:
        """:meth:`run` on the cluster, with Ctrl-C held (``check()`` is called only
        between calls into the client)."""
        from distributed import as_completed

        client = self._connected()
        refs = self._share(shared, tag) if shared else []
        if self.warm is not None and not self._warmed:
            self._wait(partial(client.run, self.warm))
            self._warmed = True
        if on_start:
            on_start()
        where: dict[str, tuple[int, int]] = {}
        futures = []
        for i, (s, b) in enumerate(tasks):
            if i % 100 == 0:
                self._interrupt.check()
            func, args = make(s, b, refs)
            fut = client.submit(func, *args, key=f"{tag}-{s}-{b}", pure=False)
            where[fut.key] = (s, b)
            futures.append(fut)
        finishing = as_completed(futures, loop=client.loop)
        alone_since: float | None = None
        last = time.monotonic()
        while not finishing.is_empty():
            self._interrupt.check()  # here the driver holds none of the client's locks
            finished = finishing.next_batch(block=False)
            if not finished:
                time.sleep(0.02)
                if time.monotonic() - last < WATCH_S:
                    continue
                # nothing finished for a while: fine while workers compute, not when
                # the scheduler has none left (an external cluster does not restart them)
                last = time.monotonic()
                if _n_workers(client):
                    alone_since = None
                    continue
                alone_since = alone_since or last
                if last - alone_since >= NO_WORKERS_S:
                    raise ClusterLost(
                        f"the Dask scheduler at {client.scheduler.address} has had no "
                        f"workers for {NO_WORKERS_S:g} s"
                    )
                continue
            last = time.monotonic()
            for fut in finished:
                done(*where[fut.key], _result(fut, where[fut.key], client))
