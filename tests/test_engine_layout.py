"""The engine's contract: every packed field is sized as declared, and drift fails."""

import numpy as np
import pytest

from reliability.campaign import parse_campaign
from reliability.engine import spec
from reliability.engine.plan import dimensions, new_state, pack_plan
from reliability.system import compile_plan

TEXT = """
[campaign]
name = "x"
mission = "1 y"
trials = 1
seed = 1
[units.acc]
failures = [{ law = "weibull", shape = 2, mean = "9 y" }]
[cluster]
sat = { n = 4, k = 3, crews = 1 }
acc = { n = 8, k = 6, spares = { warm = 2, dormant_mttf = "10 y", swap = "1 d" } }
"""


def test_slots_follow_the_declarations():
    for enum, fields in (
        (spec.P, spec.PLAN_INT),
        (spec.PF, spec.PLAN_FLOAT),
        (spec.S, spec.STATE_INT),
        (spec.SF, spec.STATE_FLOAT),
        (spec.SU, spec.STATE_UINT),
        (spec.IParam, spec.PARAMS_INT),
        (spec.FParam, spec.PARAMS_FLOAT),
        (spec.Event, spec.EVENTS),
        (spec.Out, spec.OUTPUTS),
    ):
        assert [m.name.lower() for m in enum] == [f.name for f in fields]
        assert [int(m) for m in enum] == list(range(len(fields)))


def test_no_measured_field_is_the_last_of_its_array():
    # the kernel measures a field by the offset of the next one (_access.count)
    import re
    from pathlib import Path

    engine = Path(spec.__file__).parent.parent
    counted = set()
    for src in engine.glob("_*.py"):
        counted |= set(re.findall(r"count\(\w+, (P|PF|S|SF|SU)\.(\w+)\)", src.read_text()))
    assert counted  # the pattern still finds them
    tables = {
        "P": spec.PLAN_INT,
        "PF": spec.PLAN_FLOAT,
        "S": spec.STATE_INT,
        "SF": spec.STATE_FLOAT,
        "SU": spec.STATE_UINT,
    }
    for table, name in counted:
        assert tables[table][-1].name != name.lower(), name


def test_leading_fields_sit_at_their_constant_offsets():
    plan = compile_plan(parse_campaign(TEXT).base).arrays
    pi, pf = pack_plan(plan)
    si, sf, su = new_state(plan)
    assert pi[spec.P.IPARAMS] == spec.IPARAMS0
    assert pi[spec.P.WALL_OFF] == spec.WALL_OFF0 and pi[spec.P.OUT_OFF] == spec.OUT_OFF0
    assert pf[spec.PF.FPARAMS] == spec.FPARAMS0
    assert si[spec.S.IVARS] == spec.IVARS0 and sf[spec.SF.FVARS] == spec.FVARS0
    assert su[spec.SU.KEY] == spec.KEY0 and su[spec.SU.MISC_CTR] == spec.MISC_CTR0


def test_every_event_kind_has_an_owner_and_a_count():
    owners = {o.name.lower() for o in spec.Owner}
    for e in spec.EVENTS:
        assert e.owner in owners
        assert spec.EVENT_OWNER[spec.Event[e.name.upper()]] == spec.Owner[e.owner.upper()]


def test_random_stream_purposes_are_distinct():
    values = [int(s) for s in spec.Stream]
    assert len(values) == len(set(values))


def test_packed_fields_have_their_declared_sizes():
    plan = compile_plan(parse_campaign(TEXT).base).arrays
    dims = dimensions(plan)
    dims.update(ivars=len(spec.IVARS), fvars=len(spec.FVARS), counters=len(spec.COUNTERS))
    packed = zip(
        (*pack_plan(plan), *new_state(plan)),
        (spec.PLAN_INT, spec.PLAN_FLOAT, spec.STATE_INT, spec.STATE_FLOAT, spec.STATE_UINT),
        strict=True,
    )
    for array, fields in packed:
        starts = array[: len(fields)].astype(int)
        ends = [*starts[1:], len(array)]
        for f, start, end in zip(fields, starts, ends, strict=True):
            assert end - start == dims[f.size] + f.extra, f.name


def test_a_misshapen_field_is_refused_by_name():
    plan = compile_plan(parse_campaign(TEXT).base).arrays
    bad = plan._replace(mode_p1=np.zeros(plan.n_modes + 1))
    with pytest.raises(ValueError, match="'mode_p1' has 2 entries"):
        pack_plan(bad)


def test_a_plan_without_a_required_field_is_refused():
    plan = compile_plan(parse_campaign(TEXT).base).arrays
    fields = plan._asdict()
    del fields["group_k"]
    with pytest.raises(TypeError, match="group_k"):
        type(plan)(**fields)


def test_an_identity_of_no_kind_is_an_error_not_a_fallthrough():
    from reliability.engine import _events

    plan = compile_plan(parse_campaign(TEXT).base).arrays
    pi, _ = pack_plan(plan)
    wall = dimensions(plan)["wall"]
    assert _events.kind_of(pi, 0) == (spec.Event.RESTORE, 0)
    pm = spec.Event.UNIT_PM  # one event per unit: unit 5's is the 6th of its kind
    first_pm = int(pi[pi[spec.P.WALL_OFF] + pm])
    assert _events.kind_of(pi, first_pm + 5) == (pm, 5)
    with pytest.raises(RuntimeError, match="no declared kind"):
        _events.kind_of(pi, wall)
