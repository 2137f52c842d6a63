"""Environment files users already have: SPENVIS, OMERE and CREME96 outputs.

* **SPENVIS** data files (``spenvis_*.txt``) are in the UNIRAD/TREND "MF" layout:
  blocks, each opened by a control line ``'*', MF1, ..., MF8`` (MF1 header lines,
  MF3 meta-variables, MF4 annotation lines, MF5 variable definitions, MF6 columns,
  MF7 rows, MF8 blocks to come) and closed by ``'End of Block'`` or
  ``'End of File'``. Read here: the SHIELDOSE-2 dose-depth output (``MOD_ABB``
  ``SH2``/``SD2``: dose in Si against aluminium thickness, a mission total), the
  trapped-proton spectrum (``spenvis_tri.txt``: energy, integral flux) and the
  shielded LET spectrum (``MOD_ABB`` ``LET``, LET in MeV cm^2/g).
* **OMERE** (TRAD) dose-depth files (``.dos``, "TOTAL DOSE from SHIELDOSE"): ``#``
  header lines (the mission's ``Lifetime``, the ``Target material``, the geometry
  such as "Solid sphere DOSE CURVE"), a column header of three ``#`` lines (names
  over two lines, then units: ``mm_Al`` and ``rad``), then one row per thickness:
  trapped electrons, trapped protons, solar protons, other electrons, other
  protons, gamma photons, other gamma photons, total. OMERE publishes no format
  description; this follows its own output (OMERE 5.9.3, one file in the public
  PiLastDigit/Raysim repository, ``tests/fixtures/dose700km.dos``) [V: that file].
* **CREME96** ``.let`` files: a first line, ``%`` comment lines, a parameter line
  ``L1 L2 M ...`` (LET from L1 to L2 MeV cm^2/g, M log-spaced points), then M
  integral fluxes in particles/(m^2 s sr) (Vanderbilt's "CREME96 file formats" page).

Every reader returns plain numbers in the library's units: depth in mm of aluminium,
dose in rad(Si) per year, energy in MeV, LET in MeV cm^2/mg, omnidirectional flux per
cm^2 per s (an isotropic flux per sr times 4 pi). A malformed file raises
``ValueError`` naming the file and the line.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from reliability.shielding import AL_DENSITY_G_CM3, DoseDepth

__all__ = [
    "MAX_BYTES",
    "SpenvisBlock",
    "decode_text",
    "read_creme96_let",
    "read_dose_depth",
    "read_let_spectrum",
    "read_omere_dose",
    "read_proton_spectrum",
    "read_spenvis",
]

DAYS_PER_YEAR = 365.25
#: the largest environment file read (a SPENVIS LET file: a few MiB); refused unread
MAX_BYTES = 20 * 2**20


@dataclass
class SpenvisBlock:
    """One block of a SPENVIS data file."""

    meta: dict[str, list] = field(default_factory=dict)  # name -> values (+ unit)
    annotations: list[str] = field(default_factory=list)
    variables: list[tuple[str, str, int, str]] = field(default_factory=list)  # name, unit, n, text
    data: np.ndarray | None = None
    line: int = 0  # where the block starts (1-based)

    def column(self, name: str) -> int:
        """Index of the first column of variable ``name`` (KeyError if absent)."""
        col = 0
        for vname, _, n, _ in self.variables:
            if vname.strip().lower() == name.lower():
                return col
            col += n
        raise KeyError(name)

    def unit(self, name: str) -> str:
        return next(u for v, u, _, _ in self.variables if v.strip().lower() == name.lower())

    def text(self, name: str) -> str:
        values = self.meta.get(name, [])
        return str(values[0]).strip() if values else ""


def _fields(line: str) -> list:
    """The comma-separated fields of a SPENVIS line: quoted strings or numbers."""
    out: list = []
    for m in re.finditer(r"\s*('(?:[^']*)'|[^,]+?)\s*(?:,|$)", line.strip()):
        tok = m.group(1)
        if tok.startswith("'"):
            out.append(tok[1:-1])
        elif tok:
            out.append(float(tok))
    return out


#: control bytes no text file holds (tab, line feed, form feed and carriage return do)
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")


def decode_text(data: bytes) -> str:
    """An environment file's text, however it was saved: UTF-8 (ASCII included, a
    byte-order mark dropped), else Latin-1, as tools on Windows write it (OMERE's
    degree signs); line ends as ``\\n``. Raises ``UnicodeDecodeError`` at the first
    control byte: such a file is not text."""
    found = _BINARY.search(data)
    if found:
        raise UnicodeDecodeError("ascii", data, found.start(), found.start() + 1, "control byte")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_text(path: Path, text: str | None = None) -> list[str]:
    if text is not None:
        return text.splitlines()
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"{path}: larger than {MAX_BYTES >> 20} MiB, not an environment file")
    try:
        return decode_text(path.read_bytes()).splitlines()
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: not a text file ({err.reason} at byte {err.start})") from None


def read_spenvis(path: str | Path, text: str | None = None) -> list[SpenvisBlock]:
    """The blocks of a SPENVIS data file (``text``: its content, already read)."""
    lines = _read_text(Path(path), text)
    blocks: list[SpenvisBlock] = []
    i = 0

    def bad(j: int, why: str) -> ValueError:
        return ValueError(f"{path}, line {j + 1}: {why}")

    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        try:
            ctl = _fields(lines[i])
        except ValueError:
            raise bad(i, "not a SPENVIS control line ('*', counts...)") from None
        if len(ctl) != 9 or ctl[0] != "*" or not all(isinstance(v, float) for v in ctl[1:]):
            raise bad(i, "expected a SPENVIS control line '*', MF1, ..., MF8")
        n_head, _, n_meta, n_annot, n_var, n_col, n_row, _ = (int(v) for v in ctl[1:])
        if n_head != 1 + 1 + n_meta + n_annot + n_var or min(n_meta, n_annot, n_var) < 0:
            raise bad(i, f"header counts do not add up: {n_head} != 2 + {n_meta} + ...")
        block = SpenvisBlock(line=i + 1)
        j = i + 2  # past the version line
        try:
            for k in range(n_meta):
                f = _fields(lines[j + k])
                block.meta[str(f[0])] = f[2:]
            j += n_meta
            block.annotations = [ln.strip().strip("'") for ln in lines[j : j + n_annot]]
            j += n_annot
            for k in range(n_var):
                f = _fields(lines[j + k])
                block.variables.append((str(f[0]), str(f[1]), int(f[2]), str(f[3])))
            j += n_var
        except (IndexError, ValueError):
            raise bad(j, "malformed header line") from None
        width = sum(n for _, _, n, _ in block.variables)
        if width != n_col:
            raise bad(j - 1, f"the variables span {width} columns, the header says {n_col}")
        rows = []
        while j < len(lines) and not lines[j].strip().startswith("'End of"):
            if lines[j].strip():
                try:
                    rows.append([float(v) for v in lines[j].split(",") if v.strip()])
                except ValueError:
                    raise bad(j, f"not a row of numbers: {lines[j].strip()[:60]!r}") from None
                if len(rows[-1]) != n_col:
                    raise bad(j, f"{len(rows[-1])} values, the header says {n_col} columns")
            j += 1
        if j >= len(lines):
            raise bad(j - 1, "the block has no 'End of Block' or 'End of File' line")
        if n_row >= 0 and len(rows) != n_row:
            raise bad(j, f"{len(rows)} rows, the header says {n_row}")
        data = np.asarray(rows, dtype=float).reshape(len(rows), n_col)
        if not np.isfinite(data).all():
            raise bad(j, "a value is not a finite number")
        block.data = data
        blocks.append(block)
        i = j + 1
        if lines[j].strip().startswith("'End of File"):
            break
    if not blocks:
        raise ValueError(f"{path}: no SPENVIS block found")
    return blocks


def _one_block(path, blocks: list[SpenvisBlock], what: str) -> list[SpenvisBlock]:
    """The block a reader takes: the only one that qualifies, or the SUMMARY of
    several (a file of orbit segments); several and no summary is refused."""
    if len(blocks) <= 1:
        return blocks
    summary = [b for b in blocks if b.text("PLT_TYP").upper() == "SUMMARY"]
    if len(summary) == 1:
        return summary
    lines = ", ".join(str(b.line) for b in blocks)
    raise ValueError(
        f"{path}: {len(blocks)} {what} blocks (at lines {lines}) and no single SUMMARY "
        "block: keep the one to use"
    )


def _has(block: SpenvisBlock, *names: str) -> bool:
    try:
        for name in names:
            block.column(name)
    except KeyError:
        return False
    return True


def _thickness_mm(values: np.ndarray, unit: str, where: str) -> np.ndarray:
    u = unit.strip().lower()
    if u == "mm":
        return values
    if u in ("mils", "mil"):
        return values * 0.0254
    if u in ("g cm!u-2!n", "g/cm2", "g cm-2", "g/cm^2"):
        return values / AL_DENSITY_G_CM3 * 10.0
    raise ValueError(f"{where}: thickness unit {unit!r} (expected mm, mils or g/cm2)")


def _mission_years(block: SpenvisBlock, where: str) -> float:
    dur = block.meta.get("MIS_DUR")
    if not dur or not isinstance(dur[0], float) or dur[0] <= 0:
        raise ValueError(f"{where}: no mission duration (MIS_DUR) to turn fluence into a rate")
    unit = str(dur[1]).strip().lower() if len(dur) > 1 else "days"
    if unit not in ("days", "day", "d"):
        raise ValueError(f"{where}: MIS_DUR in {unit!r}, expected days")
    return dur[0] / DAYS_PER_YEAR


def read_dose_depth(path: str | Path, text: str | None = None) -> DoseDepth:
    """A SPENVIS SHIELDOSE-2 dose-depth file as a :class:`DoseDepth` per year, or an
    OMERE one (a ``.dos`` file, :func:`read_omere_dose`).

    The first dose column is the total; columns named in the legend (``PLT_LEG``) give
    the parts: "Trapped Protons" the proton part, "Electrons" and "Bremsstrahlung"
    the electron part.
    """
    if Path(path).suffix.lower() == ".dos":
        return read_omere_dose(path, text)
    found = [b for b in read_spenvis(path, text) if _has(b, "Thick", "Dose")]
    for b in _one_block(path, found, "dose-depth"):
        c_thk, c_dose = b.column("Thick"), b.column("Dose")
        where = f"{path}, block at line {b.line}"
        # SHIELDOSE-2's own sphere output is half the dose at the centre (SPENVIS
        # prints the whole 4 pi dose); slab geometries are not a dose at a part inside
        header = b.text("PLT_HDR").lower()
        if "sphere" not in header:
            raise ValueError(
                f"{where}: geometry {b.text('PLT_HDR')!r}: expected the dose at the centre "
                "of Al spheres (SHIELDOSE-2's solid sphere, the convention of shielding_mm)"
            )
        half = 0.5 if "1/2" in header else 1.0
        unit = b.unit("Dose").strip().lower()
        scale = {"rad": 1.0, "gy": 100.0, "krad": 1e3}.get(unit)
        if scale is None:
            raise ValueError(f"{where}: dose unit {b.unit('Dose')!r} (expected rad, krad or Gy)")
        years = _mission_years(b, where)
        assert b.data is not None
        depth = _thickness_mm(b.data[:, c_thk], b.unit("Thick"), where)
        scale /= half
        total = b.data[:, c_dose] * scale / years
        legend = [str(v).strip().lower() for v in b.meta.get("PLT_LEG", [])]
        n_dose = next(n for v, _, n, _ in b.variables if v.strip().lower() == "dose")
        order = np.argsort(depth)
        # the dose variable's columns, in the legend's order (the first is the total)
        cols = b.data[order, c_dose : c_dose + n_dose] * scale / years
        named = {name: cols[:, i] for i, name in enumerate(legend[:n_dose])}
        proton = named.get("trapped protons")
        electron = named.get("electrons")
        if electron is not None and "bremsstrahlung" in named:  # the electrons' own
            electron = electron + named["bremsstrahlung"]
        return DoseDepth(
            tuple(map(float, depth[order])),
            tuple(map(float, total[order])),
            None if proton is None else tuple(map(float, proton)),
            Path(path).name,
            None if electron is None else tuple(map(float, electron)),
        )
    raise ValueError(f"{path}: no dose-depth block (variables 'Thick' and 'Dose')")


def _spectrum(x: np.ndarray, phi: np.ndarray, where: str) -> tuple[tuple[float, float], ...]:
    keep = phi > 0
    x, phi = x[keep], phi[keep]
    if len(x) < 2 or np.any(np.diff(x) <= 0) or np.any(np.diff(phi) > 0):
        raise ValueError(
            f"{where}: expected at least two points, x increasing and the integral flux "
            "non-increasing"
        )
    return tuple((float(a), float(b)) for a, b in zip(x, phi, strict=True))


def read_proton_spectrum(
    path: str | Path, text: str | None = None
) -> tuple[tuple[float, float], ...]:
    """The trapped-proton integral spectrum of a SPENVIS ``spenvis_tri.txt`` file:
    ``((MeV, Phi(>E) per cm^2 per s), ...)`` (the proton block: its ``SPECIES`` is
    proton, or an annotation names the trapped-proton model)."""
    found = [
        b
        for b in read_spenvis(path, text)
        if _has(b, "Energy", "IFlux")
        and (
            b.text("SPECIES").lower().startswith("proton")
            or any("proton" in a.lower() for a in b.annotations)
        )
    ]
    for b in _one_block(path, found, "trapped-proton"):
        c_e, c_f = b.column("Energy"), b.column("IFlux")
        where = f"{path}, block at line {b.line}"
        unit = b.unit("IFlux").replace(" ", "").lower()
        if unit not in ("cm!u-2!ns!u-1!n", "cm-2s-1", "/cm2/s"):
            raise ValueError(f"{where}: integral flux in {b.unit('IFlux')!r}, expected cm-2 s-1")
        assert b.data is not None
        return _spectrum(b.data[:, c_e], b.data[:, c_f], where)
    raise ValueError(f"{path}: no trapped-proton block (Energy and IFlux, species proton)")


def read_let_spectrum(
    path: str | Path, text: str | None = None
) -> tuple[tuple[tuple[float, float], ...], float | None]:
    """A LET spectrum ``((MeV cm^2/mg, Phi(>L) per cm^2 per s), ...)`` and the aluminium
    it was computed behind (mm; None where the file does not say), from a SPENVIS LET
    file or a CREME96 ``.let`` file (by its suffix)."""
    if Path(path).suffix.lower() == ".let":
        return read_creme96_let(path, text), None
    found = [b for b in read_spenvis(path, text) if _has(b, "LET", "IFlux")]
    for b in _one_block(path, found, "LET"):
        c_l, c_f = b.column("LET"), b.column("IFlux")
        where = f"{path}, block at line {b.line}"
        let_unit = b.unit("LET").replace(" ", "").lower()
        let_scale = {"mevcm!u2!ng!u-1!n": 1e-3, "mevcm!u2!nmg!u-1!n": 1.0}.get(let_unit)
        if let_scale is None:
            raise ValueError(f"{where}: LET in {b.unit('LET')!r}, expected MeV cm2/g or /mg")
        f_unit = b.unit("IFlux").replace(" ", "").lower()
        if f_unit == "m!u-2!nsr!u-1!ns!u-1!n":
            per_s = 1.0
        elif f_unit == "m!u-2!nsr!u-1!n":  # a mission fluence
            per_s = 1.0 / (_mission_years(b, where) * DAYS_PER_YEAR * 86400.0)
        else:
            raise ValueError(f"{where}: integral flux in {b.unit('IFlux')!r}, expected m-2 sr-1")
        assert b.data is not None
        let = b.data[:, c_l] * let_scale
        phi = b.data[:, c_f] * per_s * 1e-4 * 4.0 * math.pi
        thk = b.meta.get("LET_THK")
        mm = None
        if thk and isinstance(thk[0], float):
            unit = str(thk[1]).strip().lower() if len(thk) > 1 else "cm"
            mm = thk[0] * {"cm": 10.0, "mm": 1.0}.get(unit, float("nan"))
            if not math.isfinite(mm):
                raise ValueError(f"{where}: LET_THK in {unit!r}, expected cm or mm")
        return _spectrum(let, phi, where), mm
    raise ValueError(f"{path}: no LET block (variables LET and IFlux)")


def read_creme96_let(path: str | Path, text: str | None = None) -> tuple[tuple[float, float], ...]:
    """A CREME96 integral LET file: ``((MeV cm^2/mg, Phi(>L) per cm^2 per s), ...)``."""
    lines = _read_text(Path(path), text)
    i = 1  # the first line names the file and the program
    while i < len(lines) and lines[i].strip().startswith("%"):
        i += 1
    if i >= len(lines):
        raise ValueError(f"{path}: no parameter line after the % comments")
    parts = lines[i].split()
    try:
        l1, l2, m = float(parts[0]), float(parts[1]), int(parts[2])
    except (IndexError, ValueError):
        raise ValueError(
            f"{path}, line {i + 1}: expected 'L1 L2 M ...' (LET range, points)"
        ) from None
    if not (0 < l1 < l2 and 2 <= m <= 100_000):
        raise ValueError(f"{path}, line {i + 1}: LET range {l1:g}-{l2:g}, {m} points")
    values: list[float] = []
    for j in range(i + 1, len(lines)):
        try:
            values += [float(v) for v in lines[j].split()]
        except ValueError:
            raise ValueError(f"{path}, line {j + 1}: not a row of numbers") from None
    if len(values) != m:
        raise ValueError(f"{path}: {len(values)} fluxes, the parameter line says {m}")
    let = np.exp(np.linspace(math.log(l1), math.log(l2), m)) * 1e-3
    phi = np.asarray(values) * 1e-4 * 4.0 * math.pi
    if not np.isfinite(phi).all() or (phi < 0).any():
        raise ValueError(f"{path}: a flux is negative or not a number")
    return _spectrum(let, phi, str(path))


#: OMERE's dose columns, as its two header lines name them, in the order it writes them
OMERE_COLUMNS = (
    "thickness al",
    "trapped electrons",
    "trapped protons",
    "solar proton",
    "other electrons",
    "other protons",
    "gamma photons",
    "other_gamma photons",
    "total dose",
)


def _omere_lifetime_years(header: list[str], path) -> float:
    """The mission's length from OMERE's ``# Lifetime : 12 month(s).`` line."""
    for line in header:
        m = re.match(r"#\s*Lifetime\s*:\s*([0-9.eE+-]+)\s*(month|year|day)", line, re.IGNORECASE)
        if m:
            value, unit = float(m.group(1)), m.group(2).lower()
            years = value * {"month": 1 / 12, "year": 1.0, "day": 1 / DAYS_PER_YEAR}[unit]
            if years > 0:
                return years
    raise ValueError(f"{path}: no mission lifetime ('# Lifetime : N month(s)') to make a rate")


