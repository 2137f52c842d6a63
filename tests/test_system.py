import numpy as np

from reliability.system import compile_plan, time_edges


def test_tree_is_breadth_first_with_leaf_units(make_campaign):
    c = make_campaign(cluster="sat = { n = 3, k = 2 }\nnode = { n = 4, k = 3 }")
    p = compile_plan(c.base).arrays
    np.testing.assert_array_equal(p.group_parent, [-1, 0, 0, 0])
    np.testing.assert_array_equal(p.group_k, [2, 3, 3, 3])
    np.testing.assert_array_equal(p.group_units, [12, 4, 4, 4])
    np.testing.assert_array_equal(p.unit_group, np.repeat([1, 2, 3], 4))


def test_pools_belong_to_the_deepest_declaring_level(make_campaign):
    c = make_campaign(
        cluster="sat = { n = 2, k = 1, crews = 1 }\nnode = { n = 3, k = 2, spares = { cold = 1 } }"
    )
    p = compile_plan(c.base).arrays
    np.testing.assert_array_equal(p.unit_crew, [0] * 6)  # one crew pool at the root
    np.testing.assert_array_equal(p.crew_qoff, [0, 6])
    np.testing.assert_array_equal(p.unit_spare, [0, 0, 0, 1, 1, 1])  # one per satellite
    np.testing.assert_array_equal(p.sp_capacity, [1, 1])


def test_profiles_become_domains(make_campaign):
    c = make_campaign(
        rest='[profiles.p]\nkind = "steps"\npoints = [[0, 2.0], ["10 h", 1.0]]',
        failures='{ law = "exponential", mean = "10 h", profile = "p" }, '
        '{ law = "exponential", mean = "10 h" }',
    )
    plan = compile_plan(c.base)
    p = plan.arrays
    np.testing.assert_array_equal(p.mode_dom, [1, 0])
    np.testing.assert_array_equal(p.dom_c[p.dom_off[1] : p.dom_off[2]], [0.0, 20.0])
    assert plan.mode_labels == ("node.mode0", "node.mode1")
    # each domain's heap holds one clock per unit
    np.testing.assert_array_equal(p.dom_hoff, [0, 12, 24])


def test_time_edges_end_at_the_mission():
    np.testing.assert_allclose(time_edges(1000, 300), [0, 300, 600, 900, 1000])
    np.testing.assert_allclose(time_edges(900, 300), [0, 300, 600, 900])
