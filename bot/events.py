"""Kept so imports written before the scheduler became a package still work: the durable events
live in bot.scheduling.events."""

from bot.scheduling.events import Event, EventJob, Events, Subscriber, forget_events, prune_events

__all__ = ["Event", "EventJob", "Events", "Subscriber", "forget_events", "prune_events"]
