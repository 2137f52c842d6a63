"""Reading SPENVIS and CREME96 environment files (reliability.envfiles)."""

import math
from pathlib import Path

import pytest

from reliability.envfiles import (
    read_creme96_let,
    read_dose_depth,
    read_let_spectrum,
    read_proton_spectrum,
    read_spenvis,
)

SPENVIS_SD2 = Path(__file__).parents[1] / "campaigns" / "data" / "spenvis_sd2_550km_95deg.txt"
# the published file's rows: mm, total, electrons, bremsstrahlung, trapped protons (rad
# over its 1825-day mission)
ROWS = [
    [float(v) for v in line.split(",")]
    for line in SPENVIS_SD2.read_text().splitlines()
    if line.startswith(" ") and len(line.split(",")) == 5
]


def test_dose_depth_reproduces_the_spenvis_table_at_its_depths():
    curve = read_dose_depth(SPENVIS_SD2)
    years = 1825.0 / 365.25
    assert len(ROWS) == 25 and curve.depth_mm == tuple(r[0] for r in ROWS)
    for mm, total, _, _, proton in ROWS:
        assert curve.at(mm) == pytest.approx(total / years, rel=1e-12)
        assert curve.proton_at(mm) == pytest.approx(proton / years, rel=1e-12)


def test_spenvis_blocks_parse_meta_and_variables():
    (block,) = read_spenvis(SPENVIS_SD2)
    assert block.text("MOD_ABB") == "SH2"
    assert block.meta["MIS_DUR"] == [1825.0, "days"]
    assert [v[0] for v in block.variables] == ["Thick", "Dose"]
    assert block.data.shape == (25, 5)


def _spenvis(tmp_path, name, meta, variables, rows):
    lines = [
        (
            f"'*', {2 + len(meta) + len(variables)}, 1, {len(meta)}, 0, {len(variables)}, "
            f"{len(rows[0])}, {len(rows)}, 0"
        ),
        "'SPENVIS test'",
        *meta,
        *variables,
        *(", ".join(f"{v:.4E}" for v in r) for r in rows),
        "'End of File'",
    ]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def test_let_spectrum_of_a_spenvis_fluence_file(tmp_path):
    path = _spenvis(
        tmp_path,
        "let.txt",
        ["'MOD_ABB', -1,'LET'", "'LET_THK',  1,    0.10,'cm'", "'MIS_DUR',  1, 365.25,'days'"],
        [
            "'LET','MeV cm!u2!n g!u-1!n', 1,'LET(Si  )'",
            "'IFlux','m!u-2!n sr!u-1!n', 1,'Integral Fluence'",
        ],
        [[1000.0, 4e10], [10000.0, 4e8], [50000.0, 0.0]],
    )
    spectrum, mm = read_let_spectrum(path)
    assert mm == pytest.approx(1.0)
    per_s = 1e-4 * 4 * math.pi / (365.25 * 86400)
    assert [x for x, _ in spectrum] == pytest.approx([1.0, 10.0])
    assert [y for _, y in spectrum] == pytest.approx([4e10 * per_s, 4e8 * per_s])


def test_proton_spectrum_of_a_spenvis_trapped_file(tmp_path):
    path = _spenvis(
        tmp_path,
        "tri.txt",
        ["'SPECIES', -1,'proton'"],
        [
            "'Energy','MeV', 1,'Energy'",
            "'IFlux','cm!u-2!n s!u-1!n', 1,'Integral Flux'",
            "'DFlux','cm!u-2!n s!u-1!n MeV!u-1!n', 1,'Differential Flux'",
        ],
        [[10.0, 80.0, 2.0], [100.0, 30.0, 0.3]],
    )
    assert read_proton_spectrum(path) == ((10.0, 80.0), (100.0, 30.0))


