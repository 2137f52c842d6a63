"""The house keeps its shape: imports flow one way, modules stay small, and the
engine's modules use each other only through public names."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reliability"
MODULES = sorted(PACKAGE.rglob("*.py"))

# room -> rooms it must not import (directly)
PHYSICS = ("environment", "radiation", "mitigation", "devices", "workload", "laws", "units")
FORBIDDEN = {
    "engine": ("campaign", "system", "runner", "results", *PHYSICS, "rare", "splitting"),
    "campaign": ("system", "engine", "runner", "results", "report", "decision"),
    **{p: ("campaign", "system", "engine", "runner", "results") for p in PHYSICS},
    "system": ("runner", "results", "report", "decision", "verify", "cli"),
    "runner": ("environment", "radiation", "mitigation", "devices", "report", "cli"),
    "results": ("runner", "system", "report", "cli"),
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


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_imports_flow_one_way(path):
    room = _room(path)
    for module, names in _imports(path):
        for target in _targets(module, names):
            rest = target.removeprefix("reliability.")
            for banned in FORBIDDEN.get(room, ()):
                assert not (rest == banned or rest.startswith(f"{banned}.")), (
                    f"{path.name} ({room}) imports {target}"
                )


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_modules_stay_under_600_lines(path):
    assert len(path.read_text().splitlines()) <= 600


ENGINE = sorted((PACKAGE / "engine").glob("*.py"))


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
