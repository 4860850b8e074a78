"""Fuzz every command the bot syncs, and every modal it answers with, through the emulator.

The cases come from the command tree itself (what the bot synced to the emulator, the same
payload `python -m bot commands` prints), so a command another feature adds is fuzzed as soon
as it is merged. Each case is one leaf command with hypothesis-generated values for all of its
options (text built to hurt: mentions, @everyone, markdown, RTL, zero-width, limits), invoked by
the server owner or by a plain member; when the bot answers with a modal, its fields are
submitted with generated text as well.

Checked over the whole run:

- unhandled errors: any ERROR log record (the tree's "Command /x failed", discord.py's
  "Ignoring exception", a view's or modal's on_error) and any interaction left unanswered;
- mentions: no message the bot sent can ping a user, @everyone/@here, or a role other than one
  a command was given as a role option (what an admin configures);
- rejected bodies: every request the emulator answered 400 Invalid Form Body (or to an unknown
  route).

Used by tests/faults/test_fuzz.py (a few hundred inputs) and `benchmarks.faults fuzz` (≥10,000).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fakecord import (
    FakeChannel,
    FakeDiscord,
    FakeMember,
    FakeRole,
    InteractionResult,
    InvocationError,
)
from fakecord.util import JSON
from tests.harness import running_bot

STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = (
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
)
BATCH = 8


@dataclass
class FuzzWorld:
    channels: list[FakeChannel]
    roles: list[FakeRole]
    owner: FakeMember
    members: list[FakeMember]


@dataclass(frozen=True)
class Leaf:
    """A command a member can run: "name", "name sub" or "name group sub", and its options."""

    path: str
    options: tuple[JSON, ...]


@dataclass
class Case:
    leaf: Leaf
    values: dict[str, Any]
    as_owner: bool
    modal_text: list[str]

    def __repr__(self) -> str:
        return f"/{self.leaf.path} {self.values!r} owner={self.as_owner} modal={self.modal_text!r}"


@dataclass
class FuzzReport:
    inputs: int = 0
    modals: int = 0
    errors: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    ping_risks: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    commands: set[str] = field(default_factory=set)
    invocation_errors: int = 0

    @property
    def unhandled(self) -> int:
        return len(self.errors) + len(self.unanswered)


def leaves(commands: list[JSON]) -> list[Leaf]:
    """Every runnable slash command (type 1) in a synced command payload."""
    out: list[Leaf] = []

    def walk(prefix: str, options: list[JSON]) -> None:
        subs = [o for o in options if o.get("type") in (1, 2)]
        if not subs:
            out.append(Leaf(prefix, tuple(options)))
            return
        for sub in subs:
            walk(f"{prefix} {sub['name']}", sub.get("options") or [])

    for command in commands:
        if command.get("type", 1) == 1:
            walk(command["name"], command.get("options") or [])
    return sorted(out, key=lambda leaf: leaf.path)


def nasty_texts(world: FuzzWorld) -> list[str]:
    member = world.members[0]
    role = world.roles[0]
    channel = world.channels[0]
    return [
        "@everyone",
        "@here",
        "@everyone please read",
        f"<@{member.user.id}>",
        f"<@!{member.user.id}> hi",
        f"<@&{role.id}>",
        f"hey <@&{role.id}> and @here",
        f"<#{channel.id}>",
        "</about:1>",
        "@\u200beveryone",
        "**bold** __under__ ~~strike~~ ||spoiler|| `code`",
        "```py\nprint('x')\n```",
        "[click](https://example.com)",
        "https://discord.gg/abcdef",
        "\u202eevil rtl",
        "\u200b",
        "   ",
        "\n\n\n",
        "😀" * 50,
        "Zürich, 東京, القاهرة",
        "Europe/Berlin",
        "08:00",
        "25:99",
        "mon,wed,fri",
        "-1",
        "0",
        "9" * 30,
        "a" * 300,
        "x" * 2000,
        "'; DROP TABLE meta; --",
        "%s %d {0} {name}",
        "\\",
        "\t\r\n",
    ]


def _text(world: FuzzWorld, lo: int, hi: int) -> st.SearchStrategy[str]:
    hi = max(hi, lo, 1)
    base = st.one_of(
        st.sampled_from(nasty_texts(world)),
        st.text(max_size=min(hi, 120)),
        st.lists(st.sampled_from(nasty_texts(world)), min_size=1, max_size=4).map(" ".join),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=lo, max_size=min(hi, 6000)),
    )
    return base.map(lambda s: _fit(s, lo, hi))


def _fit(text: str, lo: int, hi: int) -> str:
    text = text[:hi]
    if len(text) < lo:
        text += "x" * (lo - len(text))
    return text


def option_strategy(world: FuzzWorld, opt: JSON) -> st.SearchStrategy[Any]:
    otype = opt["type"]
    if opt.get("choices"):
        return st.sampled_from([c["value"] for c in opt["choices"]])
    if otype == STRING:
        lo = int(opt.get("min_length") or 0)
        hi = int(opt.get("max_length") or 6000)
        return _text(world, lo, hi)
    if otype == INTEGER:
        lo = int(opt.get("min_value", -(2**53) + 1))
        hi = int(opt.get("max_value", 2**53 - 1))
        edges = [v for v in (lo, hi, 0, 1, -1, 7, 100) if lo <= v <= hi]
        return st.one_of(st.sampled_from(edges), st.integers(lo, hi))
    if otype == NUMBER:
        return st.floats(
            min_value=opt.get("min_value", -1e9),
            max_value=opt.get("max_value", 1e9),
            allow_nan=False,
            allow_infinity=False,
        )
    if otype == BOOLEAN:
        return st.booleans()
    if otype == USER:
        return st.sampled_from([world.owner, *world.members])
    if otype == ROLE:
        return st.sampled_from(world.roles)
    if otype == MENTIONABLE:
        return st.sampled_from([*world.roles, *world.members])
    if otype == CHANNEL:
        types = opt.get("channel_types")
        fitting = [c for c in world.channels if not types or c.type in types]
        if not fitting:
            return st.nothing()
        return st.sampled_from(fitting)
    if otype == ATTACHMENT:
        return st.tuples(
            st.sampled_from(["note.txt", "a.png", "x"]),
            st.binary(max_size=64),
            st.just("text/plain"),
        )
    return st.nothing()


def case_strategy(world: FuzzWorld, leaf: Leaf) -> st.SearchStrategy[Case]:
    @st.composite
    def build(draw: st.DrawFn) -> Case:
        values: dict[str, Any] = {}
        for opt in leaf.options:
            if not opt.get("required") and draw(st.booleans()):
                continue
            values[opt["name"]] = draw(option_strategy(world, opt))
        as_owner = draw(st.integers(0, 3)) > 0
        modal = draw(st.lists(_text(world, 0, 4000), min_size=5, max_size=5))
        return Case(leaf, values, as_owner, modal)

    return build()


def _draw_cases(world: FuzzWorld, leaf: Leaf, count: int) -> list[Case]:
    cases: list[Case] = []

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        cases.append(data.draw(case_strategy(world, leaf)))

    collect()
    return cases


def generate(world: FuzzWorld, commands: list[Leaf], count: int) -> list[Case]:
    """`count` cases drawn by hypothesis, the same share for every command, interleaved
    (generation only: failures are collected and reported, not shrunk)."""
    per_leaf: list[list[Case]] = []
    share = -(-count // max(len(commands), 1))
    for leaf in commands:
        per_leaf.append(_draw_cases(world, leaf, share))
    mixed = [c for round_ in zip_longest(*per_leaf) for c in round_ if c is not None]
    return mixed[:count]


def _draw_texts(world: FuzzWorld, count: int) -> list[list[str]]:
    out: list[list[str]] = []

    @settings(
        max_examples=max(count, 1),
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(st.lists(_text(world, 0, 4000), min_size=5, max_size=5))
    def collect(texts: list[str]) -> None:
        out.append(texts)

    collect()
    while out and len(out) < count:
        out += out[: count - len(out)]
    return out[:count]


#: Setup that makes more of the tree reachable (a /share modal needs a stories channel), run
#: once before fuzzing, each only if that command was synced. Fuzzing may change it later.
PREPARE: list[tuple[str, str]] = [
    ("stories settings", "channel"),
    ("accountability channel", "channel"),
    ("affirmations setup", "channel"),
]


async def prepare(fake: FakeDiscord, world: FuzzWorld, commands: set[str]) -> None:
    text = world.channels[1]
    forum = next((c for c in world.channels if c.type == 15), text)
    for path, option in PREPARE:
        if path not in commands:
            continue
        options: dict[str, Any] = {option: forum if path.startswith("stories") else text}
        if path == "affirmations setup":
            options.update(time="08:00", timezone="UTC")
        await fake.invoke(world.owner, world.channels[0], path, **options)


def build_world(fake: FakeDiscord) -> FuzzWorld:
    guild = fake.create_guild("Fuzz Circle")
    general = guild.create_text_channel("general")
    channels = [
        general,
        guild.create_text_channel("affirmations"),
        guild.create_text_channel("accountability"),
        guild.create_forum_channel("stories", tags=["Phone screen", "Onsite"]),
        guild.create_text_channel("mod-notices"),
    ]
    guild.set_system_channel(general)
    roles = [guild.create_role("job seekers", mentionable=True), guild.create_role("mentors")]
    members = [guild.add_member("alice"), guild.add_member("bob")]
    return FuzzWorld(channels, roles, guild.owner, members)


class _ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith("fakecord"):
            self.records.append(record)


@contextmanager
def capture_errors() -> Iterator[_ErrorLog]:
    handler = _ErrorLog()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def ping_risks(fake: FakeDiscord, configured_roles: set[str]) -> list[str]:
    """Messages by the bot whose allowed_mentions (as sent) or computed mentions could ping
    a user, everyone, or a role nobody configured."""
    bot_id = str(fake.bot_user.id)
    risks: list[str] = []
    for _channel, msg in fake.state.messages.values():
        if msg.get("author", {}).get("id") != bot_id:
            continue
        allowed = msg.get("_allowed_mentions")
        parse = set(allowed.get("parse") or []) if allowed else set(msg.get("_default_parse", []))
        roles = {str(r) for r in (allowed or {}).get("roles") or []}
        users = (allowed or {}).get("users") or []
        where = f"message {msg['id']} ({msg.get('content', '')[:60]!r})"
        if parse & {"users", "everyone", "roles"}:
            risks.append(f"{where}: allowed_mentions parse {sorted(parse)}")
        if users:
            risks.append(f"{where}: allowed_mentions users {users}")
        if roles - configured_roles:
            risks.append(f"{where}: allowed_mentions roles {sorted(roles - configured_roles)}")
        if msg.get("mention_everyone") or msg.get("mentions"):
            risks.append(f"{where}: pinged users or everyone")
        pinged_roles = {str(r) for r in msg.get("mention_roles") or []}
        if pinged_roles - configured_roles:
            risks.append(f"{where}: pinged roles {sorted(pinged_roles - configured_roles)}")
    return risks


async def _run_case(
    fake: FakeDiscord,
    world: FuzzWorld,
    case: Case,
    report: FuzzReport,
    modal_cases: list[Case] | None = None,
) -> None:
    who = world.owner if case.as_owner else world.members[0]
    channel = world.channels[0]
    try:
        r = await fake.start_invoke(who, channel, case.leaf.path, **case.values)
    except InvocationError:
        report.invocation_errors += 1  # the emulator refused the case itself (a fuzz bug)
        return
    await fake.answered(r)
    if r.type is None:
        report.unanswered.append(repr(case))
        return
    if r.type == 9 and r.modal is not None:
        report.modals += 1
        if modal_cases is not None:
            modal_cases.append(case)
        values = _modal_values(r, case.modal_text, world)
        try:
            submitted = await fake.start_modal(who, channel, r, values)
        except InvocationError:
            report.invocation_errors += 1
            return
        await fake.answered(submitted)
        if submitted.type is None:
            report.unanswered.append(f"modal of {case!r}")


def _modal_values(r: InteractionResult, texts: list[str], world: FuzzWorld) -> dict[str, Any]:
    """Generated text for every text field of the modal the bot showed, fitted to its limits;
    selects get options (or people, roles, channels) within their min/max values."""
    assert r.modal is not None
    fields: list[JSON] = []
    for top in r.modal.get("components") or []:
        if top.get("type") == 1:
            fields += list(top.get("components") or [])
        elif top.get("type") == 18 and isinstance(top.get("component"), dict):
            fields.append(top["component"])
    values: dict[str, Any] = {}
    for i, comp in enumerate(fields):
        text = texts[i % len(texts)]
        ctype = comp.get("type")
        if ctype == 4:
            lo = int(comp.get("min_length") or (1 if comp.get("required", True) else 0))
            hi = int(comp.get("max_length") or 4000)
            values[comp["custom_id"]] = _fit(text, max(lo, 0), hi)
        elif ctype in (3, 5, 6, 7, 8):
            pool: list[Any]
            if ctype == 3:
                pool = [o["value"] for o in comp.get("options") or []]
            elif ctype == 5:
                pool = list(world.members)
            elif ctype == 6:
                pool = list(world.roles)
            elif ctype == 7:
                pool = [*world.members, *world.roles]
            else:
                types = comp.get("channel_types")
                pool = [c for c in world.channels if not types or c.type in types]
            lo = int(comp.get("min_values", 1))
            hi = min(int(comp.get("max_values", 1)), len(pool))
            want = min(max(lo, len(text) % (hi + 1)), hi)
            start = len(text) % max(len(pool), 1)
            values[comp["custom_id"]] = (pool[start:] + pool[:start])[:want]
    return values


def _describe(record: logging.LogRecord) -> str:
    text = f"{record.name}: {record.getMessage()}"
    if record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f" at {tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else ""
        text += f" [{type(exc).__name__}: {str(exc)[:200]}{where}]"
    return text


def _rejection(fake: FakeDiscord, rejection: Any) -> str:
    """The rejection, with the command whose interaction it answered (for callbacks)."""
    text = str(rejection)
    parts = rejection.path.split("/")
    if len(parts) > 2 and parts[1] in ("interactions", "webhooks"):
        for pending in fake.sent_interactions:
            if str(pending.id) == parts[2] or pending.token in rejection.path:
                return f"[/{pending.command_name or 'component/modal'}] {text}"
    return text


async def run(
    fake: FakeDiscord,
    data_dir: Path,
    count: int,
    *,
    batch: int = BATCH,
    only: str | None = None,
) -> FuzzReport:
    report = FuzzReport()
    world = build_world(fake)
    fake.settle_quiet = 0.02
    with capture_errors() as errors:
        async with running_bot(fake, data_dir=data_dir):
            commands = [
                leaf for leaf in leaves(fake.commands()) if not only or leaf.path.startswith(only)
            ]
            report.commands = {leaf.path for leaf in commands}
            await prepare(fake, world, report.commands)
            # Most of the budget goes to commands; the rest re-opens every modal a command
            # answered with and submits new generated text in its fields.
            modal_budget = count // 4
            cases = generate(world, commands, count - modal_budget)
            configured = {
                str(v.id) for case in cases for v in case.values.values() if isinstance(v, FakeRole)
            }
            modal_cases: list[Case] = []
            for start in range(0, len(cases), batch):
                chunk = cases[start : start + batch]
                await asyncio.gather(
                    *(_run_case(fake, world, c, report, modal_cases) for c in chunk)
                )
                report.inputs += len(chunk)
            if modal_cases:
                texts = _draw_texts(world, modal_budget)
                again = [
                    Case(c.leaf, c.values, c.as_owner, texts[i])
                    for i, c in enumerate(modal_cases * (modal_budget // len(modal_cases) + 1))
                    if i < modal_budget
                ]
                # one at a time: a member has one modal open at once, as in Discord's client
                for case in again:
                    await _run_case(fake, world, case, report)
                    report.inputs += 1
            await fake.settle()
            report.ping_risks = ping_risks(fake, configured)
        report.errors = [_describe(r) for r in errors.records]
    report.rejected = [_rejection(fake, r) for r in fake.rejected] + [
        f"unknown route {r.method} {r.path}" for r in fake.unknown_routes
    ]
    return report
