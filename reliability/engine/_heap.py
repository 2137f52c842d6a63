"""Indexed 4-ary min-heaps on flat arrays: push, pop and remove in O(log n).

A heap lives inside the kernel's flat state arrays: its keys at ``sf[kb:]``, its
identities at ``si[ib:]``, the slot of each identity at ``si[pb + ident]`` (-1 when
absent) and its size at ``si[sz]``. Knowing every identity's slot lets any pending
event (a repair cancelled by a servicing visit, a clock paused while its unit is
down) be removed without a search.

Entries are ordered by key, then by identity: events due at the same time (units
retired at their design life, a servicing visit's restorations) come out in the
order of their identities, whatever the heap's shape or history. Without the
identity the order of ties was the binary heap's accident (until 2026-12-08).

Four children a node, not two: a pop walks half as many levels, and the four
children's keys share a cache line, which matters once a heap of 100,000 clocks
no longer fits in cache. Entries move into a hole rather than swap.
"""

from __future__ import annotations

from reliability.engine._jit import kernel


@kernel(forceinline=True)
def _place(sf, si, kb, ib, pb, j, key, ident):
    sf[kb + j] = key
    si[ib + j] = ident
    si[pb + ident] = j


@kernel(forceinline=True)
def _before(sf, si, kb, ib, j, key, ident):
    """Whether slot ``j`` comes before (``key``, ``ident``)."""
    kj = sf[kb + j]
    return kj < key or (kj == key and si[ib + j] < ident)


@kernel(forceinline=True)
def _sift_up(sf, si, kb, ib, pb, j, key, ident):
    while j > 0:
        p = (j - 1) >> 2
        if _before(sf, si, kb, ib, p, key, ident):
            break
        _place(sf, si, kb, ib, pb, j, sf[kb + p], si[ib + p])
        j = p
    _place(sf, si, kb, ib, pb, j, key, ident)


@kernel(forceinline=True)
def _sift_down(sf, si, kb, ib, pb, size, j, key, ident):
    while True:
        first = 4 * j + 1
        if first >= size:
            break
        m = first
        mk = sf[kb + first]
        for c in range(first + 1, min(first + 4, size)):
            kc = sf[kb + c]
            if kc < mk or (kc == mk and si[ib + c] < si[ib + m]):  # ids read on a tie only
                m = c
                mk = kc
        if not _before(sf, si, kb, ib, m, key, ident):
            break
        _place(sf, si, kb, ib, pb, j, mk, si[ib + m])
        j = m
    _place(sf, si, kb, ib, pb, j, key, ident)


@kernel(forceinline=True)
def push(sf, si, kb, ib, pb, sz, ident, key):
    """Insert ``ident`` with ``key`` (``ident`` must not be in the heap)."""
    j = si[sz]
    si[sz] = j + 1
    _sift_up(sf, si, kb, ib, pb, j, key, ident)


@kernel(forceinline=True)
def remove(sf, si, kb, ib, pb, sz, ident):
    """Remove ``ident`` if present."""
    j = si[pb + ident]
    if j < 0:
        return
    last = si[sz] - 1
    si[pb + ident] = -1
    si[sz] = last
    if j != last:
        key = sf[kb + last]
        moved = si[ib + last]
        if j > 0 and not _before(sf, si, kb, ib, (j - 1) >> 2, key, moved):
            _sift_up(sf, si, kb, ib, pb, j, key, moved)
        else:
            _sift_down(sf, si, kb, ib, pb, last, j, key, moved)


@kernel(forceinline=True)
def pop(sf, si, kb, ib, pb, sz):
    """Remove and return the identity with the smallest key."""
    ident = si[ib]
    remove(sf, si, kb, ib, pb, sz, ident)
    return ident
