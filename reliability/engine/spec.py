"""The engine's contract, declared once: plan fields, state, codes, events and outputs.

Everything the plan compiler (:mod:`reliability.system`), the kernel, the block
runner, the part-file store and the result schema must agree on is written here and
nowhere else; they all derive their part from these tables:

* the **plan**: arrays of int64 and float64 fields (:data:`PLAN_INT`,
  :data:`PLAN_FLOAT`) and scalar parameters (:data:`PARAMS_INT`,
  :data:`PARAMS_FLOAT`), each with the dimension that sizes it;
  :class:`~reliability.engine.plan.PlanArrays` and ``pack_plan`` are built from them;
* the **state** of a trial (:data:`STATE_INT`, :data:`STATE_FLOAT`,
  :data:`STATE_UINT`) and its scalar variables (:data:`IVARS`, :data:`FVARS`,
  :data:`COUNTERS`); ``new_state`` sizes them;
* the **codes** stored in the plan: life laws, rate-profile kinds, fault effects,
  renewal modes, workload kinds, and the purposes of the random streams;
* the **wall-clock event kinds** (:data:`EVENTS`) with how many of each a plan has;
  the kernel dispatches on the kind, and an identity of no kind is an error;
* the **per-trial outputs** (:data:`OUTPUTS`) by name, shape and stored type, with
  the result variables each becomes.

The kernel reads field ``F`` element ``j`` of a packed array ``a`` as
``a[a[F] + j]``: the first entries of every packed array are the offsets of its
fields. The slots (``P.UNIT_GROUP``, ``IParam.N_UNITS``, ...) are ``IntEnum``
members generated from the tables, which numba folds into constants.

This module is plain Python: no numba, no numpy arrays.
"""

from __future__ import annotations

from enum import IntEnum
from math import inf
from typing import NamedTuple

__all__ = [
    "CLOCKED_EFFECTS",
    "COUNTERS",
    "EVENTS",
    "EVENT_OWNER",
    "FVARS",
    "IVARS",
    "OUTPUTS",
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
    "Counter",
    "Effect",
    "Event",
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
    "ProfileKind",
    "Renew",
    "S",
    "Stream",
    "WorkloadKind",
]


class Field(NamedTuple):
    """One field of a packed array.

    ``size`` names a dimension (see :func:`reliability.engine.plan.dimensions`), with
    ``extra`` further entries (offset tables have one more entry than items).
    ``derived`` fields are computed by ``pack_plan`` from the others; the rest are
    attributes of :class:`~reliability.engine.plan.PlanArrays` (``default`` None:
    the compiler must give it; otherwise a fill value for a plan without the feature).
    """

    name: str
    size: str
    doc: str
    extra: int = 0
    derived: bool = False
    default: float | None = None


class Param(NamedTuple):
    """A scalar parameter of the plan (``derived``: counted from the arrays by
    ``pack_plan``; ``default`` None: the compiler must give it)."""

    name: str
    doc: str
    derived: bool = False
    default: float | None = None


# ----------------------------------------------------------------------------- codes


class LawKind(IntEnum):
    """Life and duration laws (parameters p1, p2 in hours)."""

    EXPONENTIAL = 0  # p1 = mean
    WEIBULL = 1  # p1 = scale, p2 = shape
    LOGNORMAL = 2  # p1 = mu of ln h, p2 = sigma
    FIXED = 3  # p1 = value


#: law names of campaign files -> codes
LAW_CODES = {law.name.lower(): int(law) for law in LawKind}


class ProfileKind(IntEnum):
    """Kinds of rate-profile domain (the time structure of failure rates)."""

    STEPS = 0  # piecewise constant multiplier
    SINE = 1  # mean * (1 + amplitude * sin(2 pi t / period + phase))
    CONSTANT = 2  # multiplier 1: the identity clock (domain 0)
    MODULATED = 3  # a steps envelope over a periodic pattern (SAA passes)
    SPE = 4  # solar particle events, drawn afresh for every trial


