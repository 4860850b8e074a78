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


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _runtime_nodes(tree: ast.AST, *, top_level_only: bool) -> list[ast.AST]:
    """The nodes that run when the module is imported or used: never a TYPE_CHECKING block;
    with ``top_level_only``, nothing inside a function either (a package's `setup()` imports
    its cog lazily, when the extension loads, not when a sibling module is imported)."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            if top_level_only and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            stack.append(child)
    return found


def _imports(path: Path) -> set[str]:
    """Full module names imported by a file (relative imports are not used in bot/ or cogs/),
    `from a import b` counting `a.b` too when it is a module. A package's `__init__` counts
    only what it imports when imported."""
    names: set[str] = set()
    nodes = _runtime_nodes(ast.parse(path.read_text()), top_level_only=path.name == "__init__.py")
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
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
                if target is not None:
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


# -- features meet only through the core ---------------------------------------------------------

# cogs/setup/wiring.py builds /setup's pages from three features' code; it goes away when each
# feature registers its own pages (until then it is the one exemption).
FEATURE_IMPORT_EXEMPT = {Path("cogs/setup/wiring.py")}


def _imported_modules(path: Path, package: str) -> set[str]:
    """Every module a file imports, in any form: `import a.b`, `from a.b import c` (and `c`
    as a module of `a.b`), relative imports resolved against ``package``, and
    `importlib.import_module("a.b")` / `__import__("a.b")` with a literal name; imports
    inside functions included."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = parts[: len(parts) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (
                    isinstance(node.func, ast.Name)
                    and node.func.id in {"import_module", "__import__"}
                )
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return call.func.id if isinstance(call.func, ast.Name) else None


def _other_features_imported(path: Path, root: Path) -> set[str]:
    """The features (cogs/<name>) a file of another feature imports."""
    relative = path.relative_to(root)
    own = relative.parts[1]
    package = ".".join(relative.with_suffix("").parts[:-1])
    found: set[str] = set()
    for name in _imported_modules(path, package):
        parts = name.split(".")
        if (
            len(parts) >= 2
            and parts[0] == "cogs"
            and parts[1] != own
            and (root / "cogs" / parts[1]).is_dir()
        ):
            found.add(parts[1])
    return found


def _feature_coupling(root: Path) -> list[str]:
    return sorted(
        f"{path.relative_to(root)} imports cogs.{other}"
        for path in (root / "cogs").glob("*/**/*.py")
        if path.relative_to(root) not in FEATURE_IMPORT_EXEMPT
        for other in _other_features_imported(path, root)
    )


def test_no_feature_imports_another_feature() -> None:
    """Features meet through the core (bot/seams.py, bot/privacy.py, bot/guild_settings.py …),
    so each can be read, changed and removed on its own."""
    assert _feature_coupling(ROOT) == []


def test_the_feature_import_check_sees_every_form_of_import(tmp_path: Path) -> None:
    forms = {
        "top.py": "from cogs.b.views import Button\n",
        "plain.py": "import cogs.b.logic\n",
        "aliased.py": "import cogs.b as other\n",
        "package.py": "from cogs import b\n",
        "relative.py": "from ..b import logic\n",
        "lazy.py": "def f():\n    from cogs.b import logic\n    return logic\n",
        "dynamic.py": "import importlib\nimportlib.import_module('cogs.b.jobs')\n",
    }
    for feature in ("a", "b"):
        (tmp_path / "cogs" / feature).mkdir(parents=True)
        (tmp_path / "cogs" / feature / "__init__.py").write_text("")
    for name, source in forms.items():
        (tmp_path / "cogs" / "a" / name).write_text(source)
    (tmp_path / "cogs" / "a" / "own.py").write_text("from cogs.a import logic\nimport bot.seams\n")
    assert _feature_coupling(tmp_path) == sorted(f"cogs/a/{name} imports cogs.b" for name in forms)


# -- one of each shared idea ----------------------------------------------------------------------

# /setup's controls are buttons and selects in one DynamicItem; /setup is rebuilt elsewhere.
DYNAMIC_ITEM_EXEMPT = {Path("bot/ui/views.py"), Path("cogs/setup/views.py")}


def test_buttons_that_survive_a_restart_share_one_base() -> None:
    """Every DynamicItem button is a bot.ui.PersistentButton (custom_id, errors, rebuild)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in SOURCES
        if path.relative_to(ROOT) not in DYNAMIC_ITEM_EXEMPT
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef)
        and any("DynamicItem" in ast.unparse(base) for base in node.bases)
    ]
    assert offenders == []


def test_persistent_buttons_answer_in_on_click() -> None:
    """PersistentButton.callback is what sends a failed click down the friendly path."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in SOURCES
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef)
        and any("PersistentButton" in ast.unparse(base) for base in node.bases)
        and any(
            isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and item.name == "callback"
            for item in node.body
        )
    ]
    assert offenders == []


def _hand_made(value: ast.expr) -> bool:
    """An f-string or concatenation with a ':' in it or starting from a name (a prefix
    constant); a plain form field's id like f"goal-{n}" is not namespaced."""
    if isinstance(value, ast.BinOp):
        return True
    if not isinstance(value, ast.JoinedStr):
        return False
    return ":" in ast.unparse(value) or isinstance(value.values[0], ast.FormattedValue)


