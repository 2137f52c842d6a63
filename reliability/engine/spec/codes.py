"""Codes the plan and the state store: laws, profile kinds, effects, renewal,
restoration, workloads, and the purposes of the random streams."""

from __future__ import annotations

from enum import IntEnum


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
    SHOCK = 4  # a platform's common-cause shock: fails units of its group, it runs on
    RETIRED = 5  # not a fault: a platform's group fell below its k and is replaced


#: effects whose modes have a failure clock on every unit (the others have none)
CLOCKED_EFFECTS = (Effect.DOWN, Effect.SILENT, Effect.SHOCK)


class Renew(IntEnum):
    """What a repair in place does to the unit's ageing clocks."""

    RESUME = 0  # minimal repair: every clock resumes at its age
    UNIT = 1  # as good as new: every mode draws a fresh life
    CLOCK = 2  # the failed mode alone starts afresh; the others resume
    SELECTED = 3  # the modes marked in mode_pm_renew start afresh; the others resume


class Restoring(IntEnum):
    """Where a down unit's restoration stands (state ``unit_job``)."""

    NONE = 0  # not started: waits for the next servicing visit
    QUEUED = 1  # waits for a repair crew
    ACTIVE = 2  # repair or swap under way (a ``restore`` event is pending)
    SPARE_WAIT = 3  # waits for a free spare


class RestoreKind(IntEnum):
    """How a down unit is restored (state ``unit_kind``)."""

    REPAIR = 0  # in place
    SWAP = 1  # for a spare
    GROUP = 2  # a platform: its whole group is replaced (platform, units, on-board spares)


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
    SHOCK = 10  # which units of its group a platform's shock fails
    ORDER = 11  # replenishment orders of a spare pool: lead times, launch outcomes
    SHOP = 12  # repairs of units swapped out of a pool's slots
    LOT = 13  # the shared factor of each production lot (a generation per replacement)
    SDC = 14  # latencies of silent corruption until a training job finds it
