"""The one error a campaign file gives, and the checks shared by the file and the
command line."""

from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["MAX_TRIALS", "MISSING", "CampaignError", "check_count", "check_seed"]

#: most trials a campaign may ask for
MAX_TRIALS = 100_000_000
#: marks an argument not given (``None`` is a value)
MISSING = object()


class CampaignError(ValueError):
    """A campaign file is malformed; the message names file, key path and value."""

    def __init__(
        self, message: str, *, source: str = "<campaign>", path: str = "", value: Any = MISSING
    ) -> None:
        self.source, self.path, self.value, self.problem = source, path, value, message
        where = f"{source}: " if source else ""
        if path and value is not MISSING:
            text = f"{where}{path} = {_show(value)}: {message}"
        elif path:
            text = f"{where}{path}: {message}"
        else:
            text = f"{where}{message}"
        super().__init__(text)


def _show(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")  # TOML spelling
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def check_count(value: Any, path: str, source: str, *, maximum: int) -> None:
    """An integer from 1 to ``maximum`` (trials, block size)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise CampaignError(
            f"must be an integer from 1 to {maximum}", source=source, path=path, value=value
        )


def check_seed(value: Any, path: str, source: str) -> None:
    """A seed: an integer from 0 to 2**128 - 1."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**128:
        raise CampaignError(
            "must be an integer from 0 to 2**128 - 1", source=source, path=path, value=value
        )
