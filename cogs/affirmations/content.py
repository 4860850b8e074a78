"""The affirmations' content: the schema of data/affirmations.yaml and data/steps.yaml.

The core loads YAML (`bot.content.read_yaml`); what a valid affirmation or step is belongs here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.content import Content, ContentError, normalize_text, read_yaml, text_field

__all__ = [
    "FEATURES",
    "MAX_AFFIRMATION_CHARS",
    "MIN_PER_STEP",
    "STEP_KEYS",
    "TONES",
    "Affirmation",
    "AffirmationContent",
    "Step",
    "StepAction",
    "load_affirmations",
    "load_content",
    "load_steps",
]

STEP_KEYS: tuple[str, ...] = (
    "affirm_yourself",
    "connect_with_others",
    "ask_for_feedback",
    "widen_the_search",
    "upgrade_your_skills",
    "keep_a_routine",
    "share_your_journey",
)
TONES: tuple[str, ...] = ("gentle", "steady", "bold")
FEATURES: tuple[str, ...] = ("stories", "streaks", "encouragement", "affirmations")
MAX_AFFIRMATION_CHARS = 300
MIN_PER_STEP = 25
MAX_PROMPT_CHARS = 200
MAX_ACTION_CHARS = 150
_ID = re.compile(r"^[a-z]{2}-\d{3}$")


@dataclass(frozen=True, slots=True)
class Affirmation:
    id: str
    step: str
    tone: str
    text: str


@dataclass(frozen=True, slots=True)
class StepAction:
    feature: str
    command: str
    text: str
    fallback: str
    # What a personal DM says instead: its reader already gets DMs and is not in a channel, so
    # no "turn on DMs" and no "tell someone here".
    personal: str


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    weekday: int
    title: str
    prompt: str
    prompts: tuple[str, ...]
    action: StepAction

    def prompt_for_week(self, iso_week: int) -> str:
        """The prompt varies week to week so the same weekday doesn't read the same."""
        options = (self.prompt, *self.prompts)
        return options[iso_week % len(options)]


@dataclass(frozen=True, slots=True)
class AffirmationContent:
    affirmations: tuple[Affirmation, ...]
    steps: tuple[Step, ...]
    by_id: Mapping[str, Affirmation] = field(repr=False)

    @classmethod
    def load(cls, folder: Path) -> AffirmationContent:
        """The bundled affirmations and weekday steps, validated."""
        affirmations = load_affirmations(folder / "affirmations.yaml")
        return cls(
            affirmations=affirmations,
            steps=load_steps(folder / "steps.yaml"),
            by_id=MappingProxyType({a.id: a for a in affirmations}),
        )

    def affirmation(self, item_id: str) -> Affirmation | None:
        return self.by_id.get(item_id)

    def step_for_weekday(self, weekday: int) -> Step:
        for step in self.steps:
            if step.weekday == weekday:
                return step
        raise KeyError(weekday)

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def summary(self) -> dict[str, Any]:
        return {"affirmations": len(self.affirmations), "steps": len(self.steps)}

    @classmethod
    def of(cls, content: Content) -> AffirmationContent:
        """The affirmations' part of the bot's loaded content."""
        return content.part("affirmations", cls)


def load_content(folder: Path) -> AffirmationContent:
    """Called by `bot.content.Content.load` for the affirmations feature."""
    return AffirmationContent.load(folder)


