"""The emulator's old import path ``tests.fakecord`` is the ``fakecord`` package itself."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import fakecord


def test_tests_fakecord_is_the_fakecord_package() -> None:
    import tests.fakecord

    assert tests.fakecord is fakecord


@pytest.mark.parametrize(
    "name", [m.name for m in pkgutil.walk_packages(fakecord.__path__, prefix="fakecord.")]
)
def test_every_submodule_is_the_same_module_under_the_old_path(name: str) -> None:
    assert importlib.import_module("tests." + name) is importlib.import_module(name)


def test_old_imports_give_the_same_classes() -> None:
    from tests.fakecord import FakeDiscord
    from tests.fakecord.interactions import InvocationError
    from tests.fakecord.validation import Spec

    assert FakeDiscord is fakecord.FakeDiscord
    assert InvocationError is fakecord.InvocationError
    assert Spec is importlib.import_module("fakecord.validation").Spec
    with pytest.raises(InvocationError):
        raise fakecord.InvocationError("raised from the new path, caught by the old name")


@pytest.mark.slow  # starts a fresh Python
def test_old_path_works_first_in_a_fresh_interpreter() -> None:
    """Outside checks import the old path before anything imported ``fakecord``."""
    code = (
        "from tests.fakecord.interactions import InvocationError\n"
        "import tests.fakecord.validation as old\n"
        "import fakecord, fakecord.validation as new\n"
        "assert InvocationError is fakecord.InvocationError\n"
        "assert old is new\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
