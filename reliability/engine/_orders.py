"""Replenishment of pools of spare groups (satellites) by launches ordered on demand
or flown on a fixed cadence.

A pool with a reorder point ``s`` and a batch ``Q`` orders launches of ``Q`` spares
whenever its stock position (free spares + on order - groups waiting for one) falls
to ``s`` (an (s, Q) policy); each order arrives after a lead time drawn from the
pool's law, and its launch fails with the pool's probability, losing the batch. An
order occupies one of the pool's order slots (an event identity) until it arrives:
the position never falls below minus the groups the pool serves, so
(s + groups) // Q + 2 slots always suffice.

A pool with a cadence launches ``Q`` spares every ``sp_every`` hours from
``sp_first`` to ``sp_last`` whatever its stock (a constellation's planned replenishment flights);
a failed cadence launch loses its batch and is not replaced (the next flight comes
on schedule), and on-demand orders, if the pool has a reorder point too, see its
stock as it is.

Every pool keeps the sum of the times its spares came to orbit (``sp_arrive``): a
spare carries the total dose of its time in orbit into the slot it is swapped into.
Which spare of a pool is taken is not tracked; it came to orbit at the pool's mean.
"""

from __future__ import annotations

import math

from reliability.engine import _events as events
from reliability.engine import _laws as laws
from reliability.engine import streams as rnd
from reliability.engine._access import add, fparam, get, iparam, next_count, out, put, trial_key
from reliability.engine._jit import kernel
from reliability.engine.spec import PF, SF, Counter, Event, FParam, IParam, Out, P, S, Stream


@kernel(forceinline=True, error_model="numpy")
def stock_add(si, sf, sp, n, t):
    """``n`` spares come to orbit at ``t`` and join pool ``sp``."""
    add(si, S.SP_STOCK, sp, n)
    add(sf, SF.SP_ARRIVE, sp, n * t)


@kernel(forceinline=True, error_model="numpy")
def stock_fill(pi, si, sf, sp, t):
    """Pool ``sp`` topped up to its capacity with spares new to orbit at ``t``."""
    n = get(pi, P.SP_CAPACITY, sp) - get(si, S.SP_STOCK, sp)
    if n > 0:
        stock_add(si, sf, sp, n, t)


@kernel(forceinline=True, error_model="numpy")
def stock_born(si, sf, sp, t):
    """When the spares of pool ``sp`` came to orbit, on average (``t``: none there)."""
    n = get(si, S.SP_STOCK, sp)
    return max(0.0, get(sf, SF.SP_ARRIVE, sp) / n) if n > 0 else t


@kernel(forceinline=True, error_model="numpy")
def stock_renew(pi, si, sf, sp, t):
    """Pool ``sp`` comes new at ``t`` with a new group: full, every spare new to orbit
    (the old group's spares left with it)."""
    n = max(get(si, S.SP_STOCK, sp), get(pi, P.SP_CAPACITY, sp))
    put(si, S.SP_STOCK, sp, n)
    put(sf, SF.SP_ARRIVE, sp, n * t)


@kernel(forceinline=True, error_model="numpy")
def stock_take(si, sf, sp):
    """A spare leaves pool ``sp``: when it came to orbit (the pool's mean)."""
    born = stock_born(si, sf, sp, 0.0)
    add(si, S.SP_STOCK, sp, -1)
    add(sf, SF.SP_ARRIVE, sp, -born)
    return born


@kernel(forceinline=True, error_model="numpy")
def position(si, sp):
    """Stock position of pool ``sp``: free spares + on order - groups waiting."""
    free = get(si, S.SP_STOCK, sp) - get(si, S.SP_RES, sp)
    return free + get(si, S.SP_ONORDER, sp) - get(si, S.SQ_LEN, sp)


@kernel(forceinline=True, error_model="numpy")
def _uniform(su, sp):
    return rnd.uniform(
        trial_key(su), rnd.stream_id(Stream.ORDER, sp, 0), next_count(su, Counter.ORDER)
    )


@kernel(error_model="numpy")
def reorder(pi, pf, si, sf, su, sp, t):
    """Order launches for pool ``sp`` until its stock position is above its reorder
    point (nothing for a pool without one)."""
    s = get(pi, P.SP_REORDER, sp)
    if s < 0:
        return
    q = get(pi, P.SP_BATCH, sp)
    while position(si, sp) <= s:
        slot = get(pi, P.SP_OOFF, sp)
        end = get(pi, P.SP_OOFF, sp + 1)
        while slot < end and get(si, S.ORDER_LIVE, slot):
            slot += 1
        if slot >= end:
            raise RuntimeError("a spare pool ran out of order slots")
        put(si, S.ORDER_LIVE, slot, 1)
        add(si, S.SP_ONORDER, sp, q)
        law, p1, p2 = get(pi, P.SP_LLAW, sp), get(pf, PF.SP_LP1, sp), get(pf, PF.SP_LP2, sp)
        lead = laws.draw(law, p1, p2, _uniform(su, sp))
        events.schedule(si, sf, events.ident(pi, Event.ORDER_ARRIVES, slot), t + lead)


@kernel(forceinline=True, error_model="numpy")
def _fly(pi, pf, si, sf, su, sp, t, row):
    """A launch of pool ``sp`` flies at ``t``: counted, and its batch joins the stock
    unless it fails."""
    counted = t >= fparam(pf, FParam.WARMUP_H)
    if counted:
        row[out(pi, Out.LAUNCHES)] += 1.0
    p = get(pf, PF.SP_LFAIL, sp)
    if p > 0.0 and _uniform(su, sp) < p:
        if counted:
            row[out(pi, Out.LAUNCH_FAILURES)] += 1.0
    else:
        stock_add(si, sf, sp, get(pi, P.SP_BATCH, sp), t)


@kernel(forceinline=True, error_model="numpy")
def reset(pi, pf, si, sf):
    """Start a trial: the first launch of every pool with a cadence is scheduled."""
    for sp in range(iparam(pi, IParam.N_SP)):
        first = get(pf, PF.SP_FIRST, sp)
        if math.isfinite(first):
            events.schedule(si, sf, events.ident(pi, Event.CADENCE_LAUNCH, sp), first)


@kernel(error_model="numpy")
def cadence(pi, pf, si, sf, su, sp, t, row):
    """The launch of pool ``sp``'s cadence due at ``t`` flies; the next is scheduled
    unless this was the last."""
    nxt = t + get(pf, PF.SP_EVERY, sp)
    if nxt <= get(pf, PF.SP_LAST, sp):
        events.schedule(si, sf, events.ident(pi, Event.CADENCE_LAUNCH, sp), nxt)
    _fly(pi, pf, si, sf, su, sp, t, row)


@kernel(error_model="numpy")
def arrive(pi, pf, si, sf, su, slot, t, row):
    """The launch of order ``slot`` at ``t``: its batch joins the pool's stock unless
    the launch fails. Returns the pool."""
    sp = get(pi, P.ORDER_POOL, slot)
    put(si, S.ORDER_LIVE, slot, 0)
    add(si, S.SP_ONORDER, sp, -get(pi, P.SP_BATCH, sp))
    _fly(pi, pf, si, sf, su, sp, t, row)
    return sp