def test_creme96_let_file(tmp_path):
    path = tmp_path / "quiet.let"
    path.write_text(
        "2 quiet.let 210 1\n% GCR solar min, 100 mils Al\n% LETSPEC\n"
        " 1.0000E+03  1.0000E+05      3      1     92  SILICON  210 1\n"
        " 1.0E+02 1.0E+00\n 1.0E-03\n"
    )
    spectrum = read_creme96_let(path)
    scale = 1e-4 * 4 * math.pi
    assert [x for x, _ in spectrum] == pytest.approx([1.0, 10.0, 100.0])
    assert [y for _, y in spectrum] == pytest.approx([1e2 * scale, 1.0 * scale, 1e-3 * scale])
    assert read_let_spectrum(path) == (spectrum, None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("'*', 3, 1, 0, 0, 1, 1, 1, 0\n'v'\n'X','mm',1,'x'\n1.0\n", "no 'End of Block'"),
        ("'*', 9, 1, 0, 0, 1, 1, 1, 0\n'v'\n", "header counts do not add up"),
        ("'*', 3, 1, 0, 0, 1, 2, 1, 0\n'v'\n'X','mm',2,'x'\n1.0\n'End of File'\n", "1 values"),
        ("hello\n", "SPENVIS control line"),
        ("'*', 3, 1, 0, 0, 1, 1, 2, 0\n'v'\n'X','mm',1,'x'\n1.0\n'End of File'\n", "1 rows"),
    ],
)
def test_malformed_spenvis_files_name_the_line(tmp_path, text, message):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as err:
        read_spenvis(path)
    assert str(path) in str(err.value)


def test_a_file_without_a_dose_block_is_refused(tmp_path):
    path = _spenvis(tmp_path, "x.txt", [], ["'Energy','MeV', 1,'E'"], [[1.0], [2.0]])
    with pytest.raises(ValueError, match="no dose-depth block"):
        read_dose_depth(path)


def test_binary_and_missing_files(tmp_path):
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValueError, match="not a text file"):
        read_spenvis(tmp_path / "b.txt")
    with pytest.raises(ValueError, match="no such file"):
        read_spenvis(tmp_path / "missing.txt")


def _sd2(tmp_path, header, name="d.txt", typ="SUMMARY", blocks=1):
    block = [
        "'*', 7, 1, 3, 0, 2, 2, 2, {rest}",
        "'SPENVIS test'",
        "'MIS_DUR',  1, 365.25,'days'",
        f"'PLT_TYP', -1,'{typ}'",
        f"'PLT_HDR', -1,'{header}'",
        "'Thick','mm',  1,'Aluminium Absorber Thickness'",
        "'Dose','rad',  1,'Dose in Si'",
        " 1.0, 100.0",
        " 2.0, 10.0",
    ]
    lines = []
    for k in range(blocks):
        lines += [block[0].format(rest=blocks - 1 - k), *block[1:]]
        lines.append("'End of Block'" if k < blocks - 1 else "'End of File'")
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def test_dose_geometry_is_read_from_the_header(tmp_path):
    whole = read_dose_depth(_sd2(tmp_path, "4pi Dose at Centre of Al Spheres"))
    half = read_dose_depth(_sd2(tmp_path, "1/2 Dose at Centre of Al Spheres", "h.txt"))
    assert whole.at(1.0) == pytest.approx(100.0) and half.at(1.0) == pytest.approx(200.0)
    with pytest.raises(ValueError, match="expected the dose at the centre of Al spheres"):
        read_dose_depth(_sd2(tmp_path, "Dose in Semi-infinite Al Medium", "s.txt"))


def test_several_blocks_need_a_summary(tmp_path):
    two = _sd2(tmp_path, "4pi Dose at Centre of Al Spheres", typ="SEGMENT", blocks=2)
    with pytest.raises(ValueError, match=r"2 dose-depth blocks \(at lines 1, 11\)"):
        read_dose_depth(two)


def test_variables_wider_than_the_columns_are_refused(tmp_path):
    path = tmp_path / "w.txt"
    path.write_text(
        "'*', 4, 1, 0, 0, 2, 2, 1, 0\n'v'\n'Thick','mm',1,'t'\n'Dose','rad',4,'d'\n"
        " 1.0, 2.0\n'End of File'\n"
    )
    with pytest.raises(ValueError, match="the variables span 5 columns, the header says 2"):
        read_spenvis(path)


