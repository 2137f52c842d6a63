"""Hand-written bad campaign files: each gives its expected one-line message and exit
status 2, never a traceback (issue 8). The first line of each file says what to expect."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from reliability.cli import main

BAD = sorted((Path(__file__).parent / "data" / "bad").glob("*.toml"))


def _expected(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    assert first.startswith("# expect: "), path
    return first.removeprefix("# expect: ")


def test_there_are_at_least_twenty_bad_files():
    assert len(BAD) >= 20


@pytest.mark.parametrize("path", BAD, ids=[p.stem for p in BAD])
def test_bad_file_gives_its_message(path):
    r = CliRunner().invoke(main, ["validate", str(path)])
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"error: {path}: "), lines[0]
    assert _expected(path) in lines[0], (lines[0], _expected(path))
    assert "Traceback" not in r.output