def load_affirmations(path: Path) -> tuple[Affirmation, ...]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("affirmations"), list):
        raise ContentError(f"{path.name}: expected a mapping with a list under 'affirmations'")
    items: list[Affirmation] = []
    seen_ids: set[str] = set()
    seen_texts: dict[str, str] = {}
    for index, entry in enumerate(data["affirmations"]):
        where = f"{path.name}: entry {index + 1}"
        if not isinstance(entry, dict) or set(entry) != {"id", "step", "tone", "text"}:
            raise ContentError(f"{where}: needs exactly the keys id, step, tone, text")
        item_id = entry["id"]
        if not isinstance(item_id, str) or not _ID.match(item_id):
            raise ContentError(f"{where}: id {item_id!r} must look like 'ay-001'")
        where = f"{path.name}: {item_id}"
        if item_id in seen_ids:
            raise ContentError(f"{where}: the id is used twice")
        if entry["step"] not in STEP_KEYS:
            raise ContentError(
                f"{where}: step {entry['step']!r} is not one of {', '.join(STEP_KEYS)}"
            )
        if entry["tone"] not in TONES:
            raise ContentError(f"{where}: tone {entry['tone']!r} is not one of {', '.join(TONES)}")
        text = text_field(entry["text"], where, MAX_AFFIRMATION_CHARS)
        if "@" in text or "<" in text:
            raise ContentError(f"{where}: must not contain '@' or '<' (no mentions in content)")
        norm = normalize_text(text)
        if norm in seen_texts:
            raise ContentError(f"{where}: duplicates {seen_texts[norm]}")
        seen_ids.add(item_id)
        seen_texts[norm] = item_id
        items.append(Affirmation(item_id, entry["step"], entry["tone"], text))
    per_step = Counter(a.step for a in items)
    for key in STEP_KEYS:
        if per_step[key] < MIN_PER_STEP:
            raise ContentError(
                f"{path.name}: step {key} has {per_step[key]} affirmations; at least "
                f"{MIN_PER_STEP} are needed"
            )
    return tuple(items)


def load_steps(path: Path) -> tuple[Step, ...]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ContentError(f"{path.name}: expected a mapping with a list under 'steps'")
    steps: list[Step] = []
    for index, entry in enumerate(data["steps"]):
        where = f"{path.name}: step {index + 1}"
        if not isinstance(entry, dict):
            raise ContentError(f"{where}: must be a mapping")
        key = entry.get("key")
        if key not in STEP_KEYS:
            raise ContentError(f"{where}: key {key!r} is not one of {', '.join(STEP_KEYS)}")
        where = f"{path.name}: {key}"
        weekday = entry.get("weekday")
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ContentError(f"{where}: weekday must be 0 (Monday) to 6 (Sunday)")
        prompts = entry.get("prompts") or []
        if not isinstance(prompts, list):
            raise ContentError(f"{where}: prompts must be a list")
        action = entry.get("action")
        if not isinstance(action, dict):
            raise ContentError(f"{where}: action must be a mapping")
        if action.get("feature") not in FEATURES:
            raise ContentError(f"{where}: action.feature must be one of {', '.join(FEATURES)}")
        action_text = text_field(action.get("text"), f"{where}: action.text", MAX_ACTION_CHARS)
        if action_text.count("{command}") != 1:
            raise ContentError(f"{where}: action.text must contain {{command}} exactly once")
        fallback = text_field(action.get("fallback"), f"{where}: action.fallback", MAX_ACTION_CHARS)
        if "{" in fallback or "}" in fallback:
            raise ContentError(f"{where}: action.fallback must not contain braces")
        personal = text_field(action.get("personal"), f"{where}: action.personal", MAX_ACTION_CHARS)
        if "{" in personal or "}" in personal or " here" in personal.casefold():
            raise ContentError(f"{where}: action.personal must not contain braces or 'here'")
        steps.append(
            Step(
                key=key,
                weekday=weekday,
                title=text_field(entry.get("title"), f"{where}: title", 60),
                prompt=text_field(entry.get("prompt"), f"{where}: prompt", MAX_PROMPT_CHARS),
                prompts=tuple(
                    text_field(p, f"{where}: prompts[{i}]", MAX_PROMPT_CHARS)
                    for i, p in enumerate(prompts)
                ),
                action=StepAction(
                    feature=action["feature"],
                    command=text_field(action.get("command"), f"{where}: action.command", 64),
                    text=action_text,
                    fallback=fallback,
                    personal=personal,
                ),
            )
        )
    if sorted(s.key for s in steps) != sorted(STEP_KEYS):
        raise ContentError(f"{path.name}: every one of the seven steps must appear exactly once")
    if sorted(s.weekday for s in steps) != list(range(7)):
        raise ContentError(f"{path.name}: each weekday 0–6 must have exactly one step")
    return tuple(sorted(steps, key=lambda s: s.weekday))
