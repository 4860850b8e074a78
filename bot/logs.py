"""Logging: one line per event; payload-logging libraries never below INFO.

At DEBUG, discord.py logs every gateway payload and request body, and aiosqlite every SQL
statement with its parameters: member ids and story text would reach the log."""

from __future__ import annotations

import logging

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


def clamp_payload_loggers() -> None:
    for name in PAYLOAD_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format=FORMAT, force=True)
    # APScheduler logs every tick at INFO ("Running job ..."); that is noise, not events.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, logging.getLogger().level))
    clamp_payload_loggers()
