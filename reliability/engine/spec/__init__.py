"""The engine's contract, declared once: plan fields, state, codes, events and outputs.

What the plan compiler (:mod:`reliability.system`), the kernel, the block runner,
the part-file store and the result schema must agree on is declared in this package
(``layout``: plan, state and event kinds; ``codes``; ``outputs``), and they derive
their part from these tables:

* the **plan**: arrays of int64 and float64 fields (:data:`PLAN_INT`,
  :data:`PLAN_FLOAT`) and scalar parameters (:data:`PARAMS_INT`,
  :data:`PARAMS_FLOAT`), each with the dimension that sizes it;
  :class:`~reliability.engine.plan.PlanArrays` and ``pack_plan`` are built from them;
* the **state** of a trial (:data:`STATE_INT`, :data:`STATE_FLOAT`,
  :data:`STATE_UINT`) and its scalar variables (:data:`IVARS`, :data:`FVARS`,
  :data:`COUNTERS`); ``new_state`` sizes them;
* the **codes** stored in the plan and the state: life laws, rate-profile kinds,
  fault effects, renewal modes, restoration states, workload kinds, and the purposes
  of the random streams;
* the **wall-clock event kinds** (:data:`EVENTS`) with how many of each a plan has;
  the kernel dispatches on the kind, and an identity of no kind is an error;
* the **per-trial outputs** (:data:`OUTPUTS`) by name, shape and stored type, with
  the result variables each becomes.

The kernel reads field ``F`` element ``j`` of a packed array ``a`` as
``a[a[F] + j]``: the first entries of every packed array are the offsets of its
fields. The slots (``P.UNIT_GROUP``, ``IParam.N_UNITS``, ...) are ``IntEnum``
members generated from the tables, which numba folds into constants.

This package is plain Python: no numba, no numpy arrays.
"""

from __future__ import annotations

from enum import IntEnum

from reliability.engine.spec.codes import (
    CLOCKED_EFFECTS,
    LAW_CODES,
    Effect,
    LawKind,
    ProfileKind,
    Renew,
    RestoreKind,
    Restoring,
    Stream,
    WorkloadKind,
)
from reliability.engine.spec.layout import (
    COUNTERS,
    EVENTS,
    FVARS,
    IVARS,
    MAX_EVENTS_PER_TRIAL,
    PARAMS_FLOAT,
    PARAMS_INT,
    PLAN_FLOAT,
    PLAN_INT,
    STATE_FLOAT,
    STATE_INT,
    STATE_UINT,
    EventKind,
    Field,
    Param,
)
from reliability.engine.spec.outputs import OUTPUTS, Output

__all__ = [
    "CLOCKED_EFFECTS",
    "COUNTERS",
    "EVENTS",
    "EVENT_OWNER",
    "FIXED_SIZES",
    "FPARAMS0",
    "FVARS",
    "FVARS0",
    "IPARAMS0",
    "IVARS",
    "IVARS0",
    "KEY0",
    "LAW_CODES",
    "MAX_EVENTS_PER_TRIAL",
    "MISC_CTR0",
    "OUTPUTS",
    "OUT_OFF0",
    "PARAMS_FLOAT",
    "PARAMS_INT",
    "PF",
    "PLAN_FLOAT",
    "PLAN_INT",
    "SF",
    "STATE_FLOAT",
    "STATE_INT",
    "STATE_UINT",
    "SU",
    "WALL_OFF0",
    "Counter",
    "Effect",
    "Event",
    "EventBudgetError",
    "EventKind",
    "FParam",
    "FVar",
    "Field",
    "IParam",
    "IVar",
    "LawKind",
    "Out",
    "Output",
    "Owner",
    "P",
    "Param",
    "ProfileKind",
    "Renew",
    "RestoreKind",
    "Restoring",
    "S",
    "Stream",
    "WorkloadKind",
]


class EventBudgetError(ValueError):
    """A trial took more events than its plan's ``max_events``: some process fires far
    more often than the mission can resolve (a life of seconds, a repair of zero)."""


def _slots(name: str, names) -> type[IntEnum]:
    """An IntEnum of the upper-cased ``names`` numbered in order (numba constants)."""
    return IntEnum(name, [(n.upper(), i) for i, n in enumerate(names)], module=__name__)


def _leading(fields: tuple[Field, ...], sizes: dict[str, int]) -> dict[str, int]:
    """Offsets of the leading fields of a packed array whose sizes are fixed here."""
    out, offset = {}, len(fields)
    for f in fields:
        if f.size not in sizes:
            break
        out[f.name] = offset
        offset += sizes[f.size] + f.extra
    return out


#: the dimensions the contract itself fixes (the others depend on the plan)
FIXED_SIZES = {
    "params_int": len(PARAMS_INT),
    "params_float": len(PARAMS_FLOAT),
    "event_kinds": len(EVENTS),
    "outputs": len(OUTPUTS),
    "ivars": len(IVARS),
    "fvars": len(FVARS),
    "counters": len(COUNTERS),
    "one": 1,
}
_PI = _leading(PLAN_INT, FIXED_SIZES)
_PF = _leading(PLAN_FLOAT, FIXED_SIZES)
_SI = _leading(STATE_INT, FIXED_SIZES)
_SF = _leading(STATE_FLOAT, FIXED_SIZES)
_SU = _leading(STATE_UINT, FIXED_SIZES)
#: constant offsets of the leading fields (the kernel's hottest reads take one load)
IPARAMS0, WALL_OFF0, OUT_OFF0 = _PI["iparams"], _PI["wall_off"], _PI["out_off"]
FPARAMS0 = _PF["fparams"]
IVARS0 = _SI["ivars"]
FVARS0 = _SF["fvars"]
KEY0, MISC_CTR0 = _SU["key"], _SU["misc_ctr"]

P = _slots("P", [f.name for f in PLAN_INT])
PF = _slots("PF", [f.name for f in PLAN_FLOAT])
IParam = _slots("IParam", [p.name for p in PARAMS_INT])
FParam = _slots("FParam", [p.name for p in PARAMS_FLOAT])
S = _slots("S", [f.name for f in STATE_INT])
SF = _slots("SF", [f.name for f in STATE_FLOAT])
SU = _slots("SU", [f.name for f in STATE_UINT])
IVar = _slots("IVar", IVARS)
FVar = _slots("FVar", FVARS)
Counter = _slots("Counter", COUNTERS)
Event = _slots("Event", [e.name for e in EVENTS])
Owner = _slots("Owner", dict.fromkeys(e.owner for e in EVENTS))
#: the owner of each event kind, by kind (a tuple: numba indexes it at run time)
EVENT_OWNER: tuple[int, ...] = tuple(int(Owner[e.owner.upper()]) for e in EVENTS)
Out = _slots("Out", [o.name for o in OUTPUTS])
