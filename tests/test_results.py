import re

import netCDF4
import numpy as np
import pytest
import xarray as xr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reliability.results import SchemaError, assert_schema, open_result, write_result
from reliability.runner import run_campaign


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    from reliability.campaign import parse_campaign
    from tests.conftest import campaign_text

    c = parse_campaign(campaign_text(trials=30, seed=4, campaign_extra="block_size = 7"))
    return run_campaign(c, n_workers=0, command="reliability run test.toml")


def test_schema_dims_and_attrs(result):
    assert_schema(result)
    assert list(result["availability"].dims) == ["trial", "scenario"]
    assert list(result["capacity"].dims) == ["trial", "scenario", "time"]
    assert result["capacity"].dtype == np.float32
    assert result.attrs["block_size"] == 7
    assert result.attrs["n_blocks"] == 5
    np.testing.assert_array_equal(result["block"].values, np.arange(30) // 7)
    assert result.attrs["seed_entropy"] == "0x4"
    assert "reliability run test.toml" in result.attrs["history"]
    assert result["trial"].attrs["standard_name"] == "realization"


def test_the_criticality_ranking_is_stored_with_its_levels(result):
    # the unplanned downtime shared out by the class that started each outage
    d = result["outage_downtime_h"].isel(scenario=0)
    share = result["downtime_share"].isel(scenario=0)
    assert result["downtime_share"].dims == ("scenario", "fault_class")
    np.testing.assert_allclose(share.values, d.sum("trial") / d.sum(), rtol=1e-12)
    assert float(share.sum()) == pytest.approx(1.0)
    low, high = result["downtime_share_low"], result["downtime_share_high"]
    assert bool(((low <= result["downtime_share"]) & (result["downtime_share"] <= high)).all())
    assert set(result["fault_level"].values) == {"node"}  # the test tree's unit level


def test_netcdf_round_trip_is_exact(result, tmp_path):
    path = write_result(result, tmp_path / "run" / "result.nc")
    back = open_result(path.parent)
    xr.testing.assert_identical(back, result)
    assert not list(path.parent.glob("*.tmp"))


def test_a_result_changed_after_it_was_written_is_not_trusted(result, tmp_path):
    path = write_result(result, tmp_path / "result.nc")
    assert "content_sha256" not in result.attrs  # sealed on disk, not in memory
    original = path.read_bytes()
    with netCDF4.Dataset(path, "a") as nc:  # one availability value changed
        nc.variables["availability"][3, 0] = 1.0 - nc.variables["availability"][3, 0]
    with pytest.raises(SchemaError, match=r"result\.nc: its content does not match its"):
        open_result(path)
    path.write_bytes(original)
    with netCDF4.Dataset(path, "a") as nc:  # a forged campaign text
        nc.setncattr("config_toml", '[campaign]\nname = "forged"')
    with pytest.raises(SchemaError, match="'config_toml' does not match 'config_toml_sha256'"):
        open_result(path)
    path.write_bytes(original)
    with netCDF4.Dataset(path, "a") as nc:
        nc.delncattr("content_sha256")
    with pytest.raises(SchemaError, match="has no content_sha256 attribute"):
        open_result(path)
    path.write_bytes(original)
    xr.testing.assert_identical(open_result(path), result)


@pytest.mark.parametrize(
    ("attr", "value", "message"),
    [
        ("seed_entropy", "zz", "attribute 'seed_entropy' = 'zz': expected the seed in hex"),
        ("library_versions", "[1, 2]", "attribute 'library_versions' = '[1, 2]': expected a JSON"),
        ("block_size", "abc", "attribute 'block_size' = 'abc': expected a positive integer"),
        ("mission_h", -1.0, "attribute 'mission_h' = -1.0: expected a finite number"),
        ("method", "bogus", "attribute 'method' = 'bogus': expected importance or splitting"),
        ("sweep", "not json", "attribute 'sweep' = 'not json': expected a JSON list"),
    ],
)
def test_bad_attributes_are_named_even_when_resealed(result, tmp_path, attr, value, message):
    from reliability.results.integrity import seal

    path = write_result(result, tmp_path / "result.nc")
    with netCDF4.Dataset(path, "a") as nc:
        nc.setncattr(attr, value)
    seal(path)  # as if whoever changed it also recomputed the checksum
    with pytest.raises(SchemaError, match=rf"result\.nc: {re.escape(message)}"):
        open_result(path)


def test_schema_violations_are_named(result):
    with pytest.raises(SchemaError, match="missing variable 'outages'"):
        assert_schema(result.drop_vars("outages"))
    older = result.drop_vars("spare_stockouts").assign_attrs(creation_library_version="0.1.0")
    with pytest.raises(
        SchemaError, match=r"'spare_stockouts' \(written by orbital-reliability 0\.1"
    ):
        assert_schema(older)
    bad = result.copy()
    bad["availability"] = bad["availability"] + 2
    with pytest.raises(SchemaError, match="outside"):
        assert_schema(bad)


def test_a_result_that_violates_the_schema_is_never_written(result, tmp_path):
    bad = result.copy()
    bad["availability"] = bad["availability"] + 6.5  # availability 7.5
    with pytest.raises(SchemaError, match="outside"):
        write_result(bad, tmp_path / "result.nc")
    assert not list(tmp_path.iterdir())


def test_open_result_refuses_foreign_and_missing_files(tmp_path):
    foreign = tmp_path / "foreign.nc"
    xr.Dataset({"x": ("a", [1, 2])}).to_netcdf(foreign, engine="netcdf4")
    with pytest.raises(SchemaError, match=r"foreign\.nc: missing variable"):
        open_result(foreign)
    junk = tmp_path / "junk.nc"
    junk.write_bytes(b"not netcdf")
    with pytest.raises(SchemaError, match="not a readable NetCDF"):
        open_result(junk)
    with pytest.raises(FileNotFoundError):
        open_result(tmp_path / "none")


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    trials=st.integers(1, 40),
    block=st.integers(1, 16),
    seed=st.integers(0, 2**64),
    step=st.sampled_from(["100 h", "300 h", "1000 h"]),
)
def test_netcdf_round_trip_property(tmp_path, trials, block, seed, step):
    from reliability.campaign import parse_campaign
    from tests.conftest import campaign_text

    c = parse_campaign(
        campaign_text(
            trials=trials, seed=seed, time_step=step, campaign_extra=f"block_size = {block}"
        )
    )
    ds = run_campaign(c, n_workers=0)
    path = write_result(ds, tmp_path / f"r{trials}-{block}.nc")
    xr.testing.assert_identical(open_result(path), ds)