def _omere_columns(lines: list[str], path) -> tuple[list[str], int]:
    """OMERE's column header: the '#' line that starts with Thickness and the two '#'
    lines after it (the names' second words, then the units), blank lines between them
    skipped. Returns the units and the index of the line after the header."""
    at = [i for i, ln in enumerate(lines) if ln.lstrip("# \t").lower().startswith("thickness")]
    if not at:
        raise ValueError(f"{path}: no column header ('# Thickness ...') before the rows")
    after = [i for i in range(at[0] + 1, len(lines)) if lines[i].strip()][:2]
    if len(after) < 2 or not all(lines[i].lstrip().startswith("#") for i in after):
        raise ValueError(f"{path}, line {at[0] + 1}: the column header is cut short")
    names1, names2, units = (lines[i].lstrip("# \t").split() for i in (at[0], *after))
    names = [f"{a} {b}".lower() for a, b in zip(names1, names2, strict=False)]
    if tuple(names) != OMERE_COLUMNS or len(units) != len(OMERE_COLUMNS):
        raise ValueError(
            f"{path}, line {at[0] + 1}: columns {names}: expected OMERE's "
            f"{', '.join(OMERE_COLUMNS)}"
        )
    return units, after[1] + 1


def read_omere_dose(path: str | Path, text: str | None = None) -> DoseDepth:
    """An OMERE dose-depth file (``.dos``) as a :class:`DoseDepth` per year.

    The total is OMERE's "Total Dose" (solar protons included, at the confidence the
    file's header gives); the proton part its "Trapped protons", the electron part
    its "Trapped electrons" with their "Gamma photons" (bremsstrahlung). Only the dose
    in silicon at the centre of a solid sphere is read (the convention of
    ``shielding_mm``); a slab or another material is refused.
    """
    lines = _read_text(Path(path), text)
    header = [ln.strip() for ln in lines if ln.strip().startswith("#")]
    joined = " ".join(header).lower()
    if "omere" not in joined or "dose" not in joined:
        raise ValueError(f"{path}: not an OMERE dose file (no 'OMERE ... DOSE' header)")
    if not any(ln.strip() and not ln.lstrip().startswith("#") for ln in lines):
        raise ValueError(f"{path}: no dose rows: the file ends before its table (cut short?)")
    geometry = next((h for h in header if "dose curve" in h.lower()), "")
    if "solid sphere" not in geometry.lower():
        raise ValueError(
            f"{path}: geometry {geometry.lstrip('# ')!r}: expected 'Solid sphere DOSE CURVE', "
            "the dose at the centre of an aluminium sphere (the convention of shielding_mm)"
        )
    material = next((h for h in header if "target material" in h.lower()), "")
    if "silicon" not in material.lower():
        raise ValueError(
            f"{path}: target material {material.split(':')[-1].strip()!r}: expected "
            "Silicon (doses are rad(Si))"
        )
    years = _omere_lifetime_years(header, path)
    units, first = _omere_columns(lines, path)
    scale = {"rad": 1.0, "krad": 1e3, "gy": 100.0}
    if any(u.lower() not in scale for u in units[1:]):
        raise ValueError(f"{path}, line {first}: dose units {units[1:]}: expected rad, krad or Gy")
    rows = []
    for n, line in enumerate(lines[first:], start=first + 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            row = [float(v) for v in line.split()]
        except ValueError:
            row = []
        if len(row) != len(OMERE_COLUMNS):
            raise ValueError(f"{path}, line {n}: expected {len(OMERE_COLUMNS)} numbers: {line!r}")
        if not row[-1] > 0:
            raise ValueError(f"{path}, line {n}: total dose {row[-1]:g}: must be positive")
        rows.append(row)
    if len(rows) < 2:
        raise ValueError(f"{path}: fewer than two dose rows after the header")
    data = np.asarray(rows)
    unit_mm = {"mm_al": "mm", "mils": "mils", "g/cm2": "g/cm2"}.get(units[0].lower(), units[0])
    depth = _thickness_mm(data[:, 0], unit_mm, f"{path}, line {first}")
    doses = data[:, 1:] * np.asarray([scale[u.lower()] for u in units[1:]]) / years
    column = {name: doses[:, i] for i, name in enumerate(OMERE_COLUMNS[1:])}
    solar = next((h for h in header if re.match(r"#\s*solar protons\s*:", h, re.IGNORECASE)), "")
    level = next((h for h in header if "confidence level" in h.lower()), "")
    conf = re.search(r"=\s*([0-9.]+)", level)
    model = solar.split(":", 1)[-1].strip() or "model not named"
    at_level = f" at {float(conf.group(1)):g}% confidence" if conf else ""
    return DoseDepth(
        tuple(map(float, depth)),
        tuple(map(float, column["total dose"])),
        tuple(map(float, column["trapped protons"])),
        f"{Path(path).name}, solar protons {model}{at_level} for {years:.4g} y",
        tuple(map(float, column["trapped electrons"] + column["gamma photons"])),
        tuple(map(float, column["solar proton"])),
        years,
    )
