"""From a validated design to the numeric plan of the engine.

:func:`compile_plan` gathers the plan fields of the tree and pools
(:mod:`.tree`), the failure modes and their time structure (:mod:`.modes`), the
maintenance calendar and the workload into a
:class:`~reliability.engine.plan.PlanArrays`. It knows no TOML and no Dask; the
physics it needs (rates, SAA passes, solar events, checkpoint intervals) comes from
the physics modules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from reliability.campaign import Design, lot_depth
from reliability.eclipses import eclipse_days
from reliability.engine import PlanArrays
from reliability.engine.spec import LAW_CODES, Effect, WorkloadKind
from reliability.environment import saa_pass_h, steps_integral
from reliability.laws import Law
from reliability.power import PowerPieces
from reliability.system.heat import unit_temperature_steps
from reliability.system.modes import Modes, build_modes
from reliability.system.satellite import (
    runs_limited,
    satellite_level,
    satellite_links,
    satellite_power,
    satellite_slots,
)
from reliability.system.tree import tree_fields
from reliability.workload import checkpoint_interval, checkpoint_schedule

__all__ = [
    "SystemPlan",
    "compile_plan",
    "eclipse_at_full",
    "eclipse_hours",
    "job_mtbf_h",
    "link_cells",
    "power_ceiling",
    "temperature_cells",
    "time_edges",
]


@dataclass(frozen=True, slots=True)
class SystemPlan:
    """A compiled scenario: the engine's arrays plus the labels results need."""

    arrays: PlanArrays
    mode_labels: tuple[str, ...]
    n_units: int
    n_groups: int
    mode_classes: tuple[str, ...] = ()
    mode_sources: tuple[str, ...] = ()
    checkpoint_h: float = np.nan  # training: the mission-mean compute between checkpoints
    mode_rate_h: tuple[float, ...] = ()  # mission-mean rate of each mode per unit slot, 1/h

    @property
    def fault_classes(self) -> tuple[str, ...]:
        """Fault classes in first-seen order (hardware modes are their own class)."""
        return tuple(dict.fromkeys(self.mode_classes))

    @property
    def edges(self) -> np.ndarray:
        """Capacity-grid cell edges in hours."""
        return self.arrays.edges


def time_edges(mission_h: float, step_h: float) -> np.ndarray:
    """Cell edges 0, step, 2 step, ..., mission (the last cell may be shorter)."""
    n = max(1, math.ceil(mission_h / step_h - 1e-9))
    edges = np.arange(n + 1, dtype=float) * step_h
    edges[-1] = mission_h
    return edges


def compile_plan(design: Design) -> SystemPlan:
    """Compile one design into the engine's numeric plan.

    Parameters
    ----------
    design : Design
        A validated design (a campaign's ``base``, or a scenario's ``design``).

    Returns
    -------
    SystemPlan

    Examples
    --------
    >>> from reliability.campaign import parse_campaign
    >>> c = parse_campaign('''
    ... [campaign]
    ... name = "k10n12"
    ... mission = "8760 h"
    ... trials = 10
    ... seed = 1
    ... [units.node]
    ... failures = [{ law = "exponential", mean = "1000 h", repair = "24 h" }]
    ... [cluster]
    ... node = { n = 12, k = 10 }
    ... ''')
    >>> plan = compile_plan(c.base)
    >>> plan.n_units, int(plan.arrays.group_k[0])
    (12, 10)
    """
    n_units = design.n_units
    tree = tree_fields(design)
    modes = build_modes(design)
    tree.update(_retire_fields(design, modes, tree))
    tree.update(_lot_fields(design, modes, tree))
    arrays = PlanArrays(
        mission_h=float(design.mission_h),
        warmup_h=float(design.warmup_h),
        age_while_down=int(design.age_while_down),
        edges=time_edges(design.mission_h, design.time_step_h),
        **tree,
        **modes.fields(n_units),
        **_maintenance_fields(design),
        **_workload_fields(design, modes),
        **_derating_fields(design),
        **_power_fields(design),
    )
    return SystemPlan(
        arrays=arrays,
        mode_labels=tuple(modes.labels),
        n_units=n_units,
        n_groups=int(np.size(tree["group_k"])),
        mode_classes=tuple(modes.classes),
        mode_sources=tuple(modes.sources),
        checkpoint_h=_checkpoint_h(design, modes),
        mode_rate_h=tuple(
            steps_integral(steps, design.mission_h) / design.mission_h for steps in modes.rate_steps
        ),
    )


