"""The emulator stays readable by a stranger: no module over 500 lines, no class over 300."""

from __future__ import annotations

import ast
from pathlib import Path

import fakecord

PACKAGE = Path(fakecord.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_MODULE_LINES = 500
MAX_CLASS_LINES = 300


def test_the_package_has_modules() -> None:
    assert len(MODULES) > 10  # a test that cannot fail is a bug: make sure it looked


def test_no_module_is_over_500_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in MODULES
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_class_is_over_300_lines() -> None:
    long: dict[str, int] = {}
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                size = (node.end_lineno or node.lineno) - start + 1
                if size > MAX_CLASS_LINES:
                    long[f"{path.relative_to(PACKAGE)}:{node.name}"] = size
    assert long == {}
