"""The ``[links]`` table: how each satellite's results reach the ground.

::

    [links]
    level = "satellite"            # each member carries a radio and a store
    stations = [                   # ground stations (degrees north and east)
      { name = "SvalSat", lat = 78.23, lon = 15.41 },
      { name = "TrollSat", lat = -72.02, lon = 2.53 },
    ]
    elevation_mask_deg = 10        # a station sees the satellite above this elevation
    downlink_gbps = 0.52           # while a station is in view, Gbit/s
    relay_gbps = 0.0               # always on, e.g. a laser link to a GEO relay, Gbit/s
    buffer_gb = 1400               # on-board store for results awaiting downlink, GB
    output_gb_per_unit_h = 5.0     # results per unit-hour of work, GB

A full store stalls the compute that feeds it: capacity and throughput then count
only what the links carry (see :mod:`reliability.links`).
"""

from __future__ import annotations

from reliability.campaign.errors import CampaignError
from reliability.campaign.model import Level
from reliability.campaign.power import read_satellite_level
from reliability.campaign.reader import Table, read_name
from reliability.links import Links, Station
from reliability.power import PowerSystem
from reliability.thermal import Thermal

__all__ = ["read_links"]


def read_links(
    t: Table | None,
    levels: tuple[Level, ...],
    power: PowerSystem | None,
    thermal: Thermal | None = None,
    *,
    has_environment: bool,
    training: bool,
) -> Links | None:
    if t is None:
        return None
    fixed = power.level if power is not None else thermal.level if thermal is not None else None
    level = read_satellite_level(t, levels, "links", fixed, "power and thermal")
    if not has_environment:
        raise CampaignError(
            "needs an [environment] orbit: it sets the contacts", source=t.source, path="links"
        )
    if training:
        raise t.error(
            "level",
            "links with a training job are not modelled (its results, a checkpoint, are "
            "small); use a serving workload or none",
            level,
        )
    stations = _read_stations(t)
    out = Links(
        level=level,
        stations=stations,
        elevation_mask_deg=t.number("elevation_mask_deg", 10.0, minimum=0.0, maximum=80.0),
        downlink_gbps=t.number("downlink_gbps", 0.0, minimum=0.0, maximum=1e4),
        relay_gbps=t.number("relay_gbps", 0.0, minimum=0.0, maximum=1e4),
        buffer_gb=t.number("buffer_gb", 0.0, minimum=0.0, maximum=1e9),
        output_gb_per_unit_h=t.number("output_gb_per_unit_h", positive=True, maximum=1e9),
    )
    if stations and out.downlink_gbps == 0.0:
        raise t.error("downlink_gbps", "stations need a downlink rate above 0", 0.0)
    if out.downlink_gbps > 0.0 and not stations:
        raise t.error("stations", "a downlink needs at least one ground station", [])
    if not stations and out.relay_gbps == 0.0:
        raise t.error("relay_gbps", "no stations and no relay: nothing carries the results", 0.0)
    t.finish()
    return out


def _read_stations(t: Table) -> tuple[Station, ...]:
    raw = t.raw("stations", [])
    if not isinstance(raw, list):
        raise t.error("stations", "expected a list of { name, lat, lon } tables", raw)
    out = []
    for i, item in enumerate(raw):
        st = Table(item, f"{t.key('stations')}[{i}]", t.source)
        name = read_name(st, "name", st.raw("name"))
        out.append(
            Station(
                name=name,
                lat_deg=st.number("lat", minimum=-90.0, maximum=90.0),
                lon_deg=st.number("lon", minimum=-180.0, maximum=360.0),
            )
        )
        st.finish()
    if len({s.name for s in out}) < len(out):
        raise t.error("stations", "station names must differ", [s.name for s in out])
    return tuple(out)
