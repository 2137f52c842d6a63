"""Start-up of the embedded cluster's worker processes (a Dask preload module).

Ctrl-C on a terminal reaches every process of its group, workers included: workers
dying on their own make the driver's shutdown log errors and tracebacks. A worker
started here ignores it and leaves the interrupt to the driver, which closes the
cluster in order.

A block that raises (a trial past its event budget, say) reaches the driver as the
exception itself, which ends the run with one line; the worker's own "Compute
Failed" log record, a traceback on the same terminal, is dropped here.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any


def _not_compute_failed(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("Compute Failed")


def dask_setup(worker: Any) -> None:
    """Called by Dask in each worker process as it starts."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("distributed.worker").addFilter(_not_compute_failed)
