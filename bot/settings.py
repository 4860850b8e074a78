"""Frozen, validated settings built once in main from YAML defaults, .env and the environment.

Precedence, lowest first: the YAML defaults file, the `.env` file, the process environment.
Nothing here runs at import time; `Settings.load()` is called by the CLI.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from dotenv import dotenv_values

from bot.content import parse_yaml
from bot.features import feature_settings
from bot.fleet.budget import BUDGETS, Budget
from bot.fleet.shards import ShardSpecError, format_shards, parse_shards

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = PROJECT_ROOT / "data"
DEFAULTS_FILE = CONTENT_DIR / "settings.yaml"
KEY_FILE_NAME = "secret.key"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

log = logging.getLogger(__name__)


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the key and what it should be."""


@dataclass(frozen=True, slots=True)
class Settings:
    discord_token: str | None = field(repr=False)
    secret_key: str | None = field(repr=False)
    dev_guild_id: int | None
    data_dir: Path
    db_path: Path
    content_dir: Path
    log_level: str
    tick_seconds: float
    post_rate_per_second: float = 45.0
    # Scheduled work: parallel sends, shards, how long run history is kept, and how long
    # after a crash a run may be re-sent with its nonce (Discord's dedupe lasts a few minutes).
    send_workers: int = 16
    shard_count: int | None = None
    # A fleet process serves these shards only (REBOUND_SHARDS / --shards; None: all of them,
    # one process); its shard leases last this long without renewal (bot/fleet).
    shards: tuple[int, ...] | None = None
    lease_seconds: float = 60.0
    # How a fleet splits the token's rate limit: "shared" (an idle process lends most of its
    # part to the busy ones) or "fixed" (each its shards' part); bot/fleet/budget.py.
    fleet_budget: Budget = "shared"
    run_history_days: int = 30
    nonce_window_seconds: float = 120.0
    # Where Discord is. Only for an HTTP proxy in front of Discord, or a local Discord in tests.
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    guild_ready_timeout: float = 2.0
    # Days a server's data is kept after the bot is removed from it (it may come back).
    guild_retention_days: int = 30
    # REBOUND_SECRET_KEY_FILE when set; None: the default beside the data folder. Read it
    # through `secret_key_file` (bot/secret_key.py says why the key is not in the data folder).
    secret_key_path: Path | None = None
    # The settings features declare (bot/features.py), by key: read them with `feature()`.
    feature_values: Mapping[str, float] = field(default_factory=dict)
    # DATABASE_URL: a PostgreSQL database (postgresql://...) instead of the SQLite file db_path.
    database_url: str | None = field(default=None, repr=False)

    @property
    def store_target(self) -> Path | str:
        """What `Store.open` opens: the PostgreSQL URL when set, else the SQLite file."""
        return self.database_url or self.db_path

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        env_file: Path | None = None,
        defaults_file: Path | None = None,
    ) -> Settings:
        """Build settings; raises SettingsError naming the first bad key."""
        env = dict(os.environ if environ is None else environ)
        env_path = Path(env.get("REBOUND_ENV_FILE", env_file or PROJECT_ROOT / ".env"))
        file_values = {k: v for k, v in dotenv_values(env_path).items() if v is not None}
        merged: dict[str, str] = {**file_values, **env}

        defaults_path = Path(merged.get("REBOUND_CONFIG", defaults_file or DEFAULTS_FILE))
        defaults = _read_defaults(defaults_path)

        def pick(env_key: str, yaml_key: str) -> Any:
            raw = merged.get(env_key)
            if raw is not None and raw.strip() != "":
                return raw.strip()
            return defaults.get(yaml_key)

        token = merged.get("DISCORD_TOKEN", "").strip() or None
        secret = merged.get("REBOUND_SECRET_KEY", "").strip() or None
        if secret is not None and len(secret) < 32:
            raise SettingsError(
                "REBOUND_SECRET_KEY must be at least 32 characters (generate one with "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`), or leave it unset "
                "and Rebound will create one at REBOUND_SECRET_KEY_FILE."
            )

        data_dir = Path(pick("REBOUND_DATA_DIR", "data_dir") or CONTENT_DIR).expanduser()
        if not data_dir.is_absolute():
            data_dir = PROJECT_ROOT / data_dir
        db_raw = pick("REBOUND_DB_PATH", "db_path")
        db_path = Path(db_raw).expanduser() if db_raw else data_dir / "rebound.db"
        if not db_path.is_absolute():
            db_path = data_dir / db_path

        key_raw = pick("REBOUND_SECRET_KEY_FILE", "secret_key_file")
        key_file = Path(key_raw).expanduser() if key_raw else None
        if key_file is not None and not key_file.is_absolute():
            key_file = PROJECT_ROOT / key_file

        level = str(pick("REBOUND_LOG_LEVEL", "log_level") or "INFO").upper()
        if level not in _LOG_LEVELS:
            raise SettingsError(
                f"REBOUND_LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)} (got {level!r})."
            )

        api_base = merged.get("REBOUND_DISCORD_API_BASE", "").strip() or None
        if api_base is not None and not api_base.startswith(("http://", "https://")):
            raise SettingsError(
                f"REBOUND_DISCORD_API_BASE must be an http(s):// URL (got {api_base!r})."
            )
        gateway = merged.get("REBOUND_DISCORD_GATEWAY", "").strip() or None
        if gateway is not None and not gateway.startswith(("ws://", "wss://")):
            raise SettingsError(
                f"REBOUND_DISCORD_GATEWAY must be a ws(s):// URL (got {gateway!r})."
            )

        shard_count = _optional_int(
            "REBOUND_SHARD_COUNT", pick("REBOUND_SHARD_COUNT", "shard_count"), 1, 10_000
        )
        shards = shards_setting(pick("REBOUND_SHARDS", "shards"), shard_count)

        fleet_budget = str(pick("REBOUND_FLEET_BUDGET", "fleet_budget") or "shared").strip()
        budget = next((b for b in BUDGETS if b == fleet_budget.lower()), None)
        if budget is None:
            raise SettingsError(
                "REBOUND_FLEET_BUDGET must be shared (a fleet process with nothing to send "
                "lends its part of Discord's rate limit to the busy ones) or fixed (each paces "
                f"at its shards' part only); got {fleet_budget!r}."
            )

        database_url = merged.get("DATABASE_URL", "").strip() or None
        if database_url is not None and not database_url.startswith(
            ("postgresql://", "postgres://")
        ):
            raise SettingsError(
                "DATABASE_URL must be a postgresql:// URL (leave it empty for the SQLite file "
                f"REBOUND_DB_PATH); got one starting {database_url.split(':', 1)[0]!r}."
            )

        return cls(
            database_url=database_url,
            discord_token=token,
            discord_api_base=api_base.rstrip("/") if api_base else None,
            discord_gateway_url=gateway,
            secret_key=secret,
            secret_key_path=key_file,
            dev_guild_id=_snowflake_or_none("DEV_GUILD_ID", merged.get("DEV_GUILD_ID")),
            data_dir=data_dir,
            db_path=db_path,
            content_dir=CONTENT_DIR,
            log_level=level,
            tick_seconds=_number(
                "REBOUND_TICK_SECONDS", pick("REBOUND_TICK_SECONDS", "tick_seconds"), 1, 300, 20
            ),
            post_rate_per_second=_number(
                "REBOUND_POST_RATE",
                pick("REBOUND_POST_RATE", "post_rate_per_second"),
                1,
                50,
                45,
            ),
            send_workers=int(
                _number(
                    "REBOUND_SEND_WORKERS",
                    pick("REBOUND_SEND_WORKERS", "send_workers"),
                    1,
                    64,
                    16,
                )
            ),
            shard_count=shard_count,
            shards=shards,
            fleet_budget=budget,
            lease_seconds=_number(
                "REBOUND_LEASE_SECONDS",
                pick("REBOUND_LEASE_SECONDS", "lease_seconds"),
                3,
                3600,
                60,
            ),
            run_history_days=int(
                _number(
                    "REBOUND_RUN_HISTORY_DAYS",
                    pick("REBOUND_RUN_HISTORY_DAYS", "run_history_days"),
                    2,
                    3650,
                    30,
                )
            ),
            nonce_window_seconds=_number(
                "REBOUND_NONCE_WINDOW_SECONDS",
                pick("REBOUND_NONCE_WINDOW_SECONDS", "nonce_window_seconds"),
                0,
                600,
                120,
            ),
            guild_ready_timeout=_number(
                "REBOUND_GUILD_READY_TIMEOUT",
                pick("REBOUND_GUILD_READY_TIMEOUT", "guild_ready_timeout"),
                0,
                60,
                2,
            ),
            guild_retention_days=int(
                _number(
                    "REBOUND_GUILD_RETENTION_DAYS",
                    pick("REBOUND_GUILD_RETENTION_DAYS", "guild_retention_days"),
                    0,
                    3650,
                    30,
                )
            ),
            feature_values=_feature_values(pick),
        )

    def feature(self, key: str) -> float:
        """A feature's setting (see `FeatureSetting`): as loaded, else its declared default."""
        if key in self.feature_values:
            return self.feature_values[key]
        spec = next((s for s in feature_settings() if s.key == key), None)
        if spec is None:
            raise KeyError(f"no feature declares the setting {key!r}")
        return spec.default

    @property
    def secret_key_file(self) -> Path:
        """Where the key is read from, or created, when REBOUND_SECRET_KEY is not set."""
        return self.secret_key_path or default_key_file(self.data_dir)

    @property
    def key_file_in_data_dir(self) -> bool:
        """The key file sits inside the data folder: one copy of that folder holds both."""
        return not self.secret_key and self.secret_key_file.is_relative_to(self.data_dir)

    def describe(self) -> dict[str, str]:
        """What `python -m bot check` prints: every setting, secrets shown only as set/unset."""
        return {
            "DISCORD_TOKEN": "set" if self.discord_token else "not set",
            "REBOUND_SECRET_KEY": "set" if self.secret_key else "not set (the key file is used)",
            "REBOUND_SECRET_KEY_FILE": str(self.secret_key_file)
            + (" (not used: REBOUND_SECRET_KEY is set)" if self.secret_key else ""),
            "DEV_GUILD_ID": str(self.dev_guild_id) if self.dev_guild_id else "not set",
            "data_dir": str(self.data_dir),
            "DATABASE_URL": _redacted(self.database_url)
            if self.database_url
            else "not set (SQLite: db_path)",
            "db_path": str(self.db_path)
            + (" (not used: DATABASE_URL is set)" if self.database_url else ""),
            "content_dir": str(self.content_dir),
            "log_level": self.log_level,
            "tick_seconds": f"{self.tick_seconds:g}",
            "post_rate_per_second": f"{self.post_rate_per_second:g}",
            "send_workers": str(self.send_workers),
            "shard_count": str(self.shard_count) if self.shard_count else "automatic",
            "shards": format_shards(self.shards) + " (a fleet process)"
            if self.shards is not None
            else "all (one process)",
            "lease_seconds": f"{self.lease_seconds:g}",
            "fleet_budget": self.fleet_budget,
            "run_history_days": str(self.run_history_days),
            "nonce_window_seconds": f"{self.nonce_window_seconds:g}",
            "guild_retention_days": str(self.guild_retention_days),
            "discord_api_base": self.discord_api_base or "Discord (default)",
            "discord_gateway_url": self.discord_gateway_url or "Discord (default)",
            **{spec.key: f"{self.feature(spec.key):g}" for spec in feature_settings()},
        }


def _feature_values(pick: Callable[[str, str], Any]) -> dict[str, float]:
    """Every setting the features declare, validated like the core's own."""
    values: dict[str, float] = {}
    for spec in feature_settings():
        value = _number(spec.env, pick(spec.env, spec.key), spec.low, spec.high, spec.default)
        values[spec.key] = int(value) if spec.whole else value
    return values


def shards_setting(raw: object, shard_count: int | None) -> tuple[int, ...] | None:
    """REBOUND_SHARDS (or `--shards`): the shards this process serves; needs a shard count."""
    if raw is None or str(raw).strip() == "":
        return None
    if shard_count is None:
        raise SettingsError(
            "REBOUND_SHARDS (--shards) needs REBOUND_SHARD_COUNT (--shard-count): the fleet's "
            "total number of shards, the same in every process."
        )
    try:
        return parse_shards(str(raw), shard_count)
    except ShardSpecError as exc:
        raise SettingsError(str(exc)) from None


def _read_defaults(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        loaded = parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SettingsError(f"The settings file {path} is not valid YAML: {exc}") from exc
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise SettingsError(f"The settings file {path} must be a mapping of key: value.")
    return loaded


def _snowflake_or_none(key: str, raw: str | None) -> int | None:
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip()
    if not text.isdigit() or not 15 <= len(text) <= 20:
        raise SettingsError(
            f"{key} must be a Discord server id: 17 to 20 digits (got {text!r}). "
            "Right-click the server with Developer Mode on and choose Copy Server ID."
        )
    return int(text)


def _number(key: str, raw: object, low: float, high: float, default: float) -> float:
    if raw is None or raw == "":
        return default
    try:
        value = float(str(raw))
    except ValueError:
        raise SettingsError(
            f"{key} must be a number between {low:g} and {high:g} (got {raw!r})."
        ) from None
    if not low <= value <= high:
        raise SettingsError(f"{key} must be between {low:g} and {high:g} (got {value:g}).")
    return value


def _optional_int(key: str, raw: object, low: int, high: int) -> int | None:
    if raw is None or str(raw).strip() in ("", "auto"):
        return None
    value = _number(key, raw, low, high, low)
    if value != int(value):
        raise SettingsError(f"{key} must be a whole number (got {raw!r}).")
    return int(value)


def _redacted(url: str) -> str:
    from bot.db.postgres import redact

    return redact(url)


def default_key_file(data_dir: Path) -> Path:
    """``<data folder>-key/secret.key``: beside the data folder, never inside it
    (``data`` → ``data-key/secret.key``, ``/var/lib/rebound`` → ``/var/lib/rebound-key/…``)."""
    name = data_dir.name or "rebound"
    return data_dir.parent / f"{name}-key" / KEY_FILE_NAME
