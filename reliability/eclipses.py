"""The orbit's node and its eclipses over the mission, from a resolved environment.

The beta angle (the Sun's elevation over the orbit plane) follows the node, the
season and the year; it sets how long each orbit spends in the Earth's shadow,
which the power and thermal models take day by day.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

import numpy as np

from reliability.environment import NODE_DEFAULTS, Environment
from reliability.orbit import beta_angle, eclipse_minutes

__all__ = ["DEFAULT_EPOCH", "eclipse_days", "orbit_node"]

#: the mission's first day when the campaign does not say [D, placeholder]
DEFAULT_EPOCH = "2027-01-01"


def orbit_node(env: Environment) -> dict[str, Any]:
    """The geometry of ``env``'s orbit as :func:`reliability.orbit.beta_angle` takes it:
    altitude, inclination, the node (``ltan_h`` or ``raan_deg``, the campaign's or the
    preset's), the first day of the year and the year."""
    if env.ltan_h is not None:
        node = {"ltan_h": env.ltan_h}
    elif env.raan_deg is not None:
        node = {"raan_deg": env.raan_deg}
    else:
        key, value, _, _ = NODE_DEFAULTS[env.orbit]
        node = {key: value}
    day = _dt.date.fromisoformat(env.epoch or DEFAULT_EPOCH)
    return {
        "altitude_km": env.altitude_km,
        "inclination_deg": env.inclination_deg,
        **node,
        "epoch_day": float(day.timetuple().tm_yday),
        "year": day.year,
    }


def eclipse_days(env: Environment, mission_h: float) -> tuple[np.ndarray, np.ndarray]:
    """Beta angle (deg) and eclipse minutes per orbit at the middle of each day of the
    mission (of the part of the last day the mission still covers)."""
    starts = 24.0 * np.arange(math.ceil(mission_h / 24.0))
    t = np.minimum(starts + 12.0, 0.5 * (starts + mission_h))  # a partial last day: its middle
    beta = beta_angle(t, **orbit_node(env))
    return beta, eclipse_minutes(env.altitude_km, beta)
