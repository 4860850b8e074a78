"""Pure rules for debriefs: what one holds, checking what a member typed, the feedback drafts,
the patterns across debriefs and when a reminder is due. No Discord, no database."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.errors import UserFacingError
from bot.text import has_visible_content, strip_bidi_controls
from bot.timekeeping import local_today, resolve_local
from cogs.debrief import messages as m

# Where the interview ended (the form's select), in the order a process usually goes.
STAGES: tuple[tuple[str, str], ...] = (
    ("screen", "Recruiter or phone screen"),
    ("first", "First interview"),
    ("technical", "Technical round"),
    ("take_home", "Take-home or assignment"),
    ("panel", "Panel or onsite"),
    ("final", "Final round"),
    ("other", "Somewhere else"),
)
STAGE_LABELS = dict(STAGES)
# The kinds of question that threw the member (a choice, so patterns count choices).
KINDS: tuple[tuple[str, str], ...] = (
    ("technical", "Technical"),
    ("behavioural", "Behavioural"),
    ("salary", "Salary"),
    ("culture", "Culture fit"),
    ("case", "Case study"),
    ("other", "Something else"),
)
KIND_LABELS = dict(KINDS)
TONES: tuple[tuple[str, str], ...] = (("brief", "Brief"), ("warm", "Warm"), ("formal", "Formal"))
TONE_LABELS = dict(TONES)

ROLE_MAX = 100
COMPANY_MAX = 100
NAME_MAX = 80
ANSWER_MAX = 1000
DATE_MAX = 20
TIME_MAX = 5
# /debrief patterns needs this many debriefs: fewer is not a pattern.
PATTERNS_AFTER = 3
REMIND_DAYS_DEFAULT = 7
REMIND_DAYS_MIN = 3
REMIND_DAYS_MAX = 14
REMIND_TIME_DEFAULT = time(9, 0)
# "No answer" asks once more, this much later; then the reminders stop.
ASK_AGAIN_AFTER = timedelta(days=7)
LAST_ATTEMPT = 2
ANSWER_FIELDS = ("threw", "came_across", "research", "went_well")


@dataclass(frozen=True, slots=True)
class Debrief:
    """What one debrief holds: every field is the member's own, sealed when stored."""

    role: str = ""
    company: str = ""
    stage: str = "other"
    day: str = ""  # ISO date of the interview
    kinds: tuple[str, ...] = ()
    threw: str = ""
    came_across: str = ""
    research: str = ""
    went_well: str = ""
    interviewer: str = ""

    def to_json(self) -> str:
        data = asdict(self)
        data["kinds"] = list(self.kinds)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Debrief:
        data: dict[str, Any] = json.loads(text)
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["kinds"] = tuple(str(k) for k in known.get("kinds", ()))
        return cls(**known)

    @property
    def has_answers(self) -> bool:
        return bool(self.kinds) or any(getattr(self, name) for name in ANSWER_FIELDS)

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage, STAGE_LABELS["other"])

    def title(self) -> str:
        """ "Designer at Acme", "Designer", "Acme" or "An interview", to show in bold: the
        member's words with their markdown escaped, so `**`, `__` or a `[link](...)` in a
        role reads as typed and cannot undo the bold around it."""
        role, company = escape_markdown(self.role), escape_markdown(self.company)
        if role and company:
            return m.TITLE_ROLE_AT.format(role=role, company=company)
        return role or company or m.TITLE_NONE

    def all_text(self) -> str:
        return "\n".join(
            (self.role, self.company, self.threw, self.came_across, self.research, self.went_well)
        )

    def with_answers(self, kinds: Sequence[str], answers: Mapping[str, str]) -> Debrief:
        return replace(self, kinds=tuple(kinds), **{k: answers.get(k, "") for k in ANSWER_FIELDS})


@dataclass(frozen=True, slots=True)
class Entry:
    """A stored debrief, opened for its owner."""

    entry_id: str
    debrief: Debrief
    created_at: datetime
    feedback_asked: bool = False


# -- what a member typed ------------------------------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKDOWN = re.compile(r"([\\*_~|`\[\]<>#])")


def escape_markdown(text: str) -> str:
    """`text` as typed when shown in a message: each markdown character escaped."""
    return _MARKDOWN.sub(r"\\\1", text)


