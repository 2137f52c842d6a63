"""Indexed binary min-heaps on flat arrays: push, pop and remove in O(log n).

A heap lives inside the kernel's flat state arrays: its keys at ``sf[kb:]``, its
identities at ``si[ib:]``, the slot of each identity at ``si[pb + ident]`` (-1 when
absent) and its size at ``si[sz]``. Knowing every identity's slot lets any pending
event (a repair cancelled by a servicing visit, a clock paused while its unit is
down) be removed without a search.
"""

from __future__ import annotations

from reliability.engine._jit import kernel


@kernel(forceinline=True)
def _swap(sf, si, kb, ib, pb, i, j):
    ki = sf[kb + i]
    ii = si[ib + i]
    sf[kb + i] = sf[kb + j]
    si[ib + i] = si[ib + j]
    sf[kb + j] = ki
    si[ib + j] = ii
    si[pb + si[ib + i]] = i
    si[pb + si[ib + j]] = j


@kernel(forceinline=True)
def _sift_up(sf, si, kb, ib, pb, j):
    while j > 0:
        p = (j - 1) >> 1
        if sf[kb + p] <= sf[kb + j]:
            break
        _swap(sf, si, kb, ib, pb, p, j)
        j = p


@kernel(forceinline=True)
def _sift_down(sf, si, kb, ib, pb, size, j):
    while True:
        left = 2 * j + 1
        if left >= size:
            break
        m = left
        right = left + 1
        if right < size and sf[kb + right] < sf[kb + left]:
            m = right
        if sf[kb + j] <= sf[kb + m]:
            break
        _swap(sf, si, kb, ib, pb, j, m)
        j = m


@kernel(forceinline=True)
def push(sf, si, kb, ib, pb, sz, ident, key):
    """Insert ``ident`` with ``key`` (``ident`` must not be in the heap)."""
    j = si[sz]
    sf[kb + j] = key
    si[ib + j] = ident
    si[pb + ident] = j
    si[sz] = j + 1
    _sift_up(sf, si, kb, ib, pb, j)


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
        sf[kb + j] = sf[kb + last]
        si[ib + j] = si[ib + last]
        si[pb + si[ib + j]] = j
        if j > 0 and sf[kb + j] < sf[kb + ((j - 1) >> 1)]:
            _sift_up(sf, si, kb, ib, pb, j)
        else:
            _sift_down(sf, si, kb, ib, pb, last, j)


@kernel(forceinline=True)
def pop(sf, si, kb, ib, pb, sz):
    """Remove and return the identity with the smallest key."""
    ident = si[ib]
    remove(sf, si, kb, ib, pb, sz, ident)
    return ident
