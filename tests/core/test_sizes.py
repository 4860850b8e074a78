"""No module in bot/, cogs/ or fakecord/ over 500 lines, no class over 300: past that, a file
or a class usually holds two ideas, and a newcomer cannot read it in one sitting."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "cogs", "fakecord")
MAX_MODULE_LINES = 500
MAX_CLASS_LINES = 300

# What may stay over the limits, with the reason beside each entry. Empty: nothing does. The
# last test below fails when an entry no longer excuses anything, so none is forgotten.
ALLOWED: set[str] = set()


def oversized(path: str, source: str) -> dict[str, int]:
    """Every module or class of one file over its limit, with its length in lines."""
    found: dict[str, int] = {}
    lines = len(source.splitlines())
    if lines > MAX_MODULE_LINES:
        found[path] = lines
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            if length > MAX_CLASS_LINES:
                found[f"{path}::{node.name}"] = length
    return found


def _everything_oversized() -> dict[str, int]:
    found: dict[str, int] = {}
    for package in PACKAGES:
        for file in sorted((ROOT / package).rglob("*.py")):
            found.update(oversized(file.relative_to(ROOT).as_posix(), file.read_text()))
    return found


def test_no_module_or_class_is_over_its_size() -> None:
    too_big = {name: n for name, n in _everything_oversized().items() if name not in ALLOWED}
    assert too_big == {}


def test_the_allow_list_still_excuses_something() -> None:
    stale = ALLOWED - set(_everything_oversized())
    assert stale == set(), f"no longer over the limit: remove {sorted(stale)} from ALLOWED"


def test_a_long_module_and_a_long_class_are_found() -> None:
    body = "\n".join(f"    x{n} = {n}" for n in range(MAX_CLASS_LINES))
    source = f"class Long:\n{body}\n" + "\n" * (MAX_MODULE_LINES - MAX_CLASS_LINES)
    assert oversized("m.py", source) == {
        "m.py": MAX_MODULE_LINES + 1,
        "m.py::Long": MAX_CLASS_LINES + 1,
    }


def test_a_module_and_a_class_at_their_limits_pass() -> None:
    body = "\n".join(f"    x{n} = {n}" for n in range(MAX_CLASS_LINES - 1))
    source = f"class Fits:\n{body}\n" + "\n" * (MAX_MODULE_LINES - MAX_CLASS_LINES)
    assert len(source.splitlines()) == MAX_MODULE_LINES
    assert oversized("m.py", source) == {}
