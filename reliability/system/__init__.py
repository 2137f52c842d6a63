"""From a validated design to the engine's numeric plan: the redundancy tree at every
level, pools and logistics, failure modes and their time structure."""

from reliability.system.plan import (
    SystemPlan,
    compile_plan,
    eclipse_at_full,
    eclipse_hours,
    job_mtbf_h,
    link_cells,
    power_ceiling,
    temperature_cells,
    time_edges,
)

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
