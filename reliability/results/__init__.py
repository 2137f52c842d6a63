"""The result dataset: schema (derived from the engine's outputs), provenance,
building and NetCDF input and output.

``schema`` holds the variables of crude, importance-sampling and splitting results
and the check; ``provenance`` the attributes every result carries; ``build`` makes
datasets; ``io`` writes them atomically and reads them back checked.
"""

from reliability.results.build import assemble, rare_dataset, split_dataset
from reliability.results.io import atomic_write, open_result, open_search, write_result
from reliability.results.provenance import library_versions, provenance
from reliability.results.schema import (
    RARE_SCHEMA,
    SCHEMA,
    SPLIT_SCHEMA,
    SchemaError,
    assert_schema,
    config_files,
)

__all__ = [
    "RARE_SCHEMA",
    "SCHEMA",
    "SPLIT_SCHEMA",
    "SchemaError",
    "assemble",
    "assert_schema",
    "atomic_write",
    "config_files",
    "library_versions",
    "open_result",
    "open_search",
    "provenance",
    "rare_dataset",
    "split_dataset",
    "write_result",
]
