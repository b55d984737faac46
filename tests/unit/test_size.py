"""House rule: no module in dmoves_site/ over 500 lines, no function over 40."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "dmoves_site"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 40


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def long_functions(path: Path, root: Path = ROOT) -> list[str]:
    """`path:line name (n lines)` for every function longer than the limit."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = (node.end_lineno or node.lineno) - start + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{path.relative_to(root)}:{node.lineno} {node.name} "
                             f"({length} lines)")
    return found


def test_no_module_over_500_lines() -> None:
    counts = {p: len(p.read_text(encoding="utf-8").splitlines()) for p in modules()}
    assert {str(p.relative_to(ROOT)): n for p, n in counts.items()
            if n > MAX_MODULE_LINES} == {}


def test_no_function_over_40_lines() -> None:
    assert [f for p in modules() for f in long_functions(p)] == []


def test_the_rules_see_a_long_function(tmp_path: Path) -> None:
    lines = [f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES)]
    body = "\n".join(lines)
    sample = tmp_path / "sample.py"
    sample.write_text(f"def long():\n{body}\n", encoding="utf-8")
    assert long_functions(sample, tmp_path) == ["sample.py:1 long (41 lines)"]
    short = "\n".join(lines[:-1])
    sample.write_text(f"def short():\n{short}\n", encoding="utf-8")
    assert long_functions(sample, tmp_path) == []

