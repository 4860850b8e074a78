"""The use cases of anonymous stories: share, deliver, moderate, delete.

Discord work (posting, the queue, DMs) goes through a `Publisher`; everything here is about
what is stored and when. A story is stored before the member is told it is coming, and posted
by the scheduler's due-work runner (kind `stories.post`, key = the story's opaque id), so a
restart between the two neither loses nor doubles it.

A story is scheduled only once the member's acknowledgement reached Discord (`submit` stores it
as a draft awaiting it, `confirm` schedules it): a member who saw "interaction failed" never
finds their story posted; their next /share offers it back instead.
"""

from __future__ import annotations

import random

from bot.anonymity import Anonymizer
from bot.clock import Clock
from bot.db import Store
from bot.scheduling import Scheduler
from cogs.stories.content import CrisisContent
from cogs.stories.delivery import DeliverJob, Delivery, Publisher
from cogs.stories.own_stories import OwnStories
from cogs.stories.repository import StoryRepository
from cogs.stories.sharing import Sharing


class StoryService(Sharing, Delivery, OwnStories):
    """The stories feature's use cases, one part per idea: sharing (cogs/stories/sharing.py),
    delivering (delivery.py) and the author's own stories (own_stories.py); what they share
    is in base.py."""

    def __init__(
        self,
        *,
        store: Store,
        clock: Clock,
        scheduler: Scheduler,
        anonymizer: Anonymizer,
        crisis: CrisisContent,
        publisher: Publisher,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.repo = StoryRepository(store)
        self.clock = clock
        self.scheduler = scheduler
        self.anonymizer = anonymizer
        self.crisis = crisis
        self.publisher = publisher
        # Unpredictable delays: a seeded generator would let someone replay the timing.
        self.rng = rng or random.SystemRandom()
        self.job = DeliverJob(self)
