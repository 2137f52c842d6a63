"""The indexed heaps of the engine (reliability.engine._heap) against a sorted list."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from reliability.engine import _heap as heap

N = 40  # identities 0..N-1
KB, IB, PB, SZ = 0, 1, 1 + N, 1 + 2 * N  # keys in sf; ids, slots and size in si


def _empty():
    sf = np.zeros(N)
    si = np.zeros(2 + 2 * N, dtype=np.int64)
    si[PB : PB + N] = -1
    return sf, si


# keys from a few values, so that ties are common
ops = st.lists(
    st.tuples(
        st.sampled_from(["push", "remove", "pop"]),
        st.integers(0, N - 1),
        st.sampled_from([0.0, 1.0, 1.5, 2.0, 7.0]),
    ),
    max_size=200,
)


@settings(max_examples=200, deadline=None)
@given(ops)
def test_heap_pops_in_key_then_identity_order(operations):
    sf, si = _empty()
    pending: dict[int, float] = {}
    for op, ident, key in operations:
        if op == "push" and ident not in pending:
            heap.push(sf, si, KB, IB, PB, SZ, ident, key)
            pending[ident] = key
        elif op == "remove":
            heap.remove(sf, si, KB, IB, PB, SZ, ident)
            pending.pop(ident, None)
        elif op == "pop" and pending:
            first = min(pending, key=lambda i: (pending[i], i))
            assert heap.pop(sf, si, KB, IB, PB, SZ) == first
            del pending[first]
        size = si[SZ]
        assert size == len(pending)
        # every identity knows its slot, and the slot holds it with its key
        for i in range(N):
            j = si[PB + i]
            assert (j >= 0) == (i in pending)
            if j >= 0:
                assert si[IB + j] == i and sf[KB + j] == pending[i]
        if pending:
            assert sf[KB] == min(pending.values())
    order = [heap.pop(sf, si, KB, IB, PB, SZ) for _ in range(len(pending))]
    assert order == sorted(pending, key=lambda i: (pending[i], i))
