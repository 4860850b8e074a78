"""Users, the application and the gateway address: ``/users``, ``/applications/@me``,
``/gateway``."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from ..interactions import InteractionManager
from ..rest import ApiRequest, Reply
from ..state import FakeState
from ..util import JSON, unknown_user
from .base import Endpoints, Route, as_int, route

if TYPE_CHECKING:
    from ..gateway import GatewayHub


class UserEndpoints(Endpoints):
    def __init__(self, state: FakeState, interactions: InteractionManager, hub: GatewayHub) -> None:
        super().__init__(state, interactions, hub)
        self.verify_key = secrets.token_hex(32)
        self.app_owner = state.create_user("app-owner")

    def routes(self) -> list[Route]:
        return [
            route("GET", "/users/@me", self.get_me),
            route("GET", "/users/{user_id}", self.get_user),
            route("GET", "/users/@me/guilds", self.get_my_guilds),
            route("DELETE", "/users/@me/guilds/{guild_id}", self.leave_guild),
            route("POST", "/users/@me/channels", self.create_dm),
            route("GET", "/oauth2/applications/@me", self.get_application),
            route("GET", "/applications/@me", self.get_application),
            route("GET", "/gateway", self.get_gateway, auth=False),
            route("GET", "/gateway/bot", self.get_gateway_bot),
        ]

    async def get_me(self, req: ApiRequest) -> Reply:
        me = self.state.bot_user.to_payload() | {
            "mfa_enabled": False,
            "locale": "en-US",
            "verified": True,
            "email": None,
        }
        return Reply(200, me)

    async def get_user(self, req: ApiRequest) -> Reply:
        user = self.state.users.get(as_int(req.params["user_id"], unknown_user()))
        if user is None:
            raise unknown_user()
        return Reply(200, user.to_payload())

    async def get_my_guilds(self, req: ApiRequest) -> Reply:
        out: list[JSON] = []
        for g in self.state.guilds.values():
            if g.bot_present:
                out.append(
                    {
                        "id": str(g.id),
                        "name": g.name,
                        "icon": None,
                        "banner": None,
                        "owner": False,
                        "permissions": str(g.bot_member.guild_permissions()),
                        "features": [],
                    }
                )
        return Reply(200, out)

    async def leave_guild(self, req: ApiRequest) -> Reply:
        guild = self.guild(req.params["guild_id"])
        self.state.remove_bot_from_guild(guild)
        return Reply(204)

    async def create_dm(self, req: ApiRequest) -> Reply:
        body = req.json or {}
        uid = body.get("recipient_id")
        user = self.state.users.get(int(uid)) if uid is not None else None
        if user is None:
            raise unknown_user()
        return Reply(200, self.state.dm_channel(user).to_payload())

    def application_payload(self) -> JSON:
        state = self.state
        return {
            "id": str(state.application_id),
            "name": state.bot_user.name,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": self.verify_key,
            "flags": 0,
            "flags_new": "0",
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "owner": self.app_owner.to_payload(),
            "approximate_guild_count": sum(1 for g in state.guilds.values() if g.bot_present),
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "team": None,
            "eligible_oauth2_scopes": [],
            "bot": state.bot_user.to_payload(),
            "tags": [],
            "rpc_origins": [],
            "integration_types_config": {"0": {}},
        }

    async def get_application(self, req: ApiRequest) -> Reply:
        return Reply(200, self.application_payload())

    async def get_gateway(self, req: ApiRequest) -> Reply:
        return Reply(200, {"url": self.state.gateway_url})

    async def get_gateway_bot(self, req: ApiRequest) -> Reply:
        return Reply(
            200,
            {
                "url": self.state.gateway_url,
                "shards": self.state.recommended_shards(),
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14_400_000,
                    "max_concurrency": self.state.max_concurrency,
                },
            },
        )
