"""What this machine offers a run: its memory."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["machine_memory"]


def machine_memory() -> int:
    """Bytes of memory this process may use: the machine's, or its cgroup's limit
    (a container, a batch job) where lower."""
    total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    for limit in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            raw = Path(limit).read_text().strip()
        except OSError:
            continue
        if raw.isdigit():
            total = min(total, int(raw))
    return int(total)
