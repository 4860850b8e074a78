"""Guilds, their channels, roles and members: ``/guilds/{id}``."""

from __future__ import annotations

from .. import models as M
from .. import permissions as P
from ..rest import ApiRequest, Reply
from ..state import GUILD_MEMBERS
from ..util import ApiError, missing_access, missing_permissions, unknown_member
from .base import Endpoints, Route, as_int, route, truthy

GUILD = "/guilds/{guild_id}"


class GuildEndpoints(Endpoints):
    def routes(self) -> list[Route]:
        return [
            route("GET", GUILD, self.get_guild),
            route("GET", GUILD + "/channels", self.get_guild_channels),
            route("GET", GUILD + "/roles", self.get_roles),
            route("GET", GUILD + "/members", self.list_members),
            route("GET", GUILD + "/members/{user_id}", self.get_member),
            route("PUT", GUILD + "/members/{user_id}/roles/{role_id}", self.add_role),
            route("DELETE", GUILD + "/members/{user_id}/roles/{role_id}", self.remove_role),
        ]

    async def get_guild(self, req: ApiRequest) -> Reply:
        guild = self.guild(req.params["guild_id"])
        payload = guild.to_payload()
        if truthy(req.query.get("with_counts")):
            payload["approximate_member_count"] = len(guild.members)
            payload["approximate_presence_count"] = 0
        return Reply(200, payload)

    async def get_guild_channels(self, req: ApiRequest) -> Reply:
        guild = self.guild(req.params["guild_id"])
        return Reply(200, [c.to_payload() for c in guild.channels])

    async def get_roles(self, req: ApiRequest) -> Reply:
        guild = self.guild(req.params["guild_id"])
        return Reply(200, [r.to_payload() for r in guild.roles.values()])

    async def list_members(self, req: ApiRequest) -> Reply:
        guild = self.guild(req.params["guild_id"])
        if not self.hub.granted_intents & GUILD_MEMBERS:
            raise missing_access()
        limit = max(1, min(1000, int(req.query.get("limit", "1"))))
        after = int(req.query.get("after", "0"))
        members = sorted(guild.members.values(), key=lambda m: m.id)
        members = [m for m in members if m.id > after][:limit]
        return Reply(200, [m.to_payload() for m in members])

    async def get_member(self, req: ApiRequest) -> Reply:
        guild = self.guild(req.params["guild_id"])
        member = guild.get_member(as_int(req.params["user_id"], unknown_member()))
        if member is None:
            raise unknown_member()
        return Reply(200, member.to_payload())

    def _member_role(self, req: ApiRequest) -> tuple[M.FakeMember, M.FakeRole]:
        guild = self.guild(req.params["guild_id"])
        member = guild.get_member(as_int(req.params["user_id"], unknown_member()))
        if member is None:
            raise unknown_member()
        role = guild.roles.get(as_int(req.params["role_id"], ApiError(404, 10011, "Unknown Role")))
        if role is None:
            raise ApiError(404, 10011, "Unknown Role")
        bot = guild.bot_member
        if not bot.guild_permissions() & P.MANAGE_ROLES:
            raise missing_permissions()
        top = max((r.position for r in bot.roles), default=0)
        if role.position >= top or role.managed:
            raise missing_permissions()
        return member, role

    async def add_role(self, req: ApiRequest) -> Reply:
        member, role = self._member_role(req)
        member.add_role(role)
        return Reply(204)

    async def remove_role(self, req: ApiRequest) -> Reply:
        member, role = self._member_role(req)
        member.remove_role(role)
        return Reply(204)
