"""Reading the ``[cluster]`` table: the levels of the redundancy tree, their crews
and spares, and the platforms that carry groups (with their spare groups and
replacement launches)."""

from __future__ import annotations

import math

from reliability.campaign.errors import CampaignError
from reliability.campaign.model import GroupSpares, Level, Spares, UnitType
from reliability.campaign.reader import Table, read_duration_law, read_name
from reliability.laws import Law

__all__ = ["MAX_UNITS", "lot_depth", "read_levels"]

MAX_UNITS = 5_000_000


def _read_stock(t: Table) -> tuple[str, int, float]:
    """``cold = N`` or ``warm = N`` (with ``dormant_mttf``) of a spares table: the
    kind, the count and the dormant MTTF in hours (inf: cold)."""
    kinds = [k for k in ("cold", "warm") if t.has(k)]
    if len(kinds) != 1:
        raise CampaignError(
            "give exactly one of cold = N or warm = N", source=t.source, path=t.path, value=t.data
        )
    kind = kinds[0]
    count = t.integer(kind, minimum=0, maximum=1_000_000)
    dormant = t.duration("dormant_mttf", positive=True) if kind == "warm" else math.inf
    return kind, count, dormant


def _validate_spares(t: Table) -> Spares:
    kind, count, dormant = _read_stock(t)
    swap = read_duration_law(t, "swap", Law(law="fixed", p1=0.0))
    repair = read_duration_law(t, "repair", None)
    t.refuse(
        "repairers",
        "repair the units swapped out: set repair (its duration)",
        unless=repair is not None,
    )
    repairers = t.integer("repairers", minimum=1, maximum=1_000_000) if t.has("repairers") else None
    t.finish()
    return Spares(
        kind=kind,
        count=count,
        swap=swap,
        dormant_mttf_h=dormant,
        repair=repair,
        repairers=repairers,
    )


def _validate_group_spares(t: Table, lt: Table) -> GroupSpares:
    kind, count, dormant = _read_stock(t)
    relocate = read_duration_law(t, "relocate", Law(law="fixed", p1=0.0))
    reorder = None
    if t.has("reorder"):
        t.refuse(
            "reorder",
            "orders launches: set replace on the level (their lead time)",
            unless=lt.has("replace"),
        )
        reorder = t.integer("reorder", minimum=0, maximum=1_000_000)
    else:
        lt.refuse(
            "replace",
            "with group_spares a failed group waits for a spare; replace is the lead time "
            "of the launches that restock them: set group_spares.reorder (and batch)",
        )
    every = first = launches = None
    if t.has("launch_every"):
        every = t.duration("launch_every", positive=True)
        if every < 1.0:
            raise t.error("launch_every", "is under an hour: no launch cadence is that fast", every)
        first = t.duration("launch_first", every)
        launches = (
            t.integer("launch_count", minimum=1, maximum=1_000_000)
            if t.has("launch_count")
            else None
        )
    else:
        t.refuse("launch_first", "is the first launch of a cadence: set launch_every")
        t.refuse("launch_count", "is the number of launches of a cadence: set launch_every")
    t.refuse(
        "batch",
        "is the size of a launch: set reorder (launches on demand) or launch_every (a cadence)",
        unless=reorder is not None or every is not None,
    )
    batch = t.integer("batch", 1, minimum=1, maximum=1_000_000)
    t.finish()
    return GroupSpares(
        kind=kind,
        count=count,
        relocate=relocate,
        dormant_mttf_h=dormant,
        reorder=reorder,
        batch=batch,
        launch_every_h=every,
        launch_first_h=first,
        launch_count=launches,
    )


def _validate_platform(
    lt: Table, units: dict[str, UnitType], last: bool
) -> tuple[str | None, Law | None, float | None]:
    """``platform = "<unit type>"``, ``replace = <duration or law>`` and
    ``launch_failure = <probability>`` of a level."""
    gs = lt.data.get("group_spares")
    cadence = isinstance(gs, dict) and "launch_every" in gs
    lt.refuse(
        "launch_failure",
        "is the failure probability of a launch: set replace (the lead time of launches "
        "ordered) or group_spares.launch_every (a cadence)",
        unless=lt.has("replace") or cadence,
    )
    if not lt.has("platform"):
        lt.refuse("group_spares", "spare groups replace a failed platform's group: set platform")
        lt.refuse("replace", "replaces a group whose platform failed: set platform")
        return None, None, None
    lt.refuse(
        "platform",
        "the units of the last level carry their own failure modes; a platform belongs "
        'to a level of groups (e.g. satellite = { n = 4, k = 3, platform = "bus" })',
        unless=not last,
    )
    name = lt.string("platform")
    if name not in units:
        known = ", ".join(units) or "none defined"
        raise lt.error("platform", f"no such unit type in [units] ({known})", name)
    ut = units[name]
    if ut.radiation or ut.memory is not None or ut.maintenance is not None:
        raise lt.error(
            "platform",
            f"unit type {name!r} has radiation, memory or maintenance entries; a platform "
            "has failure modes only",
            name,
        )
    if not ut.failures:
        raise lt.error("platform", f"unit type {name!r} has no failure modes", name)
    replace = read_duration_law(lt, "replace", None)
    launch_failure = None
    if lt.has("launch_failure"):
        launch_failure = lt.number("launch_failure", minimum=0.0, maximum=1.0)
        if launch_failure >= 1.0:
            raise lt.error("launch_failure", "must be below 1 (no launch would succeed)", 1.0)
    return name, replace, launch_failure


