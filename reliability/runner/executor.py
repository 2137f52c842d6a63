"""Where blocks run: in this process, or on a Dask cluster.

An explicit ``client``; else ``scheduler`` (an address); else ``scheduler_file``;
else the ``DASK_SCHEDULER_ADDRESS`` environment variable; else an embedded
``LocalCluster`` of worker processes. ``n_workers=0`` (and no scheduler) runs every
block in this process. The cluster is started only when there is work for it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["Executor", "local_client"]

#: a task's function and arguments, made from (scenario, block, shared objects)
Make = Callable[[int, int, Sequence[Any]], tuple[Callable[..., Any], tuple[Any, ...]]]


@contextlib.contextmanager
def local_client(n_workers: int) -> Iterator[Client]:
    """An embedded ``LocalCluster`` of ``n_workers`` single-threaded worker processes
    (netCDF and the kernel are single-threaded) and a client connected to it."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


@contextlib.contextmanager
def _connect(
    scheduler: str | None, scheduler_file: str | None, n_workers: int | None
) -> Iterator[Client]:
    from distributed import Client

    if scheduler:
        with Client(scheduler) as client:
            yield client
    elif scheduler_file:
        with Client(scheduler_file=scheduler_file) as client:
            yield client
    elif os.environ.get("DASK_SCHEDULER_ADDRESS"):
        with Client() as client:
            yield client
    else:
        with local_client(n_workers or os.cpu_count() or 1) as client:
            yield client


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
        self.in_process = n_workers == 0 and client is None and not scheduler and not scheduler_file
        self._client = client
        self._where = (scheduler, scheduler_file, n_workers)
        self._stack = contextlib.ExitStack()
        self._shared: list[tuple[Sequence[Any], list[Any]]] = []

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def _connected(self) -> Client:
        if self._client is None:
            self._client = self._stack.enter_context(_connect(*self._where))
        return self._client

    def _scatter(self, shared: Sequence[Any]) -> list[Any]:
        """``shared`` on every worker (once per executor): the plans a run's blocks use."""
        for objs, refs in self._shared:
            if objs is shared:
                return refs
        # unique keys: identical plans of an earlier run may still be being released
        refs = self._connected().scatter(list(shared), broadcast=True, hash=False)
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
    ) -> None:
        """Run ``func(*args)`` of ``make(s, b, shared)`` for every task; ``shared`` is
        sent to the workers once and ``make`` receives references to it."""
        if not tasks:
            return
        if self.in_process:
            for s, b in tasks:
                func, args = make(s, b, shared)
                done(s, b, func(*args))
            return
        from distributed import as_completed

        client = self._connected()
        refs = self._scatter(shared) if shared else []
        where: dict[str, tuple[int, int]] = {}
        futures = []
        for s, b in tasks:
            func, args = make(s, b, refs)
            fut = client.submit(func, *args, key=f"{tag}-{s}-{b}", pure=False)
            where[fut.key] = (s, b)
            futures.append(fut)
        for fut in as_completed(futures):
            done(*where[fut.key], fut.result())
