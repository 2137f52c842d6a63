"""The redundancy tree as arrays: k-of-n groups breadth first, the platforms that
carry groups, and the crew and spare pools that serve the units.

Unit slots: the units of the last level first (those of a group contiguous), then one
slot per platform, level by level."""

from __future__ import annotations

import math

import numpy as np

from reliability.campaign import Design
from reliability.engine.spec import LAW_CODES

__all__ = ["tree_fields"]


def _pools(design: Design, attribute: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Assign every unit to the pool of the deepest level declaring ``attribute``.

    Returns the pool index of each unit (-1: none) and, per pool, (level, units served).
    """
    levels = design.levels
    n_units = design.n_units
    below = [math.prod(lv.n for lv in levels[d:]) for d in range(len(levels))]
    unit_pool = np.full(n_units, -1, np.int32)
    pools: list[tuple[int, int]] = []
    for depth in range(len(levels) - 1, -1, -1):
        if getattr(levels[depth], attribute) is None:
            continue
        n_groups = n_units // below[depth]
        first = len(pools)
        pools.extend((depth, 0) for _ in range(n_groups))
        unassigned = unit_pool < 0
        idx = np.flatnonzero(unassigned)
        unit_pool[idx] = first + idx // below[depth]
    counts = np.bincount(unit_pool[unit_pool >= 0], minlength=len(pools))
    pools = [(depth, int(c)) for (depth, _), c in zip(pools, counts, strict=True)]
    return unit_pool, pools


def _group_pools(
    levels: tuple, first_of_depth: list[int], depth_sizes: list[int], n_groups: int
) -> np.ndarray:
    """The spare pool of each group that one serves exactly (-1 for the others).

    Units draw on the pools of the deepest level declaring spares (see :func:`_pools`,
    which numbers that level's pools first), so its groups and pools match one to one.
    """
    out = np.full(n_groups, -1, np.int32)
    deepest = [d for d, lv in enumerate(levels) if lv.spares is not None]
    if deepest:
        d = deepest[-1]
        out[first_of_depth[d] : first_of_depth[d] + depth_sizes[d]] = np.arange(depth_sizes[d])
    return out


def tree_fields(design: Design) -> dict[str, np.ndarray]:
    """Plan fields of the tree (groups, units' groups) and of the crew and spare pools."""
    levels = design.levels
    n_units = design.n_units
    depth_sizes = [math.prod(lv.n for lv in levels[:d]) for d in range(len(levels))]
    below = [math.prod(lv.n for lv in levels[d:]) for d in range(len(levels))]
    # groups, breadth first: depth d holds depth_sizes[d] groups
    parent, gk, gn, gunits = [], [], [], []
    first_of_depth = []
    for d, lv in enumerate(levels):
        first_of_depth.append(len(parent))
        for i in range(depth_sizes[d]):
            parent.append(-1 if d == 0 else first_of_depth[d - 1] + i // levels[d - 1].n)
            gk.append(lv.k)
            gn.append(lv.n)
            gunits.append(below[d])
    leaf_first = first_of_depth[-1]
    # groups are breadth first, so the children of a group are contiguous
    child0 = [
        first_of_depth[d + 1] + i * lv.n if d + 1 < len(levels) else -1
        for d, lv in enumerate(levels)
        for i in range(depth_sizes[d])
    ]
    unit_crew, crew_pools = _pools(design, "crews")
    unit_spare, spare_pools = _pools(design, "spares")
    # platform slots follow the units, level by level: level d's carry depth d + 1
    n_groups = len(parent)
    plat_group: list[int] = []
    group_platform = np.full(n_groups, -1, np.int32)
    rlaw = np.full(n_groups, -1, np.int32)
    rp1 = np.zeros(n_groups)
    rp2 = np.zeros(n_groups)
    rfail = np.zeros(n_groups)
    for d, lv in enumerate(levels):
        if lv.platform is None:
            continue
        carried = range(first_of_depth[d + 1], first_of_depth[d + 1] + depth_sizes[d + 1])
        for g in carried:
            group_platform[g] = n_units + len(plat_group)
            plat_group.append(g)
            if lv.replace is not None:
                rlaw[g] = LAW_CODES[lv.replace.law]
                rp1[g], rp2[g] = lv.replace.p1, lv.replace.p2
                rfail[g] = lv.launch_failure or 0.0
    n_plat = len(plat_group)
    plat_spare = np.full(n_plat, -1, np.int32)
    gpools = _group_pools_of(levels, first_of_depth, depth_sizes, group_platform, n_units)
    for k, (_, platforms, _) in enumerate(gpools):
        plat_spare[np.asarray(platforms) - n_units] = len(spare_pools) + k
    none = np.full(n_plat, -1, np.int32)
    unit0 = [i * below[d] for d in range(len(levels)) for i in range(depth_sizes[d])]
    crew_count = [levels[d].crews for d, _ in crew_pools]
    sp_levels = [levels[d].spares for d, _ in spare_pools]
    i32 = np.int32
    return {
        "unit_group": np.concatenate(
            [leaf_first + np.arange(n_units) // levels[-1].n, plat_group]
        ).astype(i32),
        "unit_crew": np.concatenate([unit_crew, none]),
        "unit_spare": np.concatenate([unit_spare, plat_spare]),
        "unit_gate": np.concatenate([np.zeros(n_units, i32), np.ones(n_plat, i32)]),
        "group_unit0": np.array(unit0, np.int64),
        "group_platform": group_platform,
        "group_rlaw": rlaw,
        "group_rp1": rp1,
        "group_rp2": rp2,
        "group_rfail": rfail,
        "group_parent": np.array(parent, i32),
        "group_k": np.array(gk, i32),
        "group_n": np.array(gn, i32),
        "group_units": np.array(gunits, np.int64),
        "group_child0": np.array(child0, i32),
        "group_pool": _group_pools(levels, first_of_depth, depth_sizes, len(parent)),
        "crew_count": np.array(crew_count, i32),
        "crew_qoff": np.concatenate([[0], np.cumsum([c for _, c in crew_pools])]).astype(i32),
        **_pool_fields(sp_levels, [c for _, c in spare_pools], gpools, levels),
    }


def _group_pools_of(levels, first_of_depth, depth_sizes, group_platform, n_units):
    """Pools of spare groups: one per group above a level with ``group_spares``,
    serving the platforms of its children; (level, platform slots, order slots)."""
    out = []
    for d, lv in enumerate(levels):
        gs = lv.group_spares
        if gs is None:
            continue
        slots = 0 if gs.reorder is None else (gs.reorder + lv.n) // gs.batch + 2
        for i in range(depth_sizes[d]):
            first = first_of_depth[d + 1] + i * lv.n
            out.append((d, [int(group_platform[g]) for g in range(first, first + lv.n)], slots))
    return out


def _pool_fields(unit_levels, unit_served, gpools, levels) -> dict[str, np.ndarray]:
    """Plan fields of the spare pools: of units first, then of spare groups."""
    i32 = np.int32
    rows = [(s.count, s.kind, s.dormant_mttf_h, s.swap, None, 1, None, 0.0, 0) for s in unit_levels]
    cadence = [(math.inf, math.inf, math.inf)] * len(unit_levels)  # unit pools: resupply
    served = list(unit_served)
    # repair slots: the repairers, or one per unit that can be away at once
    shop = [
        0 if s.repair is None else (s.repairers or s.count + n)
        for s, n in zip(unit_levels, unit_served, strict=True)
    ]
    repair = [s.repair for s in unit_levels]
    for d, platforms, slots in gpools:
        lv = levels[d]
        g = lv.group_spares
        rows.append(
            (
                g.count,
                g.kind,
                g.dormant_mttf_h,
                g.relocate,
                g.reorder,
                g.batch,
                lv.replace,
                lv.launch_failure or 0.0,
                slots,
            )
        )
        if g.launch_every_h is None:
            cadence.append((math.inf, math.inf, math.inf))
        else:
            # the kernel adds up the intervals: half an interval of slack keeps the last
            n = g.launch_count
            last = g.launch_first_h + (n - 0.5) * g.launch_every_h if n else math.inf
            cadence.append((g.launch_every_h, g.launch_first_h, last))
        served.append(len(platforms))
        shop.append(0)
        repair.append(None)
    n_unit = len(unit_levels)
    slots = [r[8] for r in rows]
    order_pool = np.repeat(np.arange(len(rows)), slots)
    return {
        "sp_capacity": np.array([r[0] for r in rows], i32),
        "sp_warm": np.array([r[1] == "warm" for r in rows], i32),
        "sp_dormant": np.array([r[2] for r in rows], dtype=float),
        "sp_slaw": np.array([LAW_CODES[r[3].law] for r in rows], i32),
        "sp_sp1": np.array([r[3].p1 for r in rows], dtype=float),
        "sp_sp2": np.array([r[3].p2 for r in rows], dtype=float),
        "sp_qoff": np.concatenate([[0], np.cumsum(served)]).astype(i32),
        "sp_group": np.array([i >= n_unit for i in range(len(rows))], i32),
        "sp_reorder": np.array([-1 if r[4] is None else r[4] for r in rows], i32),
        "sp_batch": np.array([r[5] for r in rows], i32),
        "sp_llaw": np.array([LAW_CODES[r[6].law] if r[6] else 0 for r in rows], i32),
        "sp_lp1": np.array([r[6].p1 if r[6] else 0.0 for r in rows], dtype=float),
        "sp_lp2": np.array([r[6].p2 if r[6] else 0.0 for r in rows], dtype=float),
        "sp_lfail": np.array([r[7] for r in rows], dtype=float),
        "sp_every": np.array([c[0] for c in cadence], dtype=float),
        "sp_first": np.array([c[1] for c in cadence], dtype=float),
        "sp_last": np.array([c[2] for c in cadence], dtype=float),
        "sp_ooff": np.concatenate([[0], np.cumsum(slots)]).astype(i32),
        "order_pool": order_pool.astype(i32),
        "sp_rlaw": np.array([-1 if r is None else LAW_CODES[r.law] for r in repair], i32),
        "sp_rp1": np.array([0.0 if r is None else r.p1 for r in repair], dtype=float),
        "sp_rp2": np.array([0.0 if r is None else r.p2 for r in repair], dtype=float),
        "sp_soff": np.concatenate([[0], np.cumsum(shop)]).astype(i32),
        "shop_pool": np.repeat(np.arange(len(rows)), shop).astype(i32),
    }
