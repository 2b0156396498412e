"""Import boundaries (DESIGN.md): reports -> derivations -> numerics; nothing imports reports."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"numerics": {"derivations", "reports"}, "derivations": {"reports"}}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_back(package):
    bad = []
    for f in (ROOT / package).rglob("*.py"):
        hit = _imports(f) & FORBIDDEN[package]
        if hit:
            bad.append(f"{f.relative_to(ROOT)} imports {sorted(hit)}")
    assert not bad, "\n".join(bad)


def test_numerics_knows_nothing_of_sympy():
    bad = [str(f.relative_to(ROOT)) for f in (ROOT / "numerics").rglob("*.py") if "sympy" in _imports(f)]
    assert not bad
