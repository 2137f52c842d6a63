"""Campaign files: TOML → a validated :class:`Campaign` of one or more :class:`Design`.

``model`` holds the dataclasses, ``reader`` the table reader, ``sections`` and
``units`` the per-section validation, ``sweep`` the design grids, ``load`` the
entry points. See :mod:`reliability.campaign.model` for the semantics.
"""

from reliability.campaign.cluster import lot_depth
from reliability.campaign.errors import CampaignError
from reliability.campaign.load import load_campaign, parse_campaign, tornado, validate_document
from reliability.campaign.model import (
    FAULT_METRICS,
    METRICS,
    PRECISION_METRICS,
    SPLIT_METRICS,
    TARGET_METRICS,
    Campaign,
    Derating,
    Design,
    Expectation,
    FailureMode,
    GroupSpares,
    Level,
    Memory,
    Precision,
    Profile,
    RadiationEntry,
    RareEvent,
    Resupply,
    Scenario,
    Servicing,
    Spares,
    Sweep,
    Target,
    UnitMaintenance,
    UnitType,
    Workload,
)
from reliability.campaign.sections import draws_power
from reliability.laws import LAWS, Law

__all__ = [
    "FAULT_METRICS",
    "LAWS",
    "METRICS",
    "PRECISION_METRICS",
    "SPLIT_METRICS",
    "TARGET_METRICS",
    "Campaign",
    "CampaignError",
    "Derating",
    "Design",
    "Expectation",
    "FailureMode",
    "GroupSpares",
    "Law",
    "Level",
    "Memory",
    "Precision",
    "Profile",
    "RadiationEntry",
    "RareEvent",
    "Resupply",
    "Scenario",
    "Servicing",
    "Spares",
    "Sweep",
    "Target",
    "UnitMaintenance",
    "UnitType",
    "Workload",
    "draws_power",
    "load_campaign",
    "lot_depth",
    "parse_campaign",
    "tornado",
    "validate_document",
]
