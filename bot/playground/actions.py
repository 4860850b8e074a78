"""What a person does on the page, done through the emulator's driver (as a Discord client would
send it), and what came of it: the bot's answer, or the errors the page must show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fakecord.interactions import InteractionResult, InvocationError
from fakecord.models import AnyChannel, FakeGuild, FakeMember

from .runtime import Playground
from .view import JSON, find_channel
from .world import guild_of, people


class ActionRefused(Exception):
    """The page asked for something a Discord client could not send; said on the page."""


@dataclass
class PendingModal:
    person: str
    channel_id: str
    modal: JSON
    command: str | None  # the slash command that opened it, if one did


@dataclass
class Done:
    """What an action did, for the tour: who, what, and which command or channel."""

    person: str
    kind: str  # "invoke", "click", "select", "modal"
    name: str  # the command, or the channel's name for clicks and picks


@dataclass
class Actions:
    playground: Playground
    modals: dict[str, PendingModal] = field(default_factory=dict)
    done: list[Done] = field(default_factory=list)

    def _person(self, key: str) -> FakeMember:
        cast = people(self.playground.fake)
        if key not in cast:
            raise ActionRefused(f"Nobody called {key!r} is in this playground.")
        return cast[key]

    def _channel(self, channel_id: str) -> AnyChannel:
        try:
            return find_channel(self.playground.fake, channel_id)
        except LookupError as exc:
            raise ActionRefused(str(exc)) from exc

    # -- slash commands --------------------------------------------------------------------------
    def _command(self, channel: AnyChannel, path: str) -> tuple[JSON, list[JSON]]:
        """The synced definition of `path` ("name sub") and its options."""
        fake = self.playground.fake
        parts = path.split()
        if not parts:
            raise ActionRefused("Type a command after the slash.")
        pools = list(fake.commands())
        if channel.guild is not None:
            pools += fake.commands(channel.guild)
        node = next((c for c in pools if c["name"] == parts[0] and c.get("type", 1) == 1), None)
        if node is None:
            raise ActionRefused(f"there is no /{parts[0]} command.")
        for part in parts[1:]:
            node = next((o for o in node.get("options") or [] if o["name"] == part), None)
            if node is None or node["type"] not in (1, 2):
                raise ActionRefused(f"/{path} is not a command.")
        return node, list(node.get("options") or [])

    def _options(self, channel: AnyChannel, path: str, raw: dict[str, Any]) -> dict[str, Any]:
        _, defs = self._command(channel, path)
        guild = guild_of(self.playground.fake)
        out: dict[str, Any] = {}
        for opt in defs:
            value = raw.get(opt["name"])
            if value is None or value == "":
                continue
            out[opt["name"]] = _typed(opt, value, guild)
        return out

    async def invoke(self, person: str, channel_id: str, path: str, raw: dict[str, Any]) -> JSON:
        member, channel = self._person(person), self._channel(channel_id)
        options = self._options(channel, path, raw)
        result = await self._run(self.playground.fake.invoke(member, channel, path, **options))
        self.done.append(Done(person, "invoke", path))
        return self._answer(person, channel_id, result, path)

    async def autocomplete(
        self, person: str, channel_id: str, path: str, raw: dict[str, Any], focused: str
    ) -> list[JSON]:
        member, channel = self._person(person), self._channel(channel_id)
        options = self._options(channel, path, {k: v for k, v in raw.items() if k != focused})
        options[focused] = str(raw.get(focused) or "")
        try:
            return await self.playground.fake.autocomplete(
                member, channel, path, focused=focused, **options
            )
        except InvocationError as exc:
            raise ActionRefused(str(exc)) from exc

    # -- components and modals -------------------------------------------------------------------
    async def click(self, person: str, message_id: str, custom_id: str) -> JSON:
        member = self._person(person)
        channel_id = self._message_channel(message_id)
        result = await self._run(
            self.playground.fake.click(member, message_id, custom_id=custom_id)
        )
        self.done.append(Done(person, "click", self._channel_name(channel_id)))
        return self._answer(person, channel_id, result, None)

    async def select(self, person: str, message_id: str, custom_id: str, values: list[str]) -> JSON:
        member = self._person(person)
        channel_id = self._message_channel(message_id)
        fake = self.playground.fake
        found = fake.state.find_message(int(message_id))
        assert found is not None
        picked: list[Any] = values
        comp = _find(found[1].get("components") or [], custom_id)
        if comp is not None and comp.get("type") in (5, 6, 7, 8):
            picked = [_entity(guild_of(fake), v) for v in values]
        result = await self._run(
            fake.select(member, message_id, custom_id=custom_id, values=picked)
        )
        self.done.append(Done(person, "select", self._channel_name(channel_id)))
        return self._answer(person, channel_id, result, None)

    async def submit_modal(self, person: str, custom_id: str, values: dict[str, Any]) -> JSON:
        pending = self.modals.get(custom_id)
        if pending is None or pending.person != person:
            raise ActionRefused("That form is no longer open.")
        member, channel = self._person(person), self._channel(pending.channel_id)
        result = await self._run(
            self.playground.fake.submit_modal(member, channel, pending.modal, values)
        )
        self.modals.pop(custom_id, None)
        self.done.append(Done(person, "modal", pending.command or ""))
        return self._answer(person, pending.channel_id, result, pending.command)

    # -- shared ----------------------------------------------------------------------------------
    async def _run(self, action: Any) -> InteractionResult:
        try:
            result: InteractionResult = await action
        except InvocationError as exc:
            raise ActionRefused(str(exc)) from exc
        return result

    def _message_channel(self, message_id: str) -> str:
        try:
            found = self.playground.fake.state.find_message(int(message_id))
        except ValueError:
            found = None
        if found is None:
            raise ActionRefused("That message is gone.")
        return str(found[0].id)

    def _channel_name(self, channel_id: str) -> str:
        chan = self._channel(channel_id)
        parent = getattr(chan, "parent", None)
        return parent.name if parent is not None else getattr(chan, "name", "")

    def _answer(
        self, person: str, channel_id: str, result: InteractionResult, command: str | None
    ) -> JSON:
        errors = self.playground.collect_rejections()
        if result.missed_deadline or result.type is None:
            text = (
                "The bot did not answer in time (Discord says “The application did not respond”)."
            )
            self.playground.report_error(text)
            errors.append(text)
        modal = result.modal
        if modal is not None:
            self.modals[str(modal["custom_id"])] = PendingModal(person, channel_id, modal, command)
        self.playground.save()
        self.playground.touch()
        return {"ok": not errors, "errors": errors, "modal": modal}


def _find(components: list[JSON], custom_id: str) -> JSON | None:
    for comp in components:
        if comp.get("custom_id") == custom_id:
            return comp
        for key in ("components", "accessory", "component"):
            inner = comp.get(key)
            inner_list = inner if isinstance(inner, list) else [inner] if inner else []
            found = _find(inner_list, custom_id)
            if found is not None:
                return found
    return None


def _entity(guild: FakeGuild, raw: str) -> Any:
    try:
        key = int(raw)
    except ValueError as exc:
        raise ActionRefused(f"{raw!r} is not something to pick.") from exc
    member = guild.get_member(key)
    if member is not None:
        return member
    if key in guild.roles:
        return guild.roles[key]
    chan = guild.get_channel(key)
    if chan is not None:
        return chan
    raise ActionRefused("That is not in this server.")


def _typed(opt: JSON, value: Any, guild: FakeGuild) -> Any:
    """An option as the page sent it (text) typed as Discord's client would send it."""
    kind = opt["type"]
    name = opt["name"]
    try:
        if kind == 4:
            return int(value)
        if kind == 10:
            return float(value)
    except (TypeError, ValueError) as exc:
        raise ActionRefused(f"{name} needs a number.") from exc
    if kind == 5:
        return value is True or str(value).lower() in ("true", "yes", "1", "on")
    if kind in (6, 7, 8, 9):
        return _entity(guild, str(value))
    return str(value)
