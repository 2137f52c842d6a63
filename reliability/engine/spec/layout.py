"""The plan's fields and parameters, the state of a trial, and the wall-clock event
kinds: each with the dimension that sizes it."""

from __future__ import annotations

from math import inf
from typing import NamedTuple

#: Events one trial may take by default before the kernel stops it: at tens of
#: millions of events a second, some seconds of one core. A design that needs more
#: is almost always a mistake (a mean life of seconds, a repair of zero); the
#: runner's budget (``RELIABILITY_MAX_EVENTS_PER_TRIAL``) replaces it.
MAX_EVENTS_PER_TRIAL = 100_000_000


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
    """A scalar parameter of the plan: ``count`` names the dimension it counts (a
    parameter ``pack_plan`` derives), otherwise ``default`` None: the compiler must
    give it."""

    name: str
    doc: str
    count: str = ""
    default: float | None = None

    @property
    def derived(self) -> bool:
        """Counted from the arrays by ``pack_plan``."""
        return bool(self.count)


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
    EventKind("unit_repaired", "shop_slots", "restore", "a unit swapped out is repaired: a spare"),
    EventKind("service_start", "one", "maintenance", "a servicing visit starts"),
    EventKind("service_end", "one", "maintenance", "a visit ends: failed units are replaced"),
    EventKind("resupply", "one", "maintenance", "spares arrive: every pool is topped up"),
    EventKind("unit_pm", "units", "maintenance", "a unit's calendar preventive maintenance"),
    EventKind("order_arrives", "order_slots", "maintenance", "a replenishment launch arrives"),
    EventKind("job_phase", "one", "job", "training: a restart, compute or checkpoint ends"),
    EventKind("sdc_found", "one", "job", "training: silent corruption is found"),
    # last, so that the identities of the kinds above are those of plans without it
    EventKind("cadence_launch", "spare_pools", "maintenance", "a launch of a fixed cadence flies"),
)


# plan: every packed array starts with its fields of a size fixed by the contract
# (parameters, offset tables, state variables), whose offsets are constants: the
# kernel reads them with one load (see spec.IPARAMS0 and its siblings)