class Effect(IntEnum):
    """What a failure mode does to the unit it hits."""

    DOWN = 0  # the unit goes down until restored
    SILENT = 1  # counted when it happens; the unit runs on
    COUNTED = 2  # counted in aggregate (one Poisson draw per trial), never simulated
    SCHEDULED = 3  # not a fault: the calendar takes the unit down (preventive maintenance)


#: effects whose modes have a failure clock on every unit (the others have none)
CLOCKED_EFFECTS = (Effect.DOWN, Effect.SILENT)


class Renew(IntEnum):
    """What a repair in place does to the unit's ageing clocks."""

    RESUME = 0  # minimal repair: every clock resumes at its age
    UNIT = 1  # as good as new: every mode draws a fresh life
    CLOCK = 2  # the failed mode alone starts afresh; the others resume
    SELECTED = 3  # the modes marked in mode_pm_renew start afresh; the others resume


class WorkloadKind(IntEnum):
    """What the cluster is for."""

    NONE = 0  # every usable slot is wanted
    TRAINING = 1  # one synchronous job with checkpoints
    SERVING = 2  # a demand of unit slots


class Stream(IntEnum):
    """Purposes of the counter-based random streams (upper bits of a stream id):
    two purposes never share a stream."""

    LIFE = 1  # failure lives of (unit slot, mode)
    RESTORE = 2  # repair and swap durations of a unit slot
    POOL = 4  # warm spares failing in storage
    RESUPPLY = 5  # Poisson resupply arrivals
    SPE = 6  # solar particle events of a trial
    AGGREGATE = 7  # counted-only faults of a mode
    COUNTS = 8  # the counts engine's failure stream
    EXCURSION = 9  # regenerative excursions of importance sampling (reliability.rare)


# ----------------------------------------------------------------------------- events


class EventKind(NamedTuple):
    """A kind of wall-clock event: how many a plan has (``count``, a dimension or
    "one") and the engine feature module whose ``on_event`` handles it (``owner``)."""

    name: str
    count: str
    owner: str
    doc: str


EVENTS: tuple[EventKind, ...] = (
    EventKind("restore", "units", "restore", "the repair or swap of a unit completes"),
    EventKind("spare_fails", "spare_pools", "restore", "a warm spare fails in storage"),
    EventKind("service_start", "one", "maintenance", "a servicing visit starts"),
    EventKind("service_end", "one", "maintenance", "a visit ends: failed units are replaced"),
    EventKind("resupply", "one", "maintenance", "spares arrive: every pool is topped up"),
    EventKind("unit_pm", "units", "maintenance", "a unit's calendar preventive maintenance"),
    EventKind("job_phase", "one", "job", "training: a restart, compute or checkpoint ends"),
    EventKind("sdc_found", "one", "job", "training: silent corruption is found"),
)

# ----------------------------------------------------------------------------- plan

PLAN_INT: tuple[Field, ...] = (
    Field("unit_group", "units", "leaf group of each unit slot"),
    Field("unit_crew", "units", "crew pool of the unit, -1: repaired without a crew"),
    Field("unit_spare", "units", "spare pool of the unit, -1: none"),
    Field("unit_clock0", "units", "first failure clock of the unit"),
    Field("unit_nmodes", "units", "failure clocks of the unit"),
    Field("clock_unit", "clocks", "unit of each failure clock"),
    Field("clock_mode", "clocks", "failure mode of each failure clock"),
    Field("group_parent", "groups", "parent group, -1 for the root (groups breadth first)"),
    Field("group_k", "groups", "members that must be up"),
    Field("group_n", "groups", "members (sub-groups, or units in a leaf group)"),
    Field("group_units", "groups", "unit slots in the subtree"),
    Field("group_child0", "groups", "first child group (n children follow), -1: leaf"),
    Field("group_pool", "groups", "spare pool serving exactly this group's units, else -1"),
    Field("mode_law", "modes", "life law (LawKind)"),
    Field("mode_dom", "modes", "rate-profile domain the life is kept in"),
    Field("mode_replace", "modes", "1: the unit must be replaced; 0: repaired in place"),
    Field("mode_rlaw", "modes", "repair-duration law (LawKind)"),
    Field("mode_crew", "modes", "the repair needs a crew"),
    Field("mode_renew", "modes", "what a repair does to the clocks (Renew)"),
    Field("mode_local", "modes", "index of the mode within its unit type (stream id)"),
    Field("mode_effect", "modes", "effect on the unit (Effect)"),
    Field("mode_pm_renew", "modes", "1: a maintenance turn renews this mode's clock", default=0),
    Field("dom_kind", "domains", "kind of rate profile (ProfileKind)"),
    Field("dom_off", "domains", "offsets into dom_t, dom_m, dom_c", extra=1),
    Field("dom_hoff", "domains", "offsets of each domain's failure heap", extra=1),
    Field("dom_poff", "domains", "offsets of each domain's periodic pattern", extra=1),
    Field("crew_count", "crews", "repairers of each crew pool"),
    Field("crew_qoff", "crews", "offsets of each crew pool's queue", extra=1),
    Field("sp_capacity", "spare_pools", "spares a pool holds when full"),
    Field("sp_warm", "spare_pools", "1: warm spares (fail in storage)"),
    Field("sp_slaw", "spare_pools", "swap-duration law (LawKind)"),
    Field("sp_qoff", "spare_pools", "offsets of each pool's waiting queue", extra=1),
    Field("wall_off", "event_kinds", "first wall-event identity of each kind", 1, True),
    Field("out_off", "outputs", "offset of each output in a trial's row", 1, True),
    Field("iparams", "params_int", "the scalar int parameters (IParam)", derived=True),
)

