"""Code conventions that are easy to break without noticing, checked over the source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "bot").rglob("*.py")) + sorted((ROOT / "cogs").rglob("*.py"))


def test_every_now_comes_from_the_clock() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in SOURCES
        if path.name != "clock.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"datetime\.(now|utcnow|today)\(|date\.today\(|time\.time\(", line)
    ]
    assert offenders == []


def test_each_feature_package_only_defines_setup() -> None:
    for init in sorted((ROOT / "cogs").glob("*/__init__.py")):
        tree = ast.parse(init.read_text())
        defined = [
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        ]
        assert defined == ["setup"], init


IMPURE = {"discord", "aiosqlite", "sqlite3", "apscheduler"}


def _imports(path: Path) -> set[str]:
    """Full module names imported by a file (relative imports are not used in bot/ or cogs/)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _module_file(name: str) -> Path | None:
    parts = name.split(".")
    for candidate in (
        ROOT.joinpath(*parts).with_suffix(".py"),
        ROOT.joinpath(*parts, "__init__.py"),
    ):
        if candidate.exists():
            return candidate
    return None


def _is_feature_init(path: Path) -> bool:
    return path.name == "__init__.py" and path.parent.parent == ROOT / "cogs"


def _impure_imports(path: Path, seen: set[Path] | None = None) -> set[str]:
    """Discord or database imports reachable from ``path`` through our own modules."""
    seen = seen if seen is not None else set()
    if path in seen:
        return set()
    seen.add(path)
    found: set[str] = set()
    for name in _imports(path):
        if name.split(".")[0] in IMPURE:
            found.add(f"{path.relative_to(ROOT)} imports {name}")
        elif name.split(".")[0] in {"bot", "cogs"}:
            parts = name.split(".")
            # "from bot.timekeeping import x" needs the package's __init__ and the module.
            for end in range(1, len(parts) + 1):
                target = _module_file(".".join(parts[:end]))
                # A feature package's __init__ only defines setup() (tested above), whose
                # imports run when the bot loads the extension, not when a module is imported.
                if target is not None and not _is_feature_init(target):
                    found |= _impure_imports(target, seen)
    return found


def test_logic_modules_do_not_touch_discord_or_the_database() -> None:
    # Pure core code (bot.timekeeping, bot.text, bot.inputs) is welcome; anything that reaches
    # discord or a database, directly or through our own modules, is not.
    for path in sorted((ROOT / "cogs").glob("*/logic.py")):
        assert _impure_imports(path) == set(), path


def test_the_shared_pure_core_stays_pure() -> None:
    for module in ("bot.timekeeping", "bot.text", "bot.inputs"):
        path = _module_file(module)
        assert path is not None
        assert _impure_imports(path) == set(), module


def test_the_purity_check_sees_an_import_through_our_own_modules(tmp_path: Path) -> None:
    assert _impure_imports(ROOT / "bot" / "notices.py") != set()


def test_log_calls_do_not_format_member_identities() -> None:
    pattern = re.compile(
        r"log(ger)?\.(debug|info|warning|error|exception)\(.*"
        r"(user\.id|user_id|author|member\.id|display_name|\.name\b|\.text\b)"
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in SOURCES
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []
