"""The wall-clock event heap: restorations, servicing, resupply and the training job.

Every pending wall-clock event has an identity ``wall_off[kind] + index`` (a kind of
:data:`~reliability.engine.spec.EVENTS` and, for kinds with one event per unit or
per spare pool, which one), so that it can be rescheduled or cancelled without a
search. :func:`kind_of` turns an identity back into its kind; an identity of no kind
is an error, never a fallthrough. Events due at the same time come out in the order of
their identities (:mod:`._heap`): by kind in the order ``EVENTS`` declares them, then
by index (a servicing visit's restorations unit by unit).
"""

from __future__ import annotations

import math

from reliability.engine import _heap as heap
from reliability.engine._access import wall_off
from reliability.engine._jit import kernel
from reliability.engine.spec import EVENTS, SF, S

_N_KINDS = len(EVENTS)


@kernel(forceinline=True, error_model="numpy")
def ident(pi, kind, index):
    """The identity of event ``index`` of ``kind``."""
    return wall_off(pi, kind) + index


@kernel(forceinline=True, error_model="numpy")
def kind_of(pi, ident):
    """(kind, index) of an event identity; raises on an identity of no kind."""
    for kind in range(_N_KINDS):
        if ident < wall_off(pi, kind + 1):
            return kind, ident - wall_off(pi, kind)
    raise RuntimeError("a wall-clock event identity of no declared kind")


@kernel(forceinline=True, error_model="numpy")
def cancel(si, sf, ident):
    heap.remove(sf, si, int(sf[SF.WH_KEY]), si[S.WH_ID], si[S.WH_POS], si[S.WH_SIZE], ident)


@kernel(forceinline=True, error_model="numpy")
def schedule(si, sf, ident, when):
    """Schedule ``ident`` at ``when`` (replacing its pending time, if any)."""
    cancel(si, sf, ident)
    heap.push(sf, si, int(sf[SF.WH_KEY]), si[S.WH_ID], si[S.WH_POS], si[S.WH_SIZE], ident, when)


@kernel(forceinline=True, error_model="numpy")
def pop(si, sf):
    """Remove and return the earliest pending identity."""
    return heap.pop(sf, si, int(sf[SF.WH_KEY]), si[S.WH_ID], si[S.WH_POS], si[S.WH_SIZE])


@kernel(forceinline=True, error_model="numpy")
def next_time(si, sf):
    """Time of the earliest pending wall-clock event (inf when none)."""
    return sf[int(sf[SF.WH_KEY])] if si[si[S.WH_SIZE]] > 0 else math.inf
