"""Borrowed array views: the kernel's answer to reference-counting overhead.

Every compiled call that receives an array increments and decrements the array's
reference count with atomic instructions. The kernel touches its plan and state
arrays many times per event, and the counting alone cost most of an event's time.
A *borrowed* view is the same array struct with a null memory-info pointer, which
numba's reference counting skips. Views are only made inside a compiled function
from arguments that outlive every use of the view (the caller holds the owning
references for the whole call), so no memory can be freed under them.
"""

from __future__ import annotations

from numba import types
from numba.core import cgutils
from numba.extending import intrinsic


def _borrowed(context, builder, arrtype, value):
    src = context.make_array(arrtype)(context, builder, value=value)
    dst = context.make_array(arrtype)(context, builder)
    for name in ("parent", "nitems", "itemsize", "data", "shape", "strides"):
        setattr(dst, name, getattr(src, name))
    dst.meminfo = cgutils.get_null_value(dst.meminfo.type)
    return dst._getvalue()


@intrinsic
def borrow(typingctx, arr):
    """A view of array ``arr`` that numba does not reference-count."""
    sig = arr(arr)

    def codegen(context, builder, signature, args):
        return _borrowed(context, builder, arr, args[0])

    return sig, codegen


@intrinsic
def borrow_all(typingctx, tup):
    """A copy of the named tuple ``tup`` whose array members are borrowed views."""
    if not isinstance(tup, types.BaseNamedTuple):
        return None
    sig = tup(tup)

    def codegen(context, builder, signature, args):
        out = args[0]
        for i, member in enumerate(tup.types):
            if isinstance(member, types.Array):
                value = builder.extract_value(out, i)
                out = builder.insert_value(out, _borrowed(context, builder, member, value), i)
        return out

    return sig, codegen
