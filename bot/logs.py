"""Logging: one line per event; payload-logging libraries never below INFO.

At DEBUG, discord.py logs every gateway payload and request body, and aiosqlite every SQL
statement with its parameters: member ids and story text would reach the log."""

from __future__ import annotations

import logging
import re

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
# Loggers that print raw payloads or SQL parameters at DEBUG.
PAYLOAD_LOGGERS = (
    "discord",
    "discord.gateway",
    "discord.http",
    "discord.webhook",
    "discord.state",
    "aiosqlite",
)


# A Discord id (snowflake): 17 to 20 digits. A DM channel id identifies a member as surely as
# their user id, and discord.py puts request URLs ("POST …/channels/<id>/messages responded
# with 429") and the ids of failed interactions into its log lines.
_SNOWFLAKE = re.compile(r"(?<![0-9])[0-9]{17,20}(?![0-9])")


class RedactIds(logging.Filter):
    """Replaces Discord ids in a library's log lines with "<id>" (the line stays useful)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SNOWFLAKE.sub("<id>", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_REDACT = RedactIds()


def clamp_payload_loggers() -> None:
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)
    # Library loggers exist once their modules are imported (discord is, by now).
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in {"discord", "aiosqlite", "apscheduler", "aiohttp"}:
            logger = logging.getLogger(name)
            if _REDACT not in logger.filters:
                logger.addFilter(_REDACT)


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format=FORMAT, force=True)
    # APScheduler logs every tick at INFO ("Running job ..."); that is noise, not events.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, logging.getLogger().level))
    clamp_payload_loggers()