def _lot_fields(design: Design, modes: Modes, tree: dict) -> dict[str, object]:
    """The production lot of each unit slot (platform slots: none), or nothing when no
    mode shares a spread within lots. Units are laid out breadth first, so each group
    at the lots' depth holds a run of as many slots as the levels below it multiply
    to."""
    if not any(modes.lot_sigma):
        return {}
    per_lot = math.prod(
        lv.n for lv in design.levels[lot_depth(design.levels, design.leaf_unit.radiation) :]
    )
    units = np.arange(design.n_units)
    unit_lot = np.full(np.size(tree["unit_group"]), -1, np.int32)
    unit_lot[units] = units // per_lot
    return {
        "unit_lot": unit_lot,
        "lot_first": np.arange(0, design.n_units, per_lot, dtype=np.int32),
    }


def _retire_fields(design: Design, modes: Modes, tree: dict) -> dict[str, object]:
    """The mode that retires each group falling below its k (levels with
    ``retire_below_k``), or nothing."""
    parent = tree["group_parent"]
    retire = np.full(np.size(parent), -1, np.int32)
    depth = np.zeros(np.size(parent), np.int64)
    for g in range(1, np.size(parent)):  # breadth first: a parent comes before its children
        depth[g] = depth[parent[g]] + 1
        lv = design.levels[depth[g] - 1]  # the level whose platform carries group g
        if lv.retire_below_k:
            retire[g] = modes.labels.index(f"{lv.platform}.retired")
    if not (retire >= 0).any():
        return {}
    return {"group_retire": retire, "retire_any": 1}


def _maintenance_fields(design: Design) -> dict[str, object]:
    svc = design.servicing
    rs = design.resupply
    out: dict[str, object] = {}
    if svc is not None:
        out.update(
            svc_every=svc.every_h,
            svc_first=svc.first_h,
            svc_dur=svc.duration_h,
            svc_down=int(svc.system_down),
            svc_all=int(svc.policy == "replace-all"),
            svc_restock=int(svc.restock),
        )
    if rs is not None:
        out.update(
            rs_every=rs.every_h, rs_first=rs.first_h, rs_poisson=int(rs.cadence == "poisson")
        )
    return out


def _latency_law(law: Law | None) -> dict[str, Any]:
    """The engine's draw of a random silent-corruption latency (none: fixed)."""
    if law is None:
        return {}
    return {"wl_sdc_law": LAW_CODES[law.law], "wl_sdc_p1": law.p1, "wl_sdc_p2": law.p2}


def _interrupting(design: Design, modes: Modes) -> list[int]:
    """Modes that interrupt a training job: a unit going down, or silent corruption
    that is found (and rolls the job back)."""
    w = design.workload
    assert w is not None
    found = math.isfinite(w.sdc_detection_h)
    return [
        i for i, e in enumerate(modes.effect) if e == Effect.DOWN or (e == Effect.SILENT and found)
    ]


def job_mtbf_h(design: Design, modes: Modes | None = None) -> float:
    """Mean time between interrupts of the training job: its accelerators times the
    mission-mean rate of every interrupting mode."""
    assert design.workload is not None
    modes = modes or build_modes(design)
    mission = design.mission_h
    rate = sum(
        steps_integral(modes.rate_steps[i], mission) / mission for i in _interrupting(design, modes)
    )
    return math.inf if rate <= 0 else 1.0 / (design.workload.accelerators * rate)


def _job_mtbf_steps(design: Design, modes: Modes) -> list[tuple[float, float]]:
    """The job's MTBF over mission time, as steps at every change of a mode's rate
    (solar phases, rate profiles); the SAA is averaged over the orbit."""
    w = design.workload
    assert w is not None
    use = _interrupting(design, modes)
    starts = sorted({t for i in use for t, _ in modes.rate_steps[i] if t < design.mission_h})
    out = []
    for start in starts or [0.0]:
        rate = 0.0
        for i in use:
            now = [r for t, r in modes.rate_steps[i] if t <= start]
            rate += now[-1] if now else 0.0
        mtbf = math.inf if rate <= 0 else 1.0 / (w.accelerators * rate)
        if not out or out[-1][1] != mtbf:
            out.append((start, mtbf))
    return out


