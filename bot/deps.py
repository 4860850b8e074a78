"""What a feature's service is built from: the store, the clock, the engine, the senders.

A service receives these, never the whole Bot, so what it can touch is plain from its
constructor and a test can hand it exactly what it needs. ``client`` is Discord's cache (a
channel, a server, the bot's own user) and its REST calls; nothing of the Bot's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.anonymity import Anonymizer
from bot.clock import Clock
from bot.creating import Creator
from bot.db import Store
from bot.scheduling import Scheduler
from bot.sending import Sender

if TYPE_CHECKING:
    from bot.app import Bot

__all__ = ["ServiceDeps", "WithDeps"]


@dataclass(frozen=True, slots=True)
class ServiceDeps:
    store: Store
    clock: Clock
    scheduler: Scheduler
    # The paced sender (a post, a DM, a REST call with retries) and the exactly-once creator
    # of threads and forum posts.
    sender: Sender
    creator: Creator
    anonymizer: Anonymizer
    client: discord.Client

    @classmethod
    def of(cls, bot: Bot) -> ServiceDeps:
        return cls(
            store=bot.store,
            clock=bot.clock,
            scheduler=bot.scheduler,
            sender=bot.sender,
            creator=bot.creator,
            anonymizer=bot.anonymizer,
            client=bot,
        )


class WithDeps:
    """A base for what is built from ServiceDeps (a service, a job): each dependency is an
    attribute of its own (``self.store``, ``self.clock`` …), and there is no Bot to reach for."""

    def __init__(self, deps: ServiceDeps) -> None:
        self.store = deps.store
        self.clock = deps.clock
        self.scheduler = deps.scheduler
        self.sender = deps.sender
        self.creator = deps.creator
        self.anonymizer = deps.anonymizer
        self.client = deps.client
