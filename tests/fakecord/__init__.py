"""The emulator's old import path: ``tests.fakecord`` *is* the top-level ``fakecord`` package.

The emulator moved to ``fakecord/`` (see ``fakecord/README.md``). Code outside this project still
imports ``tests.fakecord`` and its submodules, so each submodule is registered here under its old
name too: ``tests.fakecord.interactions is fakecord.interactions``, and the classes (for
``isinstance`` and ``pytest.raises``) are the same objects. New code imports ``fakecord``.
"""

import importlib
import pkgutil
import sys

import fakecord
from fakecord import *  # noqa: F403 (the whole public API, for type checkers)
from fakecord import __all__ as __all__


def _alias_submodules() -> None:
    for info in pkgutil.walk_packages(fakecord.__path__, prefix="fakecord."):
        sys.modules["tests." + info.name] = importlib.import_module(info.name)
    # The import system re-reads sys.modules after running this file, so "tests.fakecord"
    # becomes the package itself (monkeypatching tests.fakecord.X patches fakecord.X).
    sys.modules[__name__] = fakecord


_alias_submodules()