def _power_fields(design: Design) -> dict[str, object]:
    """Power limits: the groups that each carry an array and a battery (those one
    level below ``power.level``, breadth first) and the units each can run, day by
    day merged into pieces (:func:`reliability.power.power_pieces`)."""
    pieces = satellite_power(design)
    carried = satellite_links(design, time_edges(design.mission_h, design.time_step_h))
    if pieces is None and carried is None:
        return {}
    if pieces is None:  # links alone: one piece that runs every usable unit
        slots = satellite_slots(design)
        pieces = PowerPieces(
            np.zeros(1), np.array([slots]), np.arange(slots + 1)[None, :], np.zeros(1)
        )
    levels = design.levels
    d = satellite_level(design)
    first = sum(math.prod(lv.n for lv in levels[:j]) for j in range(d + 1))
    groups = math.prod(lv.n for lv in levels[: d + 1])
    return {
        "pw_group": np.arange(first, first + groups, dtype=np.int64),
        "pw_t": pieces.start_h,
        "pw_sun": pieces.sun,
        "pw_ecl": pieces.eclipse.ravel(),
        "pw_frac": pieces.eclipse_share,
        **({} if carried is None else {"lk_d": carried.table}),
    }


def eclipse_hours(design: Design) -> np.ndarray | None:
    """Hours in the Earth's shadow in each capacity-grid cell (None without an orbit):
    each day's eclipse share of its orbits (at the day's middle), over the cell."""
    env = design.environment
    if env is None:
        return None
    edges = time_edges(design.mission_h, design.time_step_h)
    _, shade = eclipse_days(env, design.mission_h)
    share = shade / 60.0 / env.orbit_period_h
    starts = 24.0 * np.arange(share.size)
    return _cell_integrals(starts, np.minimum(starts + 24.0, design.mission_h), share, edges)


def _cell_integrals(
    starts: np.ndarray, ends: np.ndarray, values: np.ndarray, edges: np.ndarray
) -> np.ndarray:
    """Per grid cell (``edges``), the integral of a step function: ``values[i]`` over
    [``starts[i]``, ``ends[i]``)."""
    out = np.zeros(len(edges) - 1)
    for c in range(len(out)):
        overlap = np.clip(np.minimum(ends, edges[c + 1]) - np.maximum(starts, edges[c]), 0, None)
        out[c] = (overlap * values).sum()
    return out


def eclipse_at_full(arrays: PlanArrays) -> np.ndarray:
    """Units a satellite with every unit usable runs in eclipse, per power piece."""
    table = np.asarray(arrays.pw_ecl).reshape(np.size(arrays.pw_t), -1)
    return table[:, -1]


def temperature_cells(design: Design) -> np.ndarray | None:
    """Per capacity-grid cell: the running units' mean temperature, degrees C (None
    without ``[thermal]``)."""
    if design.thermal is None:
        return None
    starts, temps = unit_temperature_steps(design)
    edges = time_edges(design.mission_h, design.time_step_h)
    ends = np.append(starts[1:], design.mission_h)
    return _cell_integrals(starts, ends, temps, edges) / np.diff(edges)


def link_cells(design: Design) -> dict[str, np.ndarray] | None:
    """Per capacity-grid cell (None without ``[links]``): hours in contact with a
    station, the share of unit slots the links carry with every slot running, the mean
    time a result waits on board (minutes) at the most units they carry in full, and
    the longest stretch without a station (minutes)."""
    carried = satellite_links(design, time_edges(design.mission_h, design.time_step_h))
    if carried is None:
        return None
    return {
        "contact_h": carried.contact_h,
        "link_ceiling": carried.ceiling,
        "link_wait_min": carried.wait_min,
        "contact_gap_max_min": carried.gap_max_min,
    }


def power_ceiling(arrays: PlanArrays, design: Design | None = None) -> np.ndarray | None:
    """Per capacity-grid cell: the mean share of unit slots the power limits let run
    with every unit up (None without power limits): the ceiling the array and battery
    put on capacity over the mission."""
    if not np.size(arrays.pw_t) or (design is not None and not runs_limited(design)):
        return None
    slots = int(np.asarray(arrays.group_units)[np.asarray(arrays.pw_group)[0]])
    edges = np.asarray(arrays.edges, dtype=float)
    starts = np.asarray(arrays.pw_t, dtype=float)
    full = eclipse_at_full(arrays)
    share = np.minimum(1.0, ((1 - arrays.pw_frac) * arrays.pw_sun + arrays.pw_frac * full) / slots)
    ends = np.append(starts[1:], edges[-1])
    return _cell_integrals(starts, ends, share, edges) / np.diff(edges)