PLAN_FLOAT: tuple[Field, ...] = (
    Field("edges", "cells", "capacity-grid cell edges, h", extra=1),
    Field("mode_p1", "modes", "first life parameter (see LawKind)"),
    Field("mode_p2", "modes", "second life parameter"),
    Field("mode_rp1", "modes", "first repair-duration parameter"),
    Field("mode_rp2", "modes", "second repair-duration parameter"),
    Field("dom_t", "dom_pieces", "steps profiles: piece starts (h, or pattern time)"),
    Field("dom_m", "dom_pieces", "steps profiles: multipliers"),
    Field("dom_c", "dom_pieces", "steps profiles: cumulative at piece starts"),
    Field("dom_mean", "domains", "sine mean; a modulated domain's pattern area"),
    Field("dom_amp", "domains", "sine amplitude"),
    Field("dom_period", "domains", "sine or pattern period, h"),
    Field("dom_phase", "domains", "sine phase, rad"),
    Field("sp_dormant", "spare_pools", "dormant MTTF of a warm spare, h (inf: cold)"),
    Field("sp_sp1", "spare_pools", "first swap-duration parameter"),
    Field("sp_sp2", "spare_pools", "second swap-duration parameter"),
    Field("pat_t", "pattern_pieces", "periodic patterns: piece starts within the period"),
    Field("pat_m", "pattern_pieces", "periodic patterns: multipliers"),
    Field("pat_c", "pattern_pieces", "periodic patterns: cumulative at piece starts"),
    Field("occ_t", "spe_pieces", "SPE occurrence rate: piece starts, h", default=0.0),
    Field("occ_m", "spe_pieces", "SPE occurrence rate: events per h", default=0.0),
    Field("occ_c", "spe_pieces", "SPE occurrence rate: cumulative events", default=0.0),
    Field("dem_t", "demand_pieces", "serving demand: piece starts, h", default=0.0),
    Field("dem_m", "demand_pieces", "serving demand: unit slots wanted (-1: all)", default=-1.0),
    Field("dem_c", "demand_pieces", "serving demand: cumulative unit-hours", derived=True),
    Field("tau_t", "tau_pieces", "training: starts of checkpoint-interval pieces", default=0.0),
    Field("tau_v", "tau_pieces", "training: compute between checkpoints, h", default=1.0),
    Field("unit_pm_first", "units", "first preventive maintenance, h (inf: none)", default=inf),
    Field("fparams", "params_float", "the scalar float parameters (FParam)", derived=True),
)

PARAMS_INT: tuple[Param, ...] = (
    Param("age_while_down", "1: units age while the system is down", default=1),
    Param("svc_down", "1: a servicing visit takes the system down", default=0),
    Param("svc_all", "1: a visit replaces every unit; 0: the failed ones", default=0),
    Param("svc_restock", "1: a visit tops up every spare pool", default=0),
    Param("rs_poisson", "1: resupply arrivals are a Poisson process", default=0),
    Param("spe_dom", "domain driven by solar particle events, -1: none", default=-1),
    Param("spe_cap", "most solar particle events per trial", default=0),
    Param("wl_kind", "workload kind (WorkloadKind)", default=0),
    Param("wl_m", "training: accelerators the job spans", default=0),
    Param("wl_elastic", "training: run slower when fewer than m are up", default=0),
    Param("pm_mode", "the mode of preventive maintenance (Effect.SCHEDULED), -1: none", default=-1),
    Param("n_units", "unit slots", derived=True),
    Param("n_sp", "spare pools", derived=True),
    Param("n_dom", "rate-profile domains", derived=True),
    Param("n_groups", "k-of-n groups", derived=True),
    Param("n_cells", "capacity-grid cells", derived=True),
    Param("n_crew", "crew pools", derived=True),
    Param("n_modes", "failure modes", derived=True),
)

PARAMS_FLOAT: tuple[Param, ...] = (
    Param("mission_h", "mission length, h"),
    Param("warmup_h", "start of the measured window, h"),
    Param("svc_every", "servicing: start to start, h (inf: none)", default=inf),
    Param("svc_first", "servicing: first visit, h", default=inf),
    Param("svc_dur", "servicing: length of a visit, h", default=0.0),
    Param("rs_every", "resupply: mean interval, h (inf: none)", default=inf),
    Param("rs_first", "resupply: first arrival, h", default=inf),
    Param("spe_dur_mu", "ln-duration of a solar particle event: mean", default=0.0),
    Param("spe_dur_sigma", "ln-duration of a solar particle event: sigma", default=0.0),
    Param("spe_int_mu", "ln-intensity of a solar particle event: mean", default=0.0),
    Param("spe_int_sigma", "ln-intensity of a solar particle event: sigma", default=0.0),
    Param("wl_slo", "serving: delivered / demand needed for the SLO", default=1.0),
    Param("wl_tau", "training: compute between checkpoints, h", default=1.0),
    Param("wl_delta", "training: checkpoint cost, h", default=0.0),
    Param("wl_restart", "training: restart cost, h", default=0.0),
    Param("wl_work", "training: total work, h (inf: runs all mission)", default=inf),
    Param("wl_sdc_latency", "training: silent corruption found after, h", default=inf),
    Param("pm_every", "preventive maintenance: interval between a unit's turns, h", default=inf),
)

# ----------------------------------------------------------------------------- state

STATE_INT: tuple[Field, ...] = (
    Field("unit_up", "units", "1: the unit is up"),
    Field("unit_fmode", "units", "mode that took the unit down, -1: up"),
    Field("unit_job", "units", "restoration state of a down unit (see _restore)"),
    Field("unit_kind", "units", "restoration kind: repair in place or swap"),
    Field("unit_crewed", "units", "1: the unit holds a repairer"),
    Field("unit_member", "units", "training: 1 when the unit is one of the job's"),
    Field("uplist", "units", "counts engine: the up units (first NUP slots)"),
    Field("uppos", "units", "counts engine: slot of each unit in uplist"),
    Field("fh_id", "clocks", "failure heaps: clock at each heap slot"),
    Field("fh_pos", "clocks", "failure heaps: heap slot of each clock, -1: not armed"),
    Field("fh_size", "domains", "failure heaps: size of each domain's heap"),
    Field("dom_dirty", "domains", "1: the domain's next failure time must be recomputed"),
    Field("wh_id", "wall", "wall-clock heap: identity at each slot"),
    Field("wh_pos", "wall", "wall-clock heap: slot of each identity, -1: not pending"),
    Field("wh_size", "one", "wall-clock heap: size"),
    Field("g_upc", "groups", "members up"),
    Field("g_up", "groups", "1: the group meets its k"),
    Field("g_use", "groups", "usable unit slots below the group"),
    Field("g_need", "groups", "splitting: failures still needed to bring the group down"),
    Field("g_sel", "max_children", "splitting: scratch for the cheapest children"),
    Field("crew_busy", "crews", "repairers at work"),
    Field("cq", "crew_queue", "crew queues (ring buffers)"),
    Field("cq_head", "crews", "crew queues: head"),
    Field("cq_len", "crews", "crew queues: length"),
    Field("sp_stock", "spare_pools", "spares in the pool"),
    Field("sp_res", "spare_pools", "spares reserved by swaps under way"),
    Field("sq", "spare_queue", "units waiting for a spare (ring buffers)"),
    Field("sq_head", "spare_pools", "spare queues: head"),
    Field("sq_len", "spare_pools", "spare queues: length"),
    Field("ivars", "ivars", "the scalar int variables (IVar)"),
)

