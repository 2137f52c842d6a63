"""The numeric plan the kernel runs, and the kernel's state: built from the contract.

:class:`PlanArrays` holds one scenario as plain numbers (no TOML, no physics): one
attribute per non-derived field and parameter of :mod:`reliability.engine.spec`.
The kernel sees it packed into an int64 and a float64 array (:func:`pack_plan`) and
its state as int64, float64 and uint64 arrays (:func:`new_state`), whose first
entries are the offsets of each field: a compiled call passes five arrays, not
ninety, which keeps the per-event overhead to a few nanoseconds. Numba does not
check bounds, so packing checks every field's size against the dimension the
contract gives it.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from reliability.engine.spec import (
    EVENTS,
    FIXED_SIZES,
    OUTPUTS,
    PARAMS_FLOAT,
    PARAMS_INT,
    PLAN_FLOAT,
    PLAN_INT,
    STATE_FLOAT,
    STATE_INT,
    STATE_UINT,
    Field,
)

__all__ = ["PlanArrays", "dimensions", "new_state", "output_layout", "pack_plan", "row_width"]

_REQUIRED = object()
_INPUTS = [f for f in (*PLAN_INT, *PLAN_FLOAT, *PARAMS_INT, *PARAMS_FLOAT) if not f.derived]
_Base = namedtuple(
    "_Base",
    [f.name for f in _INPUTS],
    defaults=[_REQUIRED if f.default is None else f.default for f in _INPUTS],
)


class PlanArrays(_Base):
    """Numeric description of one scenario (all times in hours).

    Its attributes are the fields and parameters of :mod:`reliability.engine.spec`
    that ``pack_plan`` does not derive: units are leaf slots; groups are k-of-n
    holders in breadth-first order (root 0); modes are failure modes over all unit
    types; clocks are (unit, mode) pairs; domains are rate profiles (domain 0 is the
    constant profile). A field the contract gives a default may be left out (a plan
    without that feature); the others are required. It pickles cheaply to Dask
    workers.
    """

    __slots__ = ()

    def __new__(cls, *args, **kwargs):
        self = super().__new__(cls, *args, **kwargs)
        missing = [
            name for name, value in zip(self._fields, self, strict=True) if value is _REQUIRED
        ]
        if missing:
            raise TypeError(f"PlanArrays needs {', '.join(missing)}")
        return self

    @property
    def n_units(self) -> int:
        """Number of unit slots."""
        return int(np.size(self.unit_group))

    @property
    def n_modes(self) -> int:
        """Number of failure modes over all unit types."""
        return int(np.size(self.mode_law))

    @property
    def n_cells(self) -> int:
        """Number of capacity-grid cells."""
        return int(np.size(self.edges) - 1)


def _last(a) -> int:
    return int(np.asarray(a).ravel()[-1])


def dimensions(p: PlanArrays) -> dict[str, int]:
    """The sizes the contract's fields are declared in, for plan ``p``."""
    dims = {
        **FIXED_SIZES,
        "units": p.n_units,
        "clocks": int(np.size(p.clock_unit)),
        "groups": int(np.size(p.group_k)),
        "modes": p.n_modes,
        "domains": int(np.size(p.dom_kind)),
        "crews": int(np.size(p.crew_count)),
        "spare_pools": int(np.size(p.sp_capacity)),
        "cells": p.n_cells,
        "dom_pieces": _last(p.dom_off),
        "pattern_pieces": _last(p.dom_poff),
        "spe_pieces": int(np.size(p.occ_t)),
        "demand_pieces": int(np.size(p.dem_t)),
        "factor_pieces": int(np.size(p.cf_t)),
        "tau_pieces": int(np.size(p.tau_t)),
        "crew_queue": _last(p.crew_qoff),
        "spare_queue": _last(p.sp_qoff),
        "order_slots": _last(p.sp_ooff),
        "shop_slots": _last(p.sp_soff),
        "lots": int(np.size(p.lot_first)),
        "power_groups": int(np.size(p.pw_group)),
        "power_pieces": int(np.size(p.pw_t)),
        "power_table": int(np.size(p.pw_ecl)),
        "link_table": int(np.size(p.lk_d)),
        "max_children": int(np.max(p.group_n)),
        "spe_points": 2 * int(p.spe_cap) + 2,
        "spe_events": 3 * int(p.spe_cap),
    }
    dims["wall"] = sum(dims[e.count] for e in EVENTS)
    return dims


