"""Start-up of the embedded cluster's worker processes (a Dask preload module).

Ctrl-C on a terminal reaches every process of its group, workers included: workers
dying on their own make the driver's shutdown log errors and tracebacks. A worker
started here ignores it and leaves the interrupt to the driver, which closes the
cluster in order.
"""

from __future__ import annotations

import signal
import threading
from typing import Any


def dask_setup(worker: Any) -> None:
    """Called by Dask in each worker process as it starts."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
