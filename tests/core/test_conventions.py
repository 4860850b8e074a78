"""House rules that are easy to break without noticing, checked over the source."""

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


def test_logic_modules_do_not_touch_discord_or_the_database() -> None:
    for path in sorted((ROOT / "cogs").glob("*/logic.py")):
        imports = {
            alias.name.split(".")[0]
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in (
                node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
            )
        }
        assert not imports & {"discord", "aiosqlite", "sqlite3", "bot"}, path


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