PLAN_INT: tuple[Field, ...] = (
    Field("iparams", "params_int", "the scalar int parameters (IParam)", derived=True),
    Field("wall_off", "event_kinds", "first wall-event identity of each kind", 1, True),
    Field("out_off", "outputs", "offset of each output in a trial's row", 1, True),
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
    Field("group_unit0", "groups", "first unit slot of the group's subtree (units contiguous)"),
    Field("group_platform", "groups", "unit slot of the platform carrying the group, -1: none"),
    Field("group_rlaw", "groups", "law of the time to replace the group (LawKind), -1: none"),
    Field(
        "group_retire",
        "groups",
        "mode retiring the group below its k (Effect.RETIRED), -1: none",
        default=-1,
    ),
    Field("unit_gate", "units", "1: a platform (its group is down while it is), 0: a unit"),
    Field("mode_law", "modes", "life law (LawKind)"),
    Field("mode_dom", "modes", "rate-profile domain the life is kept in"),
    Field("mode_replace", "modes", "1: the unit must be replaced; 0: repaired in place"),
    Field("mode_rlaw", "modes", "repair-duration law (LawKind)"),
    Field("mode_crew", "modes", "the repair needs a crew"),
    Field("mode_renew", "modes", "what a repair does to the clocks (Renew)"),
    Field("mode_local", "modes", "index of the mode within its unit type (stream id)"),
    Field("mode_effect", "modes", "effect on the unit (Effect)"),
    Field(
        "mode_planned",
        "modes",
        "1: a planned retirement (design life): a free spare group takes over at once",
        default=0,
    ),
    Field("mode_pm_renew", "modes", "1: a maintenance turn renews this mode's clock", default=0),
    Field("dom_kind", "domains", "kind of rate profile (ProfileKind)"),
    Field("dom_off", "domains", "offsets into dom_t, dom_m, dom_c", extra=1),
    Field("dom_hoff", "domains", "offsets of each domain's failure heap", extra=1),
    Field("dom_poff", "domains", "offsets of each domain's periodic pattern", extra=1),
    Field(
        "dom_calendar",
        "domains",
        "1: time in orbit (total dose), which runs while units or the system are down",
        default=0,
    ),
    Field("crew_count", "crews", "repairers of each crew pool"),
    Field("crew_qoff", "crews", "offsets of each crew pool's queue", extra=1),
    Field("sp_capacity", "spare_pools", "spares a pool holds when full"),
    Field("sp_warm", "spare_pools", "1: warm spares (fail in storage)"),
    Field("sp_slaw", "spare_pools", "swap-duration law (LawKind)"),
    Field("sp_qoff", "spare_pools", "offsets of each pool's waiting queue", extra=1),
    Field("sp_group", "spare_pools", "1: a pool of spare groups (satellites)", default=0),
    Field(
        "sp_reorder",
        "spare_pools",
        "order when the stock position falls to it, -1: never",
        default=-1,
    ),
    Field("sp_batch", "spare_pools", "spares per replenishment launch", default=1),
    Field("sp_llaw", "spare_pools", "law of a replenishment's lead time (LawKind)", default=0),
    Field("sp_ooff", "spare_pools", "offsets of each pool's order slots", extra=1, default=0),
    Field("order_pool", "order_slots", "spare pool of each order slot", default=0),
    Field("unit_lot", "units", "production lot of the unit slot, -1: none", default=-1),
    Field("lot_first", "lots", "first unit slot of each lot (lots are runs of slots)", default=()),
    Field(
        "sp_rlaw", "spare_pools", "repair law of units swapped out (LawKind), -1: none", default=-1
    ),
    Field("sp_soff", "spare_pools", "offsets of each pool's repair slots", extra=1, default=0),
    Field("shop_pool", "shop_slots", "spare pool of each repair slot", default=0),
    Field("pw_group", "power_groups", "power: groups whose units share an array", default=()),
    Field(
        "pw_ecl",
        "power_table",
        "power: units a powered group runs in eclipse, by piece and usable units (0..slots)",
        default=(),
    ),
    Field("pw_sun", "power_pieces", "power: most units a powered group runs in sun", default=()),
)

