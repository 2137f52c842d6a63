"""The redundancy tree: k-of-n groups, usable capacity, and distance to system failure.

Groups are laid out breadth first (root 0, children contiguous), so a unit changing
state updates only the groups on its path to the root.
"""

from __future__ import annotations

from reliability.engine._access import add, get, iparam, ivar, put, set_ivar
from reliability.engine._jit import kernel
from reliability.engine.spec import IParam, IVar, P, S

#: a platform that is down weighs this much against its group's up-count, so that the
#: group is down whatever its members (one compare per level, no second field)
GATE = 1 << 40


@kernel(forceinline=True, error_model="numpy")
def propagate(pi, si, unit, delta):
    """A unit went up (+1) or down (-1): update up-counts and usable capacity to the
    root. A platform is no member: it gates the group it carries."""
    g = get(pi, P.UNIT_GROUP, unit)
    old_up = get(si, S.G_UP, g)
    old_use = get(si, S.G_USE, g)
    if get(pi, P.UNIT_GATE, unit):
        add(si, S.G_UPC, g, delta * GATE)
    else:
        add(si, S.G_UPC, g, delta)
        add(si, S.G_USE, g, delta)
    new_up = 1 if get(si, S.G_UPC, g) >= get(pi, P.GROUP_K, g) else 0
    put(si, S.G_UP, g, new_up)
    d_use = (get(si, S.G_USE, g) if new_up else 0) - (old_use if old_up else 0)
    flip = new_up != old_up
    child_up = new_up
    g = get(pi, P.GROUP_PARENT, g)
    while g >= 0 and (flip or d_use != 0):
        old_up = get(si, S.G_UP, g)
        old_use = get(si, S.G_USE, g)
        if flip:
            add(si, S.G_UPC, g, 1 if child_up else -1)
        add(si, S.G_USE, g, d_use)
        new_up = 1 if get(si, S.G_UPC, g) >= get(pi, P.GROUP_K, g) else 0
        put(si, S.G_UP, g, new_up)
        d_use = (get(si, S.G_USE, g) if new_up else 0) - (old_use if old_up else 0)
        flip = new_up != old_up
        child_up = new_up
        g = get(pi, P.GROUP_PARENT, g)


@kernel(forceinline=True, error_model="numpy")
def reset(pi, si):
    """All units up: every group full (at trial start and after a servicing visit)."""
    for g in range(iparam(pi, IParam.N_GROUPS)):
        put(si, S.G_UPC, g, get(pi, P.GROUP_N, g))
        put(si, S.G_UP, g, 1)
        put(si, S.G_USE, g, get(pi, P.GROUP_UNITS, g))


@kernel(forceinline=True, error_model="numpy")
def system_up(si):
    """The root group meets its k and no servicing visit holds the system down."""
    return get(si, S.G_UP, 0) == 1 and ivar(si, IVar.PLANNED) == 0


@kernel(error_model="numpy")
def needed(pi, si):
    """Fewest further unit failures that would bring the system down (0: it is down).

    A leaf group that is up needs (up - k + 1) of its units to fail; a group above
    needs the (up - k + 1) cheapest of its up children to go down; a group with its
    own spare pool needs its free spares used up as well. This is the importance
    function of splitting: a failure that brings the system closer to failure lowers
    it by one.
    """
    need = si[S.G_NEED]
    sel = si[S.G_SEL]
    for g in range(iparam(pi, IParam.N_GROUPS) - 1, -1, -1):  # children follow parents
        if not get(si, S.G_UP, g):
            si[need + g] = 0
            continue
        m = get(si, S.G_UPC, g) - get(pi, P.GROUP_K, g) + 1
        pool = get(pi, P.GROUP_POOL, g)
        spare = max(0, get(si, S.SP_STOCK, pool) - get(si, S.SP_RES, pool)) if pool >= 0 else 0
        c0 = get(pi, P.GROUP_CHILD0, g)
        if c0 < 0:
            si[need + g] = m + spare
            continue
        n_up = 0
        for c in range(c0, c0 + get(pi, P.GROUP_N, g)):
            if get(si, S.G_UP, c):
                si[sel + n_up] = si[need + c]
                n_up += 1
        total = 0
        for j in range(m):  # partial selection sort: the m cheapest up children
            best = j
            for i in range(j + 1, n_up):
                if si[sel + i] < si[sel + best]:
                    best = i
            si[sel + j], si[sel + best] = si[sel + best], si[sel + j]
            total += si[sel + j]
        si[need + g] = total + spare
    return si[need]


@kernel(forceinline=True, error_model="numpy")
def uplist_add(si, unit):
    """Counts engine: append ``unit`` to the list of up units (the first NUP slots)."""
    j = ivar(si, IVar.NUP)
    put(si, S.UPLIST, j, unit)
    put(si, S.UPPOS, unit, j)
    set_ivar(si, IVar.NUP, j + 1)


@kernel(forceinline=True, error_model="numpy")
def uplist_remove(si, unit):
    """Counts engine: remove ``unit`` from the up list (the last entry takes its slot)."""
    last = ivar(si, IVar.NUP) - 1
    j = get(si, S.UPPOS, unit)
    other = get(si, S.UPLIST, last)
    put(si, S.UPLIST, j, other)
    put(si, S.UPPOS, other, j)
    set_ivar(si, IVar.NUP, last)
