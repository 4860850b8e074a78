"""Interaction callbacks and their webhook: ``@original`` and followups. These routes take no
bot token: the interaction's token is in the URL."""

from __future__ import annotations

from typing import Any

from ..messages import public
from ..rest import ApiRequest, Reply
from ..util import ApiError, unknown_message
from .base import Endpoints, Route, as_int, route, truthy

WEBHOOK = "/webhooks/{webhook_id}/{webhook_token}"


class InteractionEndpoints(Endpoints):
    def routes(self) -> list[Route]:
        return [
            route(
                "POST",
                "/interactions/{interaction_id}/{interaction_token}/callback",
                self.callback,
                auth=False,
            ),
            route("POST", WEBHOOK, self.followup, auth=False),
            route("GET", WEBHOOK + "/messages/@original", self.get_original, auth=False),
            route("PATCH", WEBHOOK + "/messages/@original", self.edit_original, auth=False),
            route("DELETE", WEBHOOK + "/messages/@original", self.delete_original, auth=False),
            route("GET", WEBHOOK + "/messages/{message_id}", self.get_webhook_message, auth=False),
            route(
                "PATCH", WEBHOOK + "/messages/{message_id}", self.edit_webhook_message, auth=False
            ),
            route(
                "DELETE",
                WEBHOOK + "/messages/{message_id}",
                self.delete_webhook_message,
                auth=False,
            ),
        ]

    async def callback(self, req: ApiRequest) -> Reply:
        iid = as_int(req.params["interaction_id"], ApiError(404, 10062, "Unknown interaction"))
        pending = self.interactions.for_callback(iid, req.params["interaction_token"])
        if pending.callback_at is None:
            pending.callback_at = req.record.at  # when the request arrived, before any work
        answer = self.interactions.callback(pending, req.json or {}, req.files)
        if truthy(req.query.get("with_response")):
            return Reply(200, answer)
        return Reply(204)

    def _pending(self, req: ApiRequest) -> Any:
        app_id = as_int(req.params["webhook_id"], ApiError(404, 10015, "Unknown Webhook"))
        return self.interactions.for_webhook(app_id, req.params["webhook_token"])

    async def followup(self, req: ApiRequest) -> Reply:
        pending = self._pending(req)
        thread_id = req.query.get("thread_id")
        msg = self.interactions.responses.followup(
            pending,
            req.json or {},
            req.files,
            thread_id=int(thread_id) if thread_id else None,
        )
        if truthy(req.query.get("wait")):
            return Reply(200, public(msg))
        return Reply(204)

    async def get_original(self, req: ApiRequest) -> Reply:
        return Reply(200, public(self.interactions.responses.get_original(self._pending(req))))

    async def edit_original(self, req: ApiRequest) -> Reply:
        msg = self.interactions.responses.edit_original(
            self._pending(req), req.json or {}, req.files
        )
        return Reply(200, public(msg))

    async def delete_original(self, req: ApiRequest) -> Reply:
        self.interactions.responses.delete_original(self._pending(req))
        return Reply(204)

    async def get_webhook_message(self, req: ApiRequest) -> Reply:
        mid = as_int(req.params["message_id"], unknown_message())
        _, msg = self.interactions.responses.webhook_message(self._pending(req), mid)
        return Reply(200, public(msg))

    async def edit_webhook_message(self, req: ApiRequest) -> Reply:
        mid = as_int(req.params["message_id"], unknown_message())
        msg = self.interactions.responses.edit_webhook_message(
            self._pending(req), mid, req.json or {}, req.files
        )
        return Reply(200, public(msg))

    async def delete_webhook_message(self, req: ApiRequest) -> Reply:
        mid = as_int(req.params["message_id"], unknown_message())
        self.interactions.responses.delete_webhook_message(self._pending(req), mid)
        return Reply(204)
