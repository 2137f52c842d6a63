"""The house keeps its shape: imports flow one way, modules stay small, and the
engine's modules use each other only through public names."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reliability"
MODULES = sorted(PACKAGE.rglob("*.py"))

# Each room may import only rooms of a lower rank (and itself): campaign → physics →
# system → engine, with the runner and the analysis on top. A new module must be
# ranked here, so the graph keeps one direction as the house grows.
RANKS = {
    "engine": 0,  # knows nothing else: plain numbers in, outputs out
    "units": 0,
    "laws": 0.25,  # failure laws (written with units' durations)
    "devices": 0,
    "stats": 0,
    "machine": 0,
    "environment": 1,
    "solar": 0,  # the solar-event fluence model: plain numbers
    "presets": 0.5,  # the orbit presets' table (uses solar's derived numbers)
    "eclipses": 1.25,  # the node and the eclipses of a resolved environment
    "orbit": 0,
    "shielding": 0,  # dose-depth curves and protons slowed by aluminium
    "envfiles": 1,  # SPENVIS and CREME96 readers (give shielding's curves)
    "power": 0,
    "thermal": 0,
    "links": 1,  # contact geometry (orbit) and the store
    "mitigation": 1,
    "workload": 1,
    "protons": 1.5,  # Bendel cross-sections and the shielded proton rate
    "radiation": 2,
    "campaign": 3,
    "system": 4,
    "rare": 4,
    "splitting": 4,
    "limits": 5,
    "results": 5,
    "selection": 5,
    "runner": 6,
    "describe": 7,
    "describe_orbit": 6.5,  # the environment lines of describe
    "summary": 7,
    "swings": 6,
    "decision": 7,
    "plots": 7,
    "plots_orbit": 7,
    "verify": 7,
    "report": 8,
    "report_search": 8,
    "assumptions": 7,
    "testing": 6,
    "cli": 9,
    "__init__": 10,
    "_console": 10,  # the command's entry point: catches Ctrl-C, then loads cli
}


def _room(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module imported from, names) of every ``reliability`` import in ``path``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reliability"):
            out.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.startswith("reliability")]
    return out


def _targets(module: str, names: list[str]) -> list[str]:
    """The modules an import reaches: ``from reliability.x import y`` may import the
    module ``reliability.x.y``."""
    return [module] + [f"{module}.{n}" for n in names]


def test_every_room_is_ranked():
    rooms = {_room(p) for p in MODULES}
    assert rooms <= set(RANKS), sorted(rooms - set(RANKS))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_imports_flow_one_way(path):
    room = _room(path)
    for module, names in _imports(path):
        for target in _targets(module, names):
            other = target.removeprefix("reliability.").split(".")[0]
            if other == room or other not in RANKS:
                continue  # itself, or a name imported from a room
            assert RANKS[other] < RANKS[room], f"{path.name} ({room}) imports {target}"


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_modules_stay_under_600_lines(path):
    assert len(path.read_text().splitlines()) <= 600


ENGINE = sorted((PACKAGE / "engine").rglob("*.py"))


@pytest.mark.parametrize("path", ENGINE, ids=[p.name for p in ENGINE])
def test_engine_modules_share_only_public_names(path):
    # the engine's modules are private to it (``_clocks``); their functions are used
    # across modules only by public names (``clocks.renew``, never ``clocks._x``)
    tree = ast.parse(path.read_text())
    aliases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("reliability"):
            for a in node.names:
                is_module = (PACKAGE / "engine" / f"{a.name}.py").exists()
                if not is_module:
                    assert not a.name.startswith("_"), (
                        f"{path.name} imports {a.name} from {node.module}"
                    )
                aliases.add(a.asname or a.name)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
        ):
            raise AssertionError(f"{path.name} uses {node.value.id}.{node.attr}")


def test_outside_the_engine_its_private_modules_are_not_imported():
    for path in MODULES:
        if _room(path) == "engine":
            continue
        for module, names in _imports(path):
            for target in _targets(module, names):
                parts = target.split(".")
                if parts[:2] == ["reliability", "engine"] and len(parts) > 2:
                    assert not parts[2].startswith("_"), f"{path} imports {target}"


def test_the_loop_dispatches_every_event_owner():
    from reliability.engine.spec import Owner

    tree = ast.parse((PACKAGE / "engine" / "_loop.py").read_text())
    fn = next(
        n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "on_wall_event"
    )
    named = {
        n.attr
        for n in ast.walk(fn)
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "Owner"
    }
    assert named == {o.name for o in Owner}


def test_names_the_campaign_layer_knows_exist_below_it():
    # metrics, laws and targets a campaign may name are the engine's and results' own
    from reliability.campaign import METRICS, PRECISION_METRICS, TARGET_METRICS
    from reliability.engine.spec import LAW_CODES
    from reliability.laws import LAWS
    from reliability.results import SCHEMA, SPLIT_SCHEMA

    assert tuple(LAW_CODES) == LAWS
    derived = {"point_availability", "reliability", "mttf", "unavailability"}
    assert set(METRICS) <= set(SCHEMA) | set(SPLIT_SCHEMA) | derived
    assert set(TARGET_METRICS) <= set(SCHEMA)
    assert set(PRECISION_METRICS) <= set(SCHEMA) | {"unavailability"}
