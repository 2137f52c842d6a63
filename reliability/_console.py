"""The ``reliability`` command's entry point: Ctrl-C is handled from the first moment.

Loading the library takes a second or two; an interrupt meanwhile ends the command
with one line (nothing has been written yet) instead of a traceback of the imports.
"""

from __future__ import annotations

import signal
import sys
from typing import Any


def _while_loading(signum: int, frame: Any) -> None:
    print("interrupted while starting: nothing was written", file=sys.stderr)
    raise SystemExit(130)


def main() -> None:
    """Run the ``reliability`` command."""
    previous = signal.signal(signal.SIGINT, _while_loading)
    from reliability.cli import main as cli

    signal.signal(signal.SIGINT, previous)
    cli()
