"""The engine's compiled-code cache follows every engine source, not just one file."""

from reliability.engine._jit import drop_stale_cache


def test_an_edit_to_any_engine_source_drops_the_cached_code(tmp_path):
    (tmp_path / "_kernel.py").write_text("x = 1\n")
    (tmp_path / "_laws.py").write_text("y = 1\n")
    cache = tmp_path / "__pycache__"
    cache.mkdir()
    (cache / "_kernel.run-1.py311.nbi").write_text("index")
    (cache / "_kernel.run-1.py311.1.nbc").write_text("code")
    assert drop_stale_cache(tmp_path)  # no stamp yet: nothing cached can be trusted
    assert not list(cache.glob("*.nb?"))
    (cache / "_kernel.run-1.py311.nbi").write_text("index")
    assert not drop_stale_cache(tmp_path)  # same sources: keep
    assert (cache / "_kernel.run-1.py311.nbi").exists()
    (tmp_path / "_laws.py").write_text("y = 2\n")  # a callee's file, not the cached one
    assert drop_stale_cache(tmp_path)
    assert not (cache / "_kernel.run-1.py311.nbi").exists()