STATE_FLOAT: tuple[Field, ...] = (
    Field("clk_origin", "clocks", "operational time the clock's life is counted from"),
    Field("clk_deadline", "clocks", "age at which the clock fires"),
    Field("clk_paused", "clocks", "age of a paused clock while its unit is down"),
    Field("fh_key", "clocks", "failure heaps: operational time of each slot"),
    Field("dom_frozen", "domains", "Lambda of the domain when the clocks froze"),
    Field("dom_lag", "domains", "operational time lost while frozen"),
    Field("dom_next", "domains", "wall time of the domain's next failure"),
    Field("wh_key", "wall", "wall-clock heap: time of each slot"),
    Field("unit_tfail", "units", "when the unit went down, h"),
    Field("spe_t", "spe_points", "this trial's SPE steps profile: starts, h"),
    Field("spe_m", "spe_points", "this trial's SPE steps profile: intensity"),
    Field("spe_c", "spe_points", "this trial's SPE steps profile: cumulative"),
    Field("spe_ev", "spe_events", "this trial's events: (start, end, intensity)"),
    Field("fvars", "fvars", "the scalar float variables (FVar)"),
)

STATE_UINT: tuple[Field, ...] = (
    Field("unit_ctr", "units", "draws taken from each unit's restoration stream"),
    Field("clk_ctr", "clocks", "draws taken from each clock's life stream"),
    Field("misc_ctr", "counters", "draws taken from the other streams (Counter)"),
    Field("key", "one", "the trial's key"),
)

IVARS: tuple[str, ...] = (
    "planned",  # 1 during a servicing visit that holds the system down
    "frozen",  # 1 while the clocks are frozen (system down, units not ageing)
    "outages",  # unplanned system failures in the measured window
    "spares",  # swaps completed in the measured window
    "cell",  # current capacity-grid cell
    "rootprev",  # the root's up state at the last observation
    "lastmode",  # mode of the latest unit failure (charged for an outage it starts)
    "cause",  # mode charged for the current outage
    "up",  # units up
    "nup",  # counts engine: length of the up list
    "job_phase",  # training: phase of the job
    "job_n",  # training: members of the job
    "job_cursor",  # training: where recruiting continues
    "sdc_pending",  # training: 1 while a silent corruption awaits detection
    "sdc_mode",  # training: mode of that corruption
    "dem_piece",  # serving: current piece of the demand
)

FVARS: tuple[str, ...] = (
    "up_h",  # system up in the window
    "down_h",  # system down in the window
    "planned_h",  # system down for servicing in the window
    "cap_h",  # usable unit-hours in the window
    "ttff_h",  # first unplanned system failure (NaN: none yet)
    "served_h",  # serving: delivered unit-hours in the window
    "wanted_h",  # serving: demanded unit-hours in the window
    "slo_h",  # serving: hours meeting the SLO in the window
    "done_h",  # training: when the work was done (NaN: not yet)
    "demand",  # serving: current demand, unit slots
    "committed",  # training: work committed
    "seg_start",  # training: start of the current segment
    "seg_len",  # training: length of the current compute segment
    "speed",  # training: job speed in the current segment
    "good",  # training: work committed before a pending corruption
    "spe_points",  # points of this trial's SPE steps profile
)

COUNTERS: tuple[str, ...] = (
    "pool",  # warm-spare failures in storage
    "resupply",  # Poisson resupply arrivals
)

# ----------------------------------------------------------------------------- outputs