def clean(text: str | None, limit: int, what: str, *, one_line: bool = False) -> str:
    """One field as typed: normalised, without direction or control characters (and, for a
    one-line field, without line breaks), within its limit. Nothing visible (only spaces or
    zero-width marks) is the same as empty. Too long is refused (Discord's form enforces it,
    so only a forged submission gets here)."""
    cleaned = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    cleaned = _CONTROL.sub("", strip_bidi_controls(cleaned))
    cleaned = " ".join(cleaned.split()) if one_line else cleaned.strip()
    if not has_visible_content(cleaned):
        return ""
    if len(cleaned) > limit:
        raise UserFacingError(m.TOO_LONG.format(what=what, limit=limit))
    return cleaned


def parse_day(text: str | None, today: date) -> date:
    """The interview's date: blank is today; YYYY-MM-DD, "today" or "yesterday"; not later
    than today."""
    raw = " ".join((text or "").lower().split())
    if raw in ("", "today"):
        return today
    if raw == "yesterday":
        return today - timedelta(days=1)
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise UserFacingError(m.BAD_DATE.format(value=raw[:DATE_MAX])) from None
    if day > today:
        raise UserFacingError(m.FUTURE_DATE)
    return day


def check_choice(value: str, options: Mapping[str, str]) -> str:
    if value not in options:
        raise UserFacingError(m.BAD_CHOICE)
    return value


def check_kinds(values: Sequence[str]) -> tuple[str, ...]:
    for value in values:
        check_choice(value, KIND_LABELS)
    return tuple(k for k, _ in KINDS if k in values)


def parse_days(value: str | int | None) -> int:
    try:
        days = int(value) if value not in (None, "") else REMIND_DAYS_DEFAULT
    except (TypeError, ValueError):
        raise UserFacingError(m.BAD_DAYS) from None
    if not REMIND_DAYS_MIN <= days <= REMIND_DAYS_MAX:
        raise UserFacingError(m.BAD_DAYS)
    return days


# -- the feedback drafts -------------------------------------------------------------------------


def _plain(text: str) -> str:
    """A member's words inside a code block: no backticks that would end it."""
    return text.replace("`", "'")


def feedback_draft(debrief: Debrief, tone: str, interviewer: str, day_label: str) -> str:
    """A short, polite message asking for feedback, in one of three tones."""
    check_choice(tone, TONE_LABELS)
    name = interviewer.strip()
    values = {
        "greeting": (m.GREETING_NAMED if name else m.GREETING_PLAIN[tone]).format(name=name),
        "role": debrief.role or m.DRAFT_ROLE_NONE,
        "company": f" {m.DRAFT_AT} {debrief.company}" if debrief.company else "",
        "company_name": debrief.company or m.DRAFT_COMPANY_NONE,
        "day": day_label,
    }
    if tone == "formal" and name:
        values["greeting"] = m.GREETING_FORMAL_NAMED.format(name=name)
    return _plain(m.DRAFTS[tone].format(**values))


# -- patterns ------------------------------------------------------------------------------------

_WORD = re.compile(r"(?<![\w'-])[^\W\d_][\w'-]{3,29}(?![\w'-])")


@dataclass(frozen=True, slots=True)
class Patterns:
    debriefs: int
    stages: list[tuple[str, int]] = field(default_factory=list)  # most frequent first
    kinds: list[tuple[str, int]] = field(default_factory=list)  # chosen more than once
    words: list[tuple[str, int]] = field(default_factory=list)  # in "what threw me", 2+ times


def _words(text: str) -> set[str]:
    return {w.lower().strip("'-") for w in _WORD.findall(text)} - m.COMMON_WORDS


def patterns(debriefs: Sequence[Debrief]) -> Patterns:
    """What repeats in a member's own debriefs, by simple counting."""
    stages = Counter(d.stage for d in debriefs)
    kinds = Counter(k for d in debriefs for k in set(d.kinds))
    words = Counter(w for d in debriefs for w in _words(d.threw))
    order = {key: n for n, (key, _) in enumerate(STAGES)}
    return Patterns(
        debriefs=len(debriefs),
        stages=sorted(stages.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99))),
        kinds=[(k, n) for k, n in kinds.most_common() if n > 1],
        words=[(w, n) for w, n in sorted(words.items(), key=lambda kv: (-kv[1], kv[0])) if n > 1][
            :5
        ],
    )


# -- reminders -----------------------------------------------------------------------------------


def reminder_due(now: datetime, zone: str, days: int, at: time) -> datetime:
    """``days`` local days from today, at ``at`` in the member's zone (as UTC)."""
    return resolve_local(local_today(now, zone) + timedelta(days=days), at, zone)


def next_attempt_due(due: datetime, zone: str, at: time) -> datetime:
    """The "once more" reminder: a week after the first, at the same local time."""
    return resolve_local(local_today(due, zone) + ASK_AGAIN_AFTER, at, zone)