PLAN_FLOAT: tuple[Field, ...] = (
    Field("fparams", "params_float", "the scalar float parameters (FParam)", derived=True),
    Field("edges", "cells", "capacity-grid cell edges, h", extra=1),
    Field("mode_p1", "modes", "first life parameter (see LawKind)"),
    Field("mode_p2", "modes", "second life parameter"),
    Field("mode_rp1", "modes", "first repair-duration parameter"),
    Field("mode_rp2", "modes", "second repair-duration parameter"),
    Field("mode_shock", "modes", "a shock: probability it fails each unit up", default=0.0),
    Field(
        "mode_lot_sigma",
        "modes",
        "lognormal life: sigma of ln life shared by a lot (0: none)",
        default=0.0,
    ),
    Field("group_rp1", "groups", "first parameter of the time to replace the group"),
    Field("group_rp2", "groups", "second parameter of the time to replace the group"),
    Field("group_rfail", "groups", "probability that a replacement's launch fails", default=0.0),
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
    Field("sp_lp1", "spare_pools", "first lead-time parameter", default=0.0),
    Field("sp_lp2", "spare_pools", "second lead-time parameter", default=0.0),
    Field("sp_lfail", "spare_pools", "probability that a replenishment launch fails", default=0.0),
    Field(
        "sp_every", "spare_pools", "fixed-cadence launches: interval, h (inf: none)", default=inf
    ),
    Field("sp_first", "spare_pools", "fixed-cadence launches: the first, h", default=inf),
    Field("sp_last", "spare_pools", "fixed-cadence launches: the last, h", default=inf),
    Field("pw_t", "power_pieces", "power: piece starts, h", default=()),
    Field("pw_frac", "power_pieces", "power: share of the piece in eclipse", default=()),
    Field(
        "lk_d",
        "link_table",
        "links: units' worth of results a satellite's links carry, by units running (0..slots)",
        default=(),
    ),
    Field("sp_rp1", "spare_pools", "first repair parameter of units swapped out", default=0.0),
    Field("sp_rp2", "spare_pools", "second repair parameter of units swapped out", default=0.0),
    Field("pat_t", "pattern_pieces", "periodic patterns: piece starts within the period"),
    Field("pat_m", "pattern_pieces", "periodic patterns: multipliers"),
    Field("pat_c", "pattern_pieces", "periodic patterns: cumulative at piece starts"),
    Field("occ_t", "spe_pieces", "SPE occurrence rate: piece starts, h", default=0.0),
    Field("occ_m", "spe_pieces", "SPE occurrence rate: events per h", default=0.0),
    Field("occ_c", "spe_pieces", "SPE occurrence rate: cumulative events", default=0.0),
    Field("dem_t", "demand_pieces", "demand: piece starts, h (every slot without a workload)"),
    Field("dem_m", "demand_pieces", "demand: unit slots wanted"),
    Field("cf_t", "factor_pieces", "capacity factor: piece starts, h", default=0.0),
    Field("cf_m", "factor_pieces", "capacity factor: share of usable slots that run", default=1.0),
    Field("dem_c", "demand_pieces", "serving demand: cumulative unit-hours", derived=True),
    Field("tau_t", "tau_pieces", "training: starts of checkpoint-interval pieces", default=0.0),
    Field("tau_v", "tau_pieces", "training: compute between checkpoints, h", default=1.0),
    Field("unit_pm_first", "units", "first preventive maintenance, h (inf: none)", default=inf),
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
    Param("wl_sdc_law", "training: law of the corruption latency (-1: fixed)", default=-1),
    Param("wl_keep", "training: newest checkpoints kept (0: every one)", default=0),
    Param("wl_elastic", "training: run slower when fewer than m are up", default=0),
    Param("wl_cut", "training: 1: checkpoint ahead of each interval piece's start", default=0),
    Param("pm_mode", "the mode of preventive maintenance (Effect.SCHEDULED), -1: none", default=-1),
    Param("retire_any", "1: some group is retired when it falls below its k", default=0),
    Param(
        "max_events",
        "most events one trial may take before the kernel stops it (EventBudgetError)",
        default=MAX_EVENTS_PER_TRIAL,
    ),
    Param("n_units", "unit slots", count="units"),
    Param("n_sp", "spare pools", count="spare_pools"),
    Param("n_dom", "rate-profile domains", count="domains"),
    Param("n_groups", "k-of-n groups", count="groups"),
    Param("n_cells", "capacity-grid cells", count="cells"),
    Param("n_crew", "crew pools", count="crews"),
    Param("n_modes", "failure modes", count="modes"),
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
    Param("wl_delta", "training: checkpoint cost, h", default=0.0),
    Param("wl_restart", "training: restart cost, h", default=0.0),
    Param("wl_work", "training: total work, h (inf: runs all mission)", default=inf),
    Param("wl_sdc_latency", "training: silent corruption found after, h", default=inf),
    Param("wl_sdc_p1", "training: the latency law's first parameter (LawKind)", default=0.0),
    Param("wl_sdc_p2", "training: the latency law's second parameter", default=0.0),
    Param("pm_every", "preventive maintenance: interval between a unit's turns, h", default=inf),
)


# state

STATE_INT: tuple[Field, ...] = (
    Field("ivars", "ivars", "the scalar int variables (IVar)"),
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
    Field("g_upc", "groups", "members up, less _tree.GATE while the group's platform is down"),
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
    Field("sp_onorder", "spare_pools", "spares on order (launches not yet arrived)"),
    Field("order_live", "order_slots", "1: the order slot holds an order under way"),
    Field("sp_shopq", "spare_pools", "units swapped out waiting for a repairer"),
    Field("shop_live", "shop_slots", "1: the repair slot is repairing a unit"),
)