def test_namespaced_custom_ids_come_from_the_one_builder() -> None:
    """No hand-made "<prefix>:<action>:…" custom_id: bot.ui.custom_id checks the prefix and
    Discord's length limit."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in SOURCES
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.keyword) and node.arg == "custom_id" and _hand_made(node.value)
    ]
    assert offenders == []


# A feature's tables carry its name; another feature asks it (a reader in bot/seams.py).
TABLE_OWNERS = {
    "accountability": ("accountability_",),
    "affirmations": ("affirmation_",),
    "encouragement": ("encouragement",),
    "stories": ("stories", "story_"),
    "streaks": ("streak_",),
}
_SQL_TABLE = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+([a-z_]+)")


def _other_features_tables(path: Path, own: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        for table in _SQL_TABLE.findall(node.value):
            for feature, prefixes in TABLE_OWNERS.items():
                if feature != own and table.startswith(prefixes):
                    found.add(f"{table} ({feature})")
    return found


def test_no_feature_reads_another_features_tables() -> None:
    offenders = sorted(
        f"{path.relative_to(ROOT)}: {table}"
        for path in (ROOT / "cogs").glob("*/**/*.py")
        if path.relative_to(ROOT) not in FEATURE_IMPORT_EXEMPT
        for table in _other_features_tables(path, path.relative_to(ROOT).parts[1])
    )
    assert offenders == []


# -- services never take the Bot; views reach their handler one way (issue 18, item 4) ----------

# The wiring: the cog, its bases, the package's setup and the feature's declaration. A feature's
# /setup page is built on its service (bot/setup_pages.py), so it is no exception.
BOT_WIRING = {"__init__.py", "cog.py", "cog_base.py", "feature.py"}
BOT_WIRING_PATHS: set[Path] = set()


def _names_the_bot(annotation: ast.expr | None) -> bool:
    if isinstance(annotation, ast.Name):
        return annotation.id == "Bot"
    if isinstance(annotation, ast.Attribute):
        return annotation.attr == "Bot"
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.strip() == "Bot"
    return False


def _takes_or_stores_the_bot(path: Path) -> list[int]:
    """Lines where a parameter is annotated Bot or ``self.bot`` is assigned."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.arg) and _names_the_bot(node.annotation):
            lines.append(node.lineno)
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        lines += [
            target.lineno
            for target in targets
            if isinstance(target, ast.Attribute)
            and target.attr == "bot"
            and isinstance(target.value, ast.Name)
            and target.value.id == "self"
        ]
    return sorted(lines)


def _feature_modules(root: Path) -> list[Path]:
    return sorted((root / "cogs").glob("*/**/*.py"))


def test_only_a_features_wiring_takes_the_bot() -> None:
    """A service, a job, a publisher, a view is built from the narrow ServiceDeps (store, clock,
    scheduler, sender, client, …), never the whole Bot: what it can touch shows in its
    constructor."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _feature_modules(ROOT)
        if path.name not in BOT_WIRING and path.relative_to(ROOT) not in BOT_WIRING_PATHS
        for line in _takes_or_stores_the_bot(path)
    ]
    assert offenders == []


def test_the_bot_check_sees_a_parameter_and_an_attribute(tmp_path: Path) -> None:
    module = tmp_path / "service.py"
    module.write_text(
        "class A:\n"
        "    def __init__(self, bot: Bot) -> None:\n"
        "        self.bot = bot\n"
        "def f(client: 'Bot') -> None: ...\n"
        "def g(bot: app.Bot, interaction: discord.Interaction[Bot]) -> None: ...\n"
    )
    assert _takes_or_stores_the_bot(module) == [2, 3, 4, 5]


def _reaches_around_handler_of(path: Path) -> list[int]:
    """Lines where a view finds its handler other than by bot.ui.handler_of: ``get_cog``,
    an attribute of the interaction's client (its store, …), or a handler given to a view's or
    form's constructor (lost when it is rebuilt from its custom_id after a restart)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and (
            node.attr == "get_cog"
            or (isinstance(node.value, ast.Attribute) and node.value.attr == "client")
        ):
            lines.append(node.lineno)
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            arguments = node.args.args + node.args.kwonlyargs
            lines += [
                arg.lineno
                for arg in arguments
                if "handler" in arg.arg.lower()
                or (arg.annotation is not None and "Handler" in ast.unparse(arg.annotation))
            ]
    return sorted(set(lines))


def test_views_reach_their_handler_one_way() -> None:
    """Every feature's buttons and forms find their cog with bot.ui.handler_of (the why is in
    bot/ui/views.py's docstring)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "cogs").glob("*/views.py"))
        for line in _reaches_around_handler_of(path)
    ]
    assert offenders == []


def test_the_handler_check_sees_each_other_way(tmp_path: Path) -> None:
    module = tmp_path / "views.py"
    module.write_text(
        "cog = interaction.client.get_cog('X')\n"
        "repo = Repo(interaction.client.store)\n"
        "class M:\n"
        "    def __init__(self, week: int, handler: Callable[..., None]) -> None: ...\n"
        "class N:\n"
        "    def __init__(self, on_submit: GoalsHandler) -> None: ...\n"
        "cog = handler_of(interaction, 'X')\n"
    )
    assert _reaches_around_handler_of(module) == [1, 2, 4, 6]