def lot_depth(levels, radiation) -> int:
    """Depth of the groups that are production lots: those of the level a
    ``lot_sigma`` entry names (its members), else of the level above the units (the
    whole system for a one-level tree)."""
    named = {e.lot for e in radiation if e.lot_sigma} - {None}
    names = [lv.name for lv in levels]
    return names.index(named.pop()) + 1 if named else len(levels) - 1


def _validate_lots(t: Table, leaf: UnitType, levels: list[Level]) -> None:
    """The lot levels of the leaf unit's ``lot_sigma`` entries: levels of groups, one
    level for all, not above a level whose groups are replaced one by one."""
    lots = [(i, e.lot) for i, e in enumerate(leaf.radiation) if e.lot_sigma]
    if not lots:
        return
    groups = [lv.name for lv in levels[:-1]]
    default = groups[-1] if groups else None  # the level above the units

    def error(i: int, why: str, value: object) -> CampaignError:
        return CampaignError(
            why,
            source=t.source,
            path=f"units.{leaf.name}.radiation[{i}].threshold_rad.lot",
            value=value,
        )

    for i, lot in lots:
        if lot is not None and lot not in groups:
            raise error(
                i,
                f"no level of groups named {lot!r} (a lot is a group of units: "
                f"{', '.join(groups) or 'this tree has none; leave lot out for one lot'})",
                lot,
            )
    named = [(i, lot or default) for i, lot in lots]
    if len({lot for _, lot in named}) > 1:
        raise error(
            named[1][0], "every lot_sigma of a unit type must name the same lot level", named[1][1]
        )
    # a replaced group brings new lots: a lot must lie inside one
    below = [lv.name for lv in levels[lot_depth(levels, leaf.radiation) :] if lv.platform]
    if below:
        i, lot = named[0]
        raise error(
            i,
            f"a lot spans several groups of level {below[0]!r}, which are replaced one by "
            f"one (platform); name level {below[-1]!r} or one below it",
            lot,
        )


def read_levels(t: Table, units: dict[str, UnitType]) -> tuple[Level, ...]:
    if not t.data:
        raise CampaignError(
            "needs at least one level, e.g. node = { n = 12, k = 10 }",
            source=t.source,
            path="cluster",
        )
    levels: list[Level] = []
    names = list(t.data)
    for depth, lname in enumerate(names):
        lt = t.table(lname)
        assert lt is not None
        read_name(t, lname, lname)
        n = lt.integer("n", minimum=1, maximum=MAX_UNITS)
        k = lt.integer("k", n, minimum=1)
        if k > n:
            raise lt.error("k", f"exceeds n = {n}", k)
        last = depth == len(names) - 1
        unit = None
        if last:
            unit = lt.string("unit", lname)
            if unit not in units:
                known = ", ".join(units) or "none defined"
                raise lt.error("unit", f"no such unit type in [units] ({known})", unit)
        else:
            lt.refuse("unit", "only the last (innermost) level holds units")
        crews = lt.integer("crews", None, minimum=1, maximum=MAX_UNITS) if lt.has("crews") else None
        st = lt.table("spares")
        spares = _validate_spares(st) if st is not None else None
        platform, replace, launch_failure = _validate_platform(lt, units, last)
        gt = lt.table("group_spares")
        group_spares = _validate_group_spares(gt, lt) if gt is not None else None
        lt.refuse(
            "retire_below_k",
            "retires a platform's group: set platform",
            unless=platform is not None,
        )
        retire = (lt.boolean("retire_below_k") or None) if lt.has("retire_below_k") else None
        lt.finish()
        levels.append(
            Level(
                name=lname,
                n=n,
                k=k,
                unit=unit,
                crews=crews,
                spares=spares,
                platform=platform,
                replace=replace,
                launch_failure=launch_failure,
                group_spares=group_spares,
                retire_below_k=retire,
            )
        )
    t.finish()
    leaf = units[levels[-1].unit or levels[-1].name]
    shocks = [m.name for m in leaf.failures if m.shock is not None]
    if shocks:
        raise CampaignError(
            'a shock acts on a group: give it to a platform (platform = "<unit type>" on '
            "a [cluster] level above the units)",
            source=t.source,
            path=f"units.{leaf.name}.failures",
            value=shocks[0],
        )
    _validate_lots(t, leaf, levels)
    if any(m.planned for m in leaf.failures):
        raise CampaignError(
            "design_life retires a platform (a satellite's bus) and replaces its group; "
            "for the units of the last level use their maintenance (renew = true)",
            source=t.source,
            path=f"units.{leaf.name}.design_life",
        )
    used = [lv.platform for lv in levels if lv.platform is not None]
    if leaf.name in used:
        raise CampaignError(
            "the unit type of the last level cannot also be a platform",
            source=t.source,
            path="cluster",
            value=leaf.name,
        )
    total = math.prod(lv.n for lv in levels)
    if total > MAX_UNITS:
        raise CampaignError(
            f"the tree holds {total} units; at most {MAX_UNITS} are supported",
            source=t.source,
            path="cluster",
        )
    return tuple(levels)
