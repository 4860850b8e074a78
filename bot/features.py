"""The registry each feature fills once.

A feature is a package under `cogs/` whose `feature.py` declares `FEATURE = Feature(...)`: its
custom_id prefix, the permissions it needs and why, its /about and privacy lines, its /help file,
its /setup pages, its settings, its jobs and its privacy provider. The core reads every one of
these from here and names no feature itself, so adding a feature touches its own folder only.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.setup_pages import SetupPart

# The package features live in: every sub-package is one feature.
FEATURES_PACKAGE = "cogs"


class FeatureError(ValueError):
    """A feature's declaration is missing a part or contradicts another feature's."""


@dataclass(frozen=True, slots=True)
class Permission:
    """A Discord permission flag (`discord.Permissions` attribute) and why the feature needs it."""

    flag: str
    why: str


@dataclass(frozen=True, slots=True)
class FeatureSetting:
    """A number the person running the bot may change: YAML key `key` in the settings file,
    environment variable REBOUND_<KEY>. Validated when the settings are loaded."""

    key: str
    low: float
    high: float
    default: float
    whole: bool = True

    @property
    def env(self) -> str:
        return f"REBOUND_{self.key.upper()}"


@dataclass(frozen=True, slots=True)
class Feature:
    name: str  # the package's name under cogs/
    order: int  # where it is listed in /about, /help and /setup (lower first)
    # custom_ids of this feature's buttons, selects and forms start with "<prefix>:".
    prefix: str | None = None
    prefix_for: str = ""  # what the prefix is for, in a few words
    permissions: tuple[Permission, ...] = ()
    # /about: what the feature adds (None: nothing to say, e.g. /help itself) ...
    blurb: str | None = None
    # ... and what it stores about a member, one bullet line ("• **What:** why").
    privacy_line: str | None = None
    # The name its privacy provider registers under (`PersonalData.feature`), and how a
    # member is told about its tables' rows: table -> (singular, plural).
    privacy_provider: str | None = None
    row_names: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # It keeps keyed pseudonyms: /about then says what the operator's key could reveal.
    keyed_pseudonyms: bool = False
    # Its /help entries: a YAML file in the feature's folder (see cogs/help/content.py).
    help_file: str | None = "help.yaml"
    # Its /setup pages, built on its own service: its cog calls
    # ``bot.setup_pages.add(FEATURE, service)`` in cog_load, which calls this with that service.
    setup: Callable[[Any], SetupPart] | None = None
    # The job kinds it registers with the scheduler.
    jobs: tuple[str, ...] = ()
    settings: tuple[FeatureSetting, ...] = ()
    # Set by discovery: the feature's folder (its help file and migrations live there).
    folder: Path = field(default=Path(), compare=False)

    @property
    def extension(self) -> str:
        return f"{FEATURES_PACKAGE}.{self.name}"

    @property
    def help_path(self) -> Path | None:
        return self.folder / self.help_file if self.help_file else None

    @property
    def migrations(self) -> Path:
        return self.folder / "migrations"


_cache: dict[tuple[str, ...], tuple[Feature, ...]] = {}


def _package_paths() -> tuple[str, ...]:
    package = importlib.import_module(FEATURES_PACKAGE)
    return tuple(package.__path__)


def discover() -> tuple[Feature, ...]:
    """Every feature package's declaration, in listing order. A package without a `feature.py`
    declaring `FEATURE`, or one whose declaration clashes with another's, is an error."""
    paths = _package_paths()
    cached = _cache.get(paths)
    if cached is not None:
        return cached
    found: list[Feature] = []
    for module in pkgutil.iter_modules(list(paths)):
        if not module.ispkg:
            continue
        declared = importlib.import_module(f"{FEATURES_PACKAGE}.{module.name}.feature")
        feature = getattr(declared, "FEATURE", None)
        if not isinstance(feature, Feature):
            raise FeatureError(f"{declared.__name__} must declare FEATURE = Feature(...)")
        if feature.name != module.name:
            raise FeatureError(f"{declared.__name__} declares the name {feature.name!r}")
        folder = Path(declared.__file__ or "").parent
        found.append(_with_folder(feature, folder))
    result = tuple(sorted(found, key=lambda f: (f.order, f.name)))
    check_declarations(result)
    _cache[paths] = result
    return result


def _with_folder(feature: Feature, folder: Path) -> Feature:
    return replace(feature, folder=folder)


def check_declarations(features: Sequence[Feature]) -> None:
    """A prefix is one word and says what it is for; two features may not share a prefix, a
    job kind or a setting."""
    for feature in features:
        if feature.prefix is not None and (":" in feature.prefix or not feature.prefix_for):
            raise FeatureError(f"{feature.name}: a prefix is one word, with what it is for")
    for what, values in (
        ("custom_id prefix", [f.prefix for f in features if f.prefix]),
        ("job kind", [kind for f in features for kind in f.jobs]),
        ("setting", [s.key for f in features for s in f.settings]),
    ):
        seen: set[str] = set()
        for value in values:
            if value in seen:
                raise FeatureError(f"two features declare the {what} {value!r}")
            seen.add(value)


def by_name(name: str) -> Feature | None:
    return next((f for f in discover() if f.name == name), None)


def among(names: Iterable[str]) -> list[Feature]:
    """The registered features among these package names (or extension names), listing order."""
    wanted = {name.removeprefix(f"{FEATURES_PACKAGE}.") for name in names}
    return [f for f in discover() if f.name in wanted]


def prefixes() -> dict[str, str]:
    """custom_id prefix -> what it is for, for every registered feature."""
    return {f.prefix: f.prefix_for for f in discover() if f.prefix}


def row_names() -> dict[str, tuple[str, str]]:
    """table -> (singular, plural) a member reads, as the features declare them."""
    return {table: names for f in discover() for table, names in f.row_names.items()}


def feature_settings() -> tuple[FeatureSetting, ...]:
    return tuple(s for f in discover() for s in f.settings)


class Prefixes(Mapping[str, str]):
    """A live view of the registered custom_id prefixes (features may be discovered late)."""

    def __getitem__(self, key: str) -> str:
        return prefixes()[key]

    def __iter__(self) -> Any:
        return iter(prefixes())

    def __len__(self) -> int:
        return len(prefixes())