class Output(NamedTuple):
    """A per-trial output of the kernel and the result variables it becomes.

    ``per``: ``"trial"`` (one value), ``"mode"`` (one per failure mode; summed into
    fault classes in the result) or ``"cell"`` (one per capacity-grid cell). The
    kernel accumulates every output in float64; ``dtype`` is how blocks and results
    store it. A per-mode output becomes the result variables ``classes`` (name,
    fault source summed, or "" for all, and long name), by default one of its own
    name over all sources.
    """

    name: str
    per: str
    dtype: str
    units: str
    long_name: str
    cell_methods: str
    classes: tuple[tuple[str, str, str], ...] = ()

    def result_variables(self) -> tuple[tuple[str, str, str], ...]:
        """(result name, fault source or "", long name) of what this output becomes."""
        return self.classes or ((self.name, "", self.long_name),)


OUTPUTS: tuple[Output, ...] = (
    Output(
        "availability",
        "trial",
        "f8",
        "1",
        "fraction of the measured window the system was up",
        "time: mean",
    ),
    Output("mean_capacity", "trial", "f8", "1", "mean fraction of unit slots usable", "time: mean"),
    Output(
        "capacity",
        "cell",
        "f4",
        "1",
        "mean fraction of unit slots usable in the grid cell",
        "time: mean",
    ),
    Output(
        "system_up",
        "cell",
        "i1",
        "1",
        "system up at the end of the grid cell (1) or down (0)",
        "time: point",
    ),
    Output("outages", "trial", "i4", "1", "unplanned system failures", "time: sum"),
    Output("downtime_h", "trial", "f8", "h", "system downtime, planned and unplanned", "time: sum"),
    Output(
        "planned_downtime_h",
        "trial",
        "f8",
        "h",
        "system downtime during servicing visits",
        "time: sum",
    ),
    Output(
        "time_to_first_failure_h",
        "trial",
        "f8",
        "h",
        "time of the first unplanned system failure (NaN: none)",
        "time: point",
    ),
    Output("spares_used", "trial", "i4", "1", "spare swaps completed", "time: sum"),
    Output(
        "spare_stockouts",
        "trial",
        "i4",
        "1",
        "failed units that found their spare pool empty and waited",
        "time: sum",
    ),
    Output(
        "failures",
        "mode",
        "i8",
        "1",
        "faults by failure mode",
        "time: sum",
        classes=(
            ("fault_count", "", "faults by class, summed over unit slots"),
            (
                "saa_fault_count",
                "saa",
                "faults by class that arrived in South Atlantic Anomaly passes (quiet sun)",
            ),
            ("spe_fault_count", "spe", "faults by class due to solar particle events"),
        ),
    ),
    Output(
        "unit_downtime_h",
        "mode",
        "f8",
        "h",
        "unit-hours down, by the fault class that took the unit down",
        "time: sum",
    ),
    Output(
        "outage_downtime_h",
        "mode",
        "f8",
        "h",
        "unplanned system downtime, by the fault class that started the outage",
        "time: sum",
    ),
    Output(
        "throughput",
        "trial",
        "f8",
        "1",
        "serving: delivered fraction of demand; training: committed work per wall hour",
        "time: mean",
    ),
    Output(
        "slo_attainment",
        "trial",
        "f8",
        "1",
        "serving: fraction of time the delivered fraction met the SLO (NaN: training)",
        "time: mean",
    ),
    Output(
        "job_completion_h",
        "trial",
        "f8",
        "h",
        "training: time the job's work was done (NaN: not done or continuous)",
        "time: point",
    ),
    Output(
        "lost_work_h",
        "mode",
        "f8",
        "h",
        "training: job-hours of work rolled back, by the fault class that caused it",
        "time: sum",
    ),
    Output(
        "goodput",
        "cell",
        "f4",
        "1",
        "serving: delivered fraction of demand; training: committed work per hour",
        "time: mean",
    ),
)

# ----------------------------------------------------------------------------- slots


def _slots(name: str, names) -> type[IntEnum]:
    """An IntEnum of the upper-cased ``names`` numbered in order (numba constants)."""
    return IntEnum(name, [(n.upper(), i) for i, n in enumerate(names)], module=__name__)


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
