"""Application commands, global and per guild: ``/applications/{id}/commands``."""

from __future__ import annotations

from typing import Any

from ..rest import ApiRequest, Reply
from ..util import JSON, ApiError, missing_access
from .base import Endpoints, Route, as_int, route

GLOBAL = "/applications/{application_id}/commands"
GUILD = "/applications/{application_id}/guilds/{guild_id}/commands"


class CommandEndpoints(Endpoints):
    def routes(self) -> list[Route]:
        out: list[Route] = []
        for base in (GLOBAL, GUILD):
            out += [
                route("GET", base, self.list_commands),
                route("PUT", base, self.put_commands),
                route("POST", base, self.create_command),
                route("GET", base + "/{command_id}", self.get_command),
                route("PATCH", base + "/{command_id}", self.edit_command),
                route("DELETE", base + "/{command_id}", self.delete_command),
            ]
        return out

    def _check_app(self, req: ApiRequest) -> int | None:
        if as_int(req.params["application_id"], missing_access()) != self.state.application_id:
            raise missing_access()
        gid = req.params.get("guild_id")
        return self.guild(gid).id if gid is not None else None

    def _commands(self, guild_id: int | None) -> list[JSON]:
        if guild_id is None:
            return self.state.global_commands
        return self.state.guild_commands.setdefault(guild_id, [])

    def _make_command(self, guild_id: int | None, body: JSON) -> JSON:
        state = self.state
        ctype = body.get("type") or 1
        name = body["name"]
        cid = state.command_ids.setdefault((guild_id, ctype, name), state.next_id())
        dmp = body.get("default_member_permissions")
        cmd: JSON = {
            "id": str(cid),
            "application_id": str(state.application_id),
            "version": str(state.next_id()),
            "default_member_permissions": None if dmp is None else str(dmp),
            "type": ctype,
            "name": name,
            "description": body.get("description") or "",
            "nsfw": bool(body.get("nsfw")),
        }
        for key in ("name_localizations", "description_localizations"):
            if body.get(key):
                cmd[key] = body[key]
        if body.get("options"):
            cmd["options"] = [_clean_option(o) for o in body["options"]]
        if guild_id is not None:
            cmd["guild_id"] = str(guild_id)
        else:
            cmd["dm_permission"] = body.get("dm_permission", True) is not False
            if body.get("contexts") is not None:
                cmd["contexts"] = body["contexts"]
            cmd["integration_types"] = body.get("integration_types") or [0]
        return cmd

    async def list_commands(self, req: ApiRequest) -> Reply:
        return Reply(200, self._commands(self._check_app(req)))

    async def put_commands(self, req: ApiRequest) -> Reply:
        gid = self._check_app(req)
        body = req.json or []
        cmds = [self._make_command(gid, c) for c in body]
        if gid is None:
            self.state.global_commands = cmds
        else:
            self.state.guild_commands[gid] = cmds
        return Reply(200, cmds)

    async def create_command(self, req: ApiRequest) -> Reply:
        gid = self._check_app(req)
        cmd = self._make_command(gid, req.json or {})
        cmds = self._commands(gid)
        existing = [c for c in cmds if c["name"] == cmd["name"] and c["type"] == cmd["type"]]
        for c in existing:
            cmds.remove(c)
        cmds.append(cmd)
        return Reply(200 if existing else 201, cmd)

    def _find_command(self, req: ApiRequest) -> tuple[int | None, JSON]:
        gid = self._check_app(req)
        for c in self._commands(gid):
            if c["id"] == req.params["command_id"]:
                return gid, c
        raise ApiError(404, 10063, "Unknown application command")

    async def get_command(self, req: ApiRequest) -> Reply:
        return Reply(200, self._find_command(req)[1])

    async def edit_command(self, req: ApiRequest) -> Reply:
        gid, cmd = self._find_command(req)
        merged = {k: v for k, v in cmd.items()} | (req.json or {})
        new = self._make_command(gid, merged)
        cmds = self._commands(gid)
        cmds[cmds.index(cmd)] = new
        return Reply(200, new)

    async def delete_command(self, req: ApiRequest) -> Reply:
        gid, cmd = self._find_command(req)
        self._commands(gid).remove(cmd)
        return Reply(204)


def _clean_option(opt: Any) -> Any:
    """An option as Discord echoes it: null values dropped, ``required: false`` omitted."""
    if not isinstance(opt, dict):
        return opt
    out: JSON = {}
    for key, value in opt.items():
        if value is None or (key == "required" and value is False):
            continue
        if key in ("choices", "channel_types") and value == []:
            continue
        if key == "options":
            value = [_clean_option(o) for o in value]
        out[key] = value
    return out