def output_layout(n_modes: int, n_cells: int) -> list[tuple[str, int, int]]:
    """(name, offset, size) of every output in a trial's row of the kernel."""
    out, offset = [], 0
    for o in OUTPUTS:
        out.append((o.name, offset, o.size(n_modes, n_cells)))
        offset += o.size(n_modes, n_cells)
    return out


def row_width(n_modes: int, n_cells: int) -> int:
    """Values in a trial's row of outputs."""
    return sum(o.size(n_modes, n_cells) for o in OUTPUTS)


def _derived(p: PlanArrays, dims: dict[str, int]) -> dict[str, np.ndarray]:
    """The fields ``pack_plan`` computes from the others."""
    dem_t = np.atleast_1d(np.asarray(p.dem_t, dtype=float))
    dem_m = np.atleast_1d(np.asarray(p.dem_m, dtype=float))
    layout = output_layout(dims["modes"], dims["cells"])
    return {
        "iparams": np.array(
            [dims[q.count] if q.derived else getattr(p, q.name) for q in PARAMS_INT]
        ),
        "fparams": np.array([getattr(p, q.name) for q in PARAMS_FLOAT], dtype=np.float64),
        "wall_off": np.cumsum([0] + [dims[e.count] for e in EVENTS]),
        "out_off": np.array([off for _, off, _ in layout] + [sum(n for *_, n in layout)]),
        "dem_c": np.concatenate([[0.0], np.cumsum(dem_m[:-1] * np.diff(dem_t))]),
    }


def _size(f: Field, dims: dict[str, int]) -> int:
    return dims[f.size] + f.extra


def _pack(fields: tuple[Field, ...], values: dict[str, np.ndarray], dtype: type) -> np.ndarray:
    header = len(fields)
    sizes = [int(np.asarray(values[f.name]).size) for f in fields]
    offsets = header + np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    out = np.zeros(header + sum(sizes), dtype=dtype)
    out[:header] = offsets
    for f, off, n in zip(fields, offsets, sizes, strict=True):
        out[off : off + n] = np.asarray(values[f.name], dtype=dtype).ravel()
    return out


def _inputs(fields: tuple[Field, ...], p: PlanArrays, derived: dict, dims: dict) -> dict:
    values = {}
    for f in fields:
        if f.derived:
            value = derived[f.name]
        else:
            value = getattr(p, f.name)
            # a scalar (a default, for a plan without the feature) fills the field
            value = np.full(_size(f, dims), value) if np.ndim(value) == 0 else value
        if np.size(value) != _size(f, dims):
            raise ValueError(
                f"plan field {f.name!r} has {np.size(value)} entries, the contract "
                f"sizes it {f.size}{f' + {f.extra}' if f.extra else ''} = {_size(f, dims)}"
            )
        values[f.name] = value
    return values


def pack_plan(p: PlanArrays) -> tuple[np.ndarray, np.ndarray]:
    """The plan as the kernel's (int64, float64) arrays.

    Raises
    ------
    ValueError
        A field whose size is not the one the contract declares.
    """
    dims = dimensions(p)
    derived = _derived(p, dims)
    pi = _pack(PLAN_INT, _inputs(PLAN_INT, p, derived, dims), np.int64)
    pf = _pack(PLAN_FLOAT, _inputs(PLAN_FLOAT, p, derived, dims), np.float64)
    return pi, pf


def new_state(p: PlanArrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Allocate the kernel's (int64, float64, uint64) state arrays for plan ``p``."""
    dims = dimensions(p)

    def alloc(fields: tuple[Field, ...], dtype: type) -> np.ndarray:
        return _pack(fields, {f.name: np.zeros(_size(f, dims)) for f in fields}, dtype)

    return alloc(STATE_INT, np.int64), alloc(STATE_FLOAT, np.float64), alloc(STATE_UINT, np.uint64)
