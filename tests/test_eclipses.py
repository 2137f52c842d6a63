"""The orbit's node and its daily eclipses (reliability.eclipses)."""

import numpy as np

from reliability.eclipses import DEFAULT_EPOCH, eclipse_days, orbit_node
from reliability.environment import preset


def test_the_node_and_the_first_day_set_the_eclipses(make_campaign):
    dawn_dusk = make_campaign(environment='[environment]\norbit = "sso-650"').base.environment
    assert orbit_node(dawn_dusk)["ltan_h"] == 18.0  # the preset's node
    noon = make_campaign(
        environment='[environment]\norbit = "sso-650"\nltan = 12.0\nepoch = 2028-06-21'
    ).base.environment
    assert (noon.ltan_h, noon.epoch) == (12.0, "2028-06-21")
    assert orbit_node(noon)["epoch_day"] == 173.0  # 2028 is a leap year
    _, dd = eclipse_days(dawn_dusk, 8760.0)
    beta, nn = eclipse_days(noon, 8760.0)
    # a noon-midnight orbit sees the Sun near its plane: an eclipse every orbit
    assert (nn > 0).all() and np.abs(beta).max() < 35 and nn.mean() > 3 * dd.mean()


def test_a_partial_last_day_counts_its_middle_and_the_default_first_day():
    env = preset("sso-650")
    beta, shade = eclipse_days(env, 36.0)  # a day and a half: two days, the second half
    assert beta.shape == shade.shape == (2,)
    assert orbit_node(env)["year"] == int(DEFAULT_EPOCH[:4])