OMERE_DOS = Path(__file__).parents[1] / "campaigns" / "data" / "omere_dose_700km_98deg.dos"
# its rows: mm, trapped e-, trapped p+, solar p+, other e-, other p+, gamma, other gamma,
# total (rad over its 12-month lifetime)
OMERE_ROWS = [
    [float(v) for v in line.split()]
    for line in OMERE_DOS.read_text(encoding="latin-1").splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def test_omere_dose_file_reproduces_its_own_table():
    curve = read_dose_depth(OMERE_DOS)  # by its .dos suffix
    assert len(OMERE_ROWS) == 70 and curve.depth_mm == tuple(r[0] for r in OMERE_ROWS)
    for mm, electrons, protons, solar, _, _, gamma, _, total in OMERE_ROWS:
        assert curve.at(mm) == pytest.approx(total, rel=1e-12)  # one year: rad/y as read
        assert curve.proton_at(mm) == pytest.approx(protons, rel=1e-12)
        assert curve.solar_at(mm) == pytest.approx(solar, rel=1e-12)
        assert curve.electrons_scaled(0.0).at(mm) == pytest.approx(total - electrons - gamma)
    # between rows: log-linear in depth, 1.0 to 1.1 mm
    assert curve.at(1.05) == pytest.approx(math.sqrt(1.197e4 * 9.976e3), rel=1e-12)


def _omere(tmp_path, edit):
    text = OMERE_DOS.read_text(encoding="latin-1")
    path = tmp_path / "x.dos"
    edited = edit(text)
    # a byte-order mark says UTF-8; OMERE's own files are Latin-1
    path.write_bytes(edited.encode("utf-8" if edited.startswith("\ufeff") else "latin-1"))
    return path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("Lifetime : 12 month(s)", "Lifetime : 24 month(s)"), None),
        (lambda t: t.replace("Solid sphere", "Slab"), "expected 'Solid sphere DOSE CURVE'"),
        (lambda t: t.replace(": Silicon", ": GaAs"), "target material 'GaAs'"),
        (lambda t: t.replace("# Lifetime", "# Life"), "no mission lifetime"),
        (lambda t: t.replace("Trapped     Solar", "Trapped     Sun  "), "columns"),
        (lambda t: t + "  1.0 2.0\n", "expected 9 numbers"),
        (lambda t: t.replace("OMERE", "OTHER"), "not an OMERE dose file"),
        (lambda t: t[: t.index("# Trapped protons")], "ends before its table"),
        # saved otherwise: CRLF, a byte-order mark, blank lines, a closing comment
        (lambda t: t.replace("\n", "\r\n"), None),
        (lambda t: "\ufeff" + t, None),
        (
            lambda t: t.replace("# Thickness", "\n# Thickness").replace("#  mm_Al", "\n#  mm_Al"),
            None,
        ),
        (lambda t: t.replace("  2.000e+00", "\n  2.000e+00") + "# End of file\n", None),
        (lambda t: t.replace("   2.594e+02 \n", "   0.000e+00 \n"), r"line \d+: total dose 0"),
    ],
)
def test_omere_dose_files_are_checked(tmp_path, edit, message):
    path = _omere(tmp_path, edit)
    if message is None:  # as read (two years: half the dose a year)
        two = "24 month" in path.read_text(encoding="latin-1")
        curve = read_dose_depth(path)
        assert curve.at(10.0) == pytest.approx(5.014e2 / (2 if two else 1), rel=1e-12)
        assert len(curve.depth_mm) == 70
        return
    with pytest.raises(ValueError, match=message) as err:
        read_dose_depth(path)
    assert str(err.value).startswith(str(path))


def test_text_decoding_keeps_what_a_file_says_however_it_was_saved():
    from reliability.envfiles import decode_text

    assert decode_text(b"a\r\nb\rc\n") == "a\nb\nc\n"  # as Python's text mode reads it
    assert decode_text("\ufeffx \u00b0".encode()) == "x \u00b0"  # UTF-8, its mark dropped
    assert decode_text(b"98.000\xb0") == "98.000\u00b0"  # Latin-1
    for binary in (b"ok\x00", b"\x01x", b"x\x1b"):
        with pytest.raises(UnicodeDecodeError):
            decode_text(binary)