def _derating_fields(design: Design) -> dict[str, object]:
    """The capacity factor over mission time (1 without a derating)."""
    if design.derating is None:
        return {}
    p = next(p for p in design.profiles if p.name == design.derating.profile)
    return {"cf_t": np.array([t for t, _ in p.points]), "cf_m": np.array([m for _, m in p.points])}


def _checkpoint_h(design: Design, modes: Modes) -> float:
    """Training: the mission-mean compute between checkpoints (NaN without a job)."""
    w = design.workload
    if w is None or w.kind != "training":
        return math.nan
    if w.checkpoint == "fixed":
        return w.checkpoint_h
    mtbf = w.mtbf_h if w.mtbf_h is not None else job_mtbf_h(design, modes)
    how = "daly" if w.checkpoint == "saa" else w.checkpoint  # saa: Daly's at the mean
    _, (tau,) = checkpoint_schedule(how, w.checkpoint_cost_h, [(0.0, mtbf)], design.mission_h)
    return tau


def _saa_schedule(design: Design, modes: Modes) -> tuple[list[float], list[float]]:
    """SAA-aware checkpoints: Daly's interval at the job's interrupt rate inside each
    SAA pass and at its rate outside them, in pieces that start at every pass's start
    and end (the passes are predictable: the job checkpoints just before each)."""
    w, env = design.workload, design.environment
    assert w is not None and env is not None and env.saa_fraction > 0
    f, mission = env.saa_fraction, design.mission_h
    pass_h, period, passes = saa_pass_h(env)
    use = _interrupting(design, modes)

    def rate_at(t: float, inside: bool) -> float:
        total = 0.0
        for i in use:
            r = next(r for s, r in reversed(modes.rate_steps[i]) if s <= t)
            side = modes.saa_side[i]
            if side == 0:
                total += r
            elif (side == 2) == inside:
                total += r / (f if inside else 1.0 - f)
        return w.accelerators * total

    starts, intervals = [], []
    for k in range(math.ceil(mission / period)):
        for j in range(passes):
            for inside, t in ((True, k * period + j * env.orbit_period_h), (False, None)):
                t = starts[-1] + pass_h if t is None else t
                if t >= mission:
                    break
                rate = rate_at(t, inside)
                starts.append(t)
                intervals.append(
                    mission
                    if rate <= 0
                    else checkpoint_interval("daly", w.checkpoint_cost_h, 1.0 / rate)
                )
    return starts, intervals


def _workload_fields(design: Design, modes: Modes) -> dict[str, object]:
    w = design.workload
    everything = {"dem_t": np.zeros(1), "dem_m": np.full(1, float(design.n_units))}
    if w is None:  # every slot is wanted
        return everything
    if w.kind == "serving":
        out: dict[str, object] = {
            "wl_kind": WorkloadKind.SERVING,
            "wl_slo": w.slo,
            "dem_t": np.zeros(1),
            "dem_m": np.full(1, w.demand_units),
        }
        if w.demand_profile is not None:
            p = next(p for p in design.profiles if p.name == w.demand_profile)
            out["dem_t"] = np.array([t for t, _ in p.points])
            out["dem_m"] = np.array([w.demand_units * m for _, m in p.points])
        return out
    tau_t, tau_v = [0.0], [_checkpoint_h(design, modes)]
    if w.checkpoint == "saa":
        tau_t, tau_v = _saa_schedule(design, modes)
    elif w.checkpoint != "fixed" and w.mtbf_h is None:
        # from the current failure rate: Daly or Young anew at every rate change
        tau_t, tau_v = checkpoint_schedule(
            w.checkpoint, w.checkpoint_cost_h, _job_mtbf_steps(design, modes), design.mission_h
        )
    return {
        **everything,
        "tau_t": np.array(tau_t),
        "tau_v": np.array(tau_v),
        "wl_kind": WorkloadKind.TRAINING,
        "wl_m": w.accelerators,
        "wl_elastic": int(w.elastic),
        "wl_delta": w.checkpoint_cost_h,
        "wl_restart": w.restart_h,
        "wl_work": w.work_h,
        "wl_sdc_latency": w.sdc_detection_h,
        **_latency_law(w.sdc_detection_law),
        "wl_keep": w.checkpoint_keep or 0,
        "wl_cut": int(w.checkpoint == "saa"),
    }
