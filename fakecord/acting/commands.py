"""Using slash commands and their autocomplete, as a person does: the command is looked up in
what the bot synced and its options are checked against the definition."""

from __future__ import annotations

from typing import Any

from ..interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    InteractionResult,
    InvocationError,
    PendingInteraction,
    Resolver,
    build_command_options,
)
from ..models import AnyChannel, FakeDMChannel, FakeMember, FakeUser, as_user
from ..util import JSON
from .sender import Acting


class SlashCommands(Acting):
    """``fake.slash_commands``: ``invoke``, ``start_invoke`` and ``autocomplete``."""

    async def invoke(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        command: str,
        /,
        **options: Any,
    ) -> InteractionResult:
        """Use slash command ``command`` ("name", "name sub" or "name group sub") with
        ``options`` (user/channel/role options take Fake objects; ``a_b`` may name ``a-b``)."""
        await self.sender.require_bot(channel)
        return await self.sender.send(self._command_interaction(member, channel, command, options))

    async def start_invoke(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        command: str,
        /,
        **options: Any,
    ) -> InteractionResult:
        """Like ``invoke`` but returns as soon as INTERACTION_CREATE is queued for the bot,
        without waiting for the answer or settling (for load: many interactions in flight).
        Wait for it with ``await fake.answered(r)``."""
        await self.sender.require_bot(channel)
        p = self._command_interaction(member, channel, command, options)
        return self.sender.start(p)

    async def autocomplete(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        command: str,
        /,
        focused: str,
        **options: Any,
    ) -> list[JSON]:
        """Autocomplete ``focused`` (its typed text is ``options[focused]``, default "").
        Returns the choices the bot answered (type 8)."""
        await self.sender.require_bot(channel)
        user = as_user(member)
        self.sender.check_channel_user(user, channel)
        guild_member = self.sender.member_for(member, channel)
        parts = command.split()
        cmd = self._find_command(channel, parts[0])
        resolver = Resolver(self.state, guild_member)
        opts = build_command_options(cmd, parts[1:], options, resolver, channel, focused=focused)
        data: JSON = {"id": cmd["id"], "name": cmd["name"], "type": 1, "options": opts}
        if resolver.data:
            data["resolved"] = resolver.data
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        p = self.interactions.create(AUTOCOMPLETE, user, channel, data, command_name=command)
        result = await self.sender.send(p)
        return list(result.choices or [])

    def _command_interaction(
        self,
        member: FakeMember | FakeUser,
        channel: AnyChannel,
        command: str,
        options: dict[str, Any],
    ) -> PendingInteraction:
        user = as_user(member)
        self.sender.check_channel_user(user, channel)
        guild_member = self.sender.member_for(member, channel)
        parts = command.split()
        cmd = self._find_command(channel, parts[0])
        resolver = Resolver(self.state, guild_member)
        opts = build_command_options(cmd, parts[1:], options, resolver, channel)
        data: JSON = {"id": cmd["id"], "name": cmd["name"], "type": 1}
        if opts:
            data["options"] = opts
        if resolver.data:
            data["resolved"] = resolver.data
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        p = self.interactions.create(APPLICATION_COMMAND, user, channel, data, command_name=command)
        required = cmd.get("default_member_permissions")
        if guild_member is not None and required is not None:
            need = int(required)
            have = guild_member.guild_permissions()
            if have & need != need:
                p.lacked_default_permissions = True
                self.interactions.permission_bypasses.append(p)
        return p

    def _find_command(self, channel: AnyChannel, name: str) -> JSON:
        guild = channel.guild
        pools: list[list[JSON]] = []
        if guild is not None:
            pools.append(self.state.guild_commands.get(guild.id, []))
        pools.append(self.state.global_commands)
        for pool in pools:
            for cmd in pool:
                if cmd["name"] == name and cmd.get("type", 1) == 1:
                    self._check_context(cmd, channel)
                    return cmd
        known = sorted({c["name"] for pool in pools for c in pool})
        raise InvocationError(
            f"no slash command {name!r} was synced for this channel; synced: {known!r}"
        )

    @staticmethod
    def _check_context(cmd: JSON, channel: AnyChannel) -> None:
        contexts = cmd.get("contexts")
        dm = isinstance(channel, FakeDMChannel)
        if dm and "guild_id" in cmd:
            raise InvocationError(f"/{cmd['name']} is a guild command: not usable in DMs")
        wanted = 1 if dm else 0
        if contexts is not None and wanted not in contexts:
            where = "DMs" if dm else "guilds"
            raise InvocationError(
                f"/{cmd['name']} is not available in {where} (contexts {contexts})"
            )
        if dm and contexts is None and cmd.get("dm_permission") is False:
            raise InvocationError(f"/{cmd['name']} has dm_permission false")
