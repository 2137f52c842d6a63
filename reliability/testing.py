"""Testing helpers, in the spirit of ``xarray.testing``."""

from __future__ import annotations

from reliability.results import assert_schema

__all__ = ["assert_schema"]