STATE_FLOAT: tuple[Field, ...] = (
    Field("fvars", "fvars", "the scalar float variables (FVar)"),
    Field("clk_origin", "clocks", "operational time the clock's life is counted from"),
    Field("clk_deadline", "clocks", "age at which the clock fires"),
    Field("clk_paused", "clocks", "age of a paused clock while its unit is down"),
    Field("fh_key", "clocks", "failure heaps: operational time of each slot"),
    Field("dom_frozen", "domains", "Lambda of the domain when the clocks froze"),
    Field("dom_lag", "domains", "operational time lost while frozen"),
    Field("dom_next", "domains", "wall time of the domain's next failure"),
    Field("wh_key", "wall", "wall-clock heap: time of each slot"),
    Field("unit_tfail", "units", "when the unit went down, h"),
    Field("sp_arrive", "spare_pools", "sum of the times the pool's spares came to orbit, h"),
    Field("spe_t", "spe_points", "this trial's SPE steps profile: starts, h"),
    Field("spe_m", "spe_points", "this trial's SPE steps profile: intensity"),
    Field("spe_c", "spe_points", "this trial's SPE steps profile: cumulative"),
    Field("spe_ev", "spe_events", "this trial's events: (start, end, intensity)"),
)

STATE_UINT: tuple[Field, ...] = (
    Field("key", "one", "the trial's key"),
    Field("misc_ctr", "counters", "draws taken from the other streams (Counter)"),
    Field("unit_ctr", "units", "draws taken from each unit's restoration stream"),
    Field("clk_ctr", "clocks", "draws taken from each clock's life stream"),
    Field("lot_gen", "lots", "generation of each lot (a replaced group brings a new lot)"),
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
    "sdc_pending",  # training: corruptions awaiting detection that matter (0-4)
    "dem_piece",  # current piece of the demand
    "cf_piece",  # current piece of the capacity factor
    "events",  # events taken by this trial (against the max_events parameter)
    "pw_piece",  # current piece of the power limits
    "ckpts",  # training: checkpoints written
    # training, one per pending corruption (oldest first): its mode, and the
    # checkpoints written when it struck
    "sdc_mode_0",
    "sdc_mode_1",
    "sdc_mode_2",
    "sdc_mode_3",
    "sdc_ckpts_0",
    "sdc_ckpts_1",
    "sdc_ckpts_2",
    "sdc_ckpts_3",
    # training: the number of the checkpoint the committed work lives in (the newest
    # written, or the older one a rollback restored; 0: the job's first step)
    "ckpt_live",
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
    "demand",  # current demand, unit slots
    "cap_factor",  # current capacity factor
    "next_change",  # when the demand or the capacity factor next changes (inf: never)
    "committed",  # training: work committed
    "seg_start",  # training: start of the current segment
    "seg_len",  # training: length of the current compute segment
    "speed",  # training: job speed in the current segment
    "spe_points",  # points of this trial's SPE steps profile
    "unpowered_h",  # usable unit-hours not run for lack of power in the window
    "unlinked_h",  # powered unit-hours whose results the links could not carry
    # training, one per pending corruption (oldest first): the work committed before
    # it, and when it will be found
    "sdc_good_0",
    "sdc_good_1",
    "sdc_good_2",
    "sdc_good_3",
    "sdc_found_0",
    "sdc_found_1",
    "sdc_found_2",
    "sdc_found_3",
)

COUNTERS: tuple[str, ...] = (
    "pool",  # warm-spare failures in storage
    "resupply",  # Poisson resupply arrivals
    "order",  # replenishment lead times and launch outcomes
    "shop",  # repair durations of units swapped out
    "sdc",  # latencies of silent corruption found by a training job
)
