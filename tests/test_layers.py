"""kb's layers point one way: every import of a kb module goes to the same layer or a lower one."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# lowest first; ingest (write) and qa (read) share a layer but never import each other
LAYERS = [
    {"kb", "kb.settings", "kb.errors", "kb.types", "kb.layout", "kb.collections", "kb.progress"},
    {"kb.text"},
    {"kb.index"},
    {"kb.ingest", "kb.qa"},
    {"kb.eval", "kb.llamaindex", "kb.history"},
    {"kb.cli", "kb.app", "kb.terminal"},
]
APART = {"kb.ingest": "kb.qa", "kb.qa": "kb.ingest"}  # same layer, never importing each other


def layer(module: str) -> tuple[int, str]:
    """(layer number, the group it belongs to) of a dotted kb module name."""
    for n, groups in enumerate(LAYERS):
        for g in sorted(groups, key=len, reverse=True):
            if module == g or (g != "kb" and module.startswith(g + ".")):
                return n, g
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def kb_imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every kb import in a file, inside functions too."""
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names]
    return [(n, m, names) for n, m, names in out if m == "kb" or m.startswith("kb.")]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


SOURCES = sorted((ROOT / "kb").rglob("*.py"))


def test_the_layer_test_knows_a_wrong_import_when_it_sees_one():
    assert layer("kb.qa.ask") == (3, "kb.qa") and layer("kb.index.store") == (2, "kb.index")
    assert layer("kb.settings") == (0, "kb.settings") and layer("kb.cli") == (5, "kb.cli")
    with pytest.raises(AssertionError):
        layer("kb.somewhere")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_imports_point_down(path):
    me, my_group = layer(module_name(path))
    for line, target, _ in kb_imports(path):
        there, group = layer(target)
        where = f"{path.relative_to(ROOT)}:{line} imports {target}"
        assert there <= me, f"{where}: an upward import"
        assert APART.get(my_group) != group, f"{where}: ingest and qa must not import each other"


def test_no_old_top_level_packages_are_left():
    for name in ("ingest", "qa", "eval"):
        assert not (ROOT / name / "__init__.py").exists(), name


@pytest.mark.parametrize("path", sorted((ROOT / "bench").glob("*.py")), ids=lambda p: p.name)
def test_benchmarks_use_only_public_names(path):
    for line, target, names in kb_imports(path):
        private = [n for n in names if n.startswith("_")]
        assert not private, f"{path.name}:{line} imports {private} from {target}"
