"""`make quick` leaves out the tests marked slow; this keeps the mark honest.

A test that starts a child process (`python -m bot`, or any Python) takes seconds where the rest
take milliseconds, so it must carry `@pytest.mark.slow` (or its module `pytestmark`). The check
reads each test module's source: a test is "spawning" when it calls, directly or through a
function of its own module, something known to start a process.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# Calls that start a child process: the helpers in tests/helpers and benchmarks/harness.py, and
# the standard library's own.
SPAWNING = {
    "run_cli",
    "start_bot",
    "BotProcess",
    "run_trials",
    "create_subprocess_exec",
    "create_subprocess_shell",
    "Popen",
    "check_output",
    "check_call",
}


def _called(node: ast.AST) -> set[str]:
    names: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            func = sub.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute):
                names.add(func.attr)
                if isinstance(func.value, ast.Name) and func.value.id == "subprocess":
                    names.add("Popen")  # subprocess.run and friends
        elif isinstance(sub, ast.Attribute) and sub.attr == "executable":
            names.add("Popen")  # sys.executable: about to start a Python
    return names


def _is_slow_mark(node: ast.expr) -> bool:
    return ast.unparse(node).startswith("pytest.mark.slow")


def unmarked_spawning_tests(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {
        n.name: n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    module_slow = any(
        isinstance(n, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in n.targets)
        and "pytest.mark.slow" in ast.unparse(n.value)
        for n in tree.body
    )
    spawning = set(SPAWNING)
    changed = True
    while changed:  # a local helper that calls a spawning one spawns too
        changed = False
        for name, node in functions.items():
            if name not in spawning and _called(node) & spawning:
                spawning.add(name)
                changed = True
    return [
        name
        for name, node in functions.items()
        if name.startswith("test_")
        and name in spawning
        and not module_slow
        and not any(_is_slow_mark(d) for d in node.decorator_list)
    ]


def test_every_test_that_starts_a_process_is_marked_slow() -> None:
    missing = [
        test
        for path in sorted(TESTS.rglob("test_*.py"))
        if "fakecord" not in path.parts
        for test in (f"{path.relative_to(TESTS)}::{n}" for n in unmarked_spawning_tests(path))
    ]
    assert not missing, "mark these @pytest.mark.slow: " + ", ".join(missing)


def test_the_check_finds_a_test_that_starts_a_process(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "import subprocess, sys\n"
        "def probe():\n    return subprocess.run([sys.executable, '-c', 'pass'])\n"
        "def test_plain():\n    assert True\n"
        "def test_spawns():\n    probe()\n",
        encoding="utf-8",
    )
    assert unmarked_spawning_tests(sample) == ["test_spawns"]
