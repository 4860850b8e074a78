"""Request and response validation against Discord's OpenAPI description.

The spec (``openapi.json`` from discord/discord-api-spec) is vendored beside this module in
``spec/openapi.json`` (pinned commit and licence in ``spec/README.md``); the ``DISCORD_API_SPEC``
environment variable may point at another copy. It is loaded and its validators are compiled once
per process. Two registries are built from it:

* the *request* registry widens the spec where Discord is more lenient than the file
  (snowflakes may be JSON integers - discord.py sends them so -, integer fields accept
  int-parseable strings);
* the *response* registry is the file as it is, strict, to check the emulator's own answers.

Where the file is absent, :func:`get_spec` returns ``None`` after logging one warning and only the
hand-written checks of :mod:`fakecord.checks` run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .util import JSON, merge_errors, nest_error

log = logging.getLogger("fakecord.validation")

REQUEST_URI = "urn:fakecord:openapi:request"
RESPONSE_URI = "urn:fakecord:openapi:response"

_SNOWFLAKE_LENIENT: JSON = {
    "anyOf": [
        {"type": "string", "pattern": "^(0|[1-9][0-9]*)$"},
        {"type": "integer", "minimum": 0},
    ]
}


def _int_lenient(schema: JSON) -> JSON:
    return {"anyOf": [schema, {"type": "string", "pattern": "^-?[0-9]+$"}]}


def _with_media_channels(schema: JSON) -> JSON:
    key = "oneOf" if "oneOf" in schema else "anyOf"
    branches = list(schema.get(key) or [])
    if branches and not any(b.get("const") == 16 for b in branches):
        branches.append({"title": "GUILD_MEDIA", "const": 16})
        return {**schema, key: branches}
    return schema


# How many checked bodies' answers are remembered (the command syncs; messages differ anyway).
CHECKED_BODIES_KEPT = 256

VENDORED_SPEC = Path(__file__).resolve().parent / "spec" / "openapi.json"


def spec_path() -> Path:
    """``$DISCORD_API_SPEC`` when set, else the copy vendored with the emulator."""
    env = os.environ.get("DISCORD_API_SPEC")
    return Path(env) if env else VENDORED_SPEC


@dataclass
class SchemaProblem:
    """One validation problem: where (a path into the body), a Discord-like code and a message."""

    path: list[str | int]
    code: str
    message: str

    def __str__(self) -> str:
        where = ".".join(str(p) for p in self.path) or "<body>"
        return f"{where}: {self.message} ({self.code})"


@dataclass
class Spec:
    """The loaded OpenAPI document with lazily compiled, cached validators."""

    doc: JSON
    _validators: dict[tuple[str, str, str, str], Draft202012Validator | None] = field(
        default_factory=dict
    )
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # sha256 of (operation, body) -> its problems; the least recently used dropped first.
    _checked_bodies: OrderedDict[bytes, tuple[SchemaProblem, ...]] = field(
        default_factory=OrderedDict
    )

    def __post_init__(self) -> None:
        schemas: JSON = self.doc["components"]["schemas"]
        self._op_schemas: dict[str, JSON] = {}
        # Discord accepts what matches several branches of a oneOf; validate requests with anyOf
        request_schemas: JSON = _one_of_to_any_of(schemas)
        request_schemas["SnowflakeType"] = _SNOWFLAKE_LENIENT
        for name in ("Int53Type", "UInt32Type"):
            if name in request_schemas:
                request_schemas[name] = _int_lenient(schemas[name])
        self._request_schemas = request_schemas
        self._response_schemas = dict(schemas)
        # The file's ChannelTypes stops at GUILD_FORUM (15); the docs (and discord.py, for a
        # ForumChannel option) have GUILD_MEDIA (16) too.
        for registry in (self._request_schemas, self._response_schemas):
            if "ChannelTypes" in registry:
                registry["ChannelTypes"] = _with_media_channels(registry["ChannelTypes"])
        self._request_registry: Registry[Any] | None = None
        self._response_registry: Registry[Any] | None = None

    # -- registries ---------------------------------------------------------------------------
    def _registry(self, which: str) -> Registry[Any]:
        if which == "request":
            if self._request_registry is None:
                self._request_registry = self._make_registry(REQUEST_URI, self._request_schemas)
            return self._request_registry
        if self._response_registry is None:
            self._response_registry = self._make_registry(RESPONSE_URI, self._response_schemas)
        return self._response_registry

    def _make_registry(self, uri: str, schemas: JSON) -> Registry[Any]:
        contents = {"components": {"schemas": schemas}}
        resource: Resource[Any] = DRAFT202012.create_resource(contents)
        return Registry().with_resource(uri, resource)

    def _schema_ref(self, which: str, schema: JSON, key: str) -> JSON:
        """A ``$ref`` to ``schema``, registered under components/schemas so its refs resolve."""
        name = f"__fakecord_{key}"
        target = self._request_schemas if which == "request" else self._response_schemas
        if name not in target:
            target[name] = schema
            # registries are immutable snapshots: rebuild lazily with the new entry
            if which == "request":
                self._request_registry = None
            else:
                self._response_registry = None
        uri = REQUEST_URI if which == "request" else RESPONSE_URI
        return {"$ref": f"{uri}#/components/schemas/{name}"}

    # -- operations ---------------------------------------------------------------------------
    def operation(self, method: str, template: str) -> JSON | None:
        path_item = self.doc["paths"].get(template)
        if not path_item:
            return None
        op: JSON | None = path_item.get(method.lower())
        return op

    def has_operation(self, method: str, template: str) -> bool:
        return self.operation(method, template) is not None

    def request_validator(self, method: str, template: str) -> Draft202012Validator | None:
        key = ("request", method, template, "")
        with self._lock:
            if key in self._validators:
                return self._validators[key]
            validator: Draft202012Validator | None = None
            op = self.operation(method, template)
            if op is not None:
                content = op.get("requestBody", {}).get("content", {})
                media = content.get("application/json") or content.get("multipart/form-data")
                if media and "schema" in media:
                    ref = self._schema_ref(
                        "request", media["schema"], f"req_{method}_{_slug(template)}"
                    )
                    validator = Draft202012Validator(ref, registry=self._registry("request"))
            self._validators[key] = validator
            return validator

    def response_validator(
        self, method: str, template: str, status: int
    ) -> Draft202012Validator | None:
        key = ("response", method, template, str(status))
        with self._lock:
            if key in self._validators:
                return self._validators[key]
            validator: Draft202012Validator | None = None
            op = self.operation(method, template)
            if op is not None:
                responses = op.get("responses", {})
                resp = responses.get(str(status)) or responses.get(f"{str(status)[0]}XX")
                if resp and "$ref" in resp:
                    ref_name = resp["$ref"].rsplit("/", 1)[-1]
                    resp = self.doc["components"]["responses"].get(ref_name)
                schema = (resp or {}).get("content", {}).get("application/json", {}).get("schema")
                if schema is not None:
                    ref = self._schema_ref(
                        "response", schema, f"resp_{method}_{status}_{_slug(template)}"
                    )
                    validator = Draft202012Validator(ref, registry=self._registry("response"))
            self._validators[key] = validator
            return validator

    def schema_validator(self, name: str, *, which: str = "response") -> Draft202012Validator:
        """A validator for a named component schema (e.g. ``"MessageResponse"``)."""
        key = (which, "schema", name, "")
        with self._lock:
            cached = self._validators.get(key)
            if cached is not None:
                return cached
            uri = REQUEST_URI if which == "request" else RESPONSE_URI
            validator = Draft202012Validator(
                {"$ref": f"{uri}#/components/schemas/{name}"}, registry=self._registry(which)
            )
            self._validators[key] = validator
            return validator

    # -- high level ---------------------------------------------------------------------------
    def check_request(self, method: str, template: str, body: Any) -> list[SchemaProblem]:
        validator = self.request_validator(method, template)
        if validator is None:
            return []
        return self._checked(("request", method, template, ""), validator, body)

    def check_response(self, method: str, template: str, status: int, body: Any) -> list[str]:
        validator = self.response_validator(method, template, status)
        if validator is None:
            return []
        key = ("response", method, template, str(status))
        return [str(p) for p in self._checked(key, validator, body)]

    def _checked(
        self, key: tuple[str, str, str, str], validator: Draft202012Validator, body: Any
    ) -> list[SchemaProblem]:
        """The problems of `body`, remembered by a hash of the operation and the body: the bot
        syncs the same command list (request and answer) at every start of every test, and
        checking it against the whole file is most of a start's time. Same body, same
        answer; a body that is not JSON (a file upload) is checked every time."""
        try:
            canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
        except (TypeError, ValueError):
            return problems_from(validator, body)
        digest = hashlib.sha256("\x00".join((*key, canonical)).encode()).digest()
        with self._lock:
            known = self._checked_bodies.get(digest)
            if known is not None:
                self._checked_bodies.move_to_end(digest)
        if known is None:
            known = tuple(problems_from(validator, body))
            with self._lock:
                self._checked_bodies[digest] = known
                if len(self._checked_bodies) > CHECKED_BODIES_KEPT:
                    self._checked_bodies.popitem(last=False)
        return [SchemaProblem(list(p.path), p.code, p.message) for p in known]

    def check_schema(self, name: str, body: Any) -> list[str]:
        return [str(p) for p in problems_from(self.schema_validator(name), body)]


def _one_of_to_any_of(node: Any) -> Any:
    if isinstance(node, dict):
        return {("anyOf" if k == "oneOf" else k): _one_of_to_any_of(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_one_of_to_any_of(v) for v in node]
    return node


def _slug(template: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", template).strip("_")


_REQUIRED_RE = re.compile(r"^'(.+)' is a required property$")


def problems_from(validator: Draft202012Validator, body: Any) -> list[SchemaProblem]:
    problems: list[SchemaProblem] = []
    for error in validator.iter_errors(body):
        if error.validator == "oneOf" and not error.context:
            continue  # valid under more than one branch: Discord accepts that
        problems.extend(_problem(leaf) for leaf in _leaves(error))
    return problems


def _branch_score(errors: list[ValidationError]) -> tuple[int, int]:
    """Lower is a better guess of the branch the sender meant."""
    miss = 0
    for e in errors:
        rel = list(e.relative_path)
        if e.validator in ("const", "enum") and rel and rel[-1] == "type" and len(rel) == 1:
            miss = 1  # discriminator ("type") of this branch does not match
        if e.validator == "type" and not rel:
            miss = 1  # not even the right JSON type
    return (miss, len(errors))


def _leaves(error: ValidationError) -> list[ValidationError]:
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        best = min(branches.values(), key=_branch_score)
        leaves: list[ValidationError] = []
        for sub in best:
            leaves.extend(_leaves(sub))
        return leaves
    return [error]


def _problem(error: ValidationError) -> SchemaProblem:
    path: list[str | int] = list(error.absolute_path)
    keyword = str(error.validator)
    value = error.validator_value
    if keyword == "required":
        match = _REQUIRED_RE.match(error.message)
        if match:
            path.append(match.group(1))
        return SchemaProblem(path, "BASE_TYPE_REQUIRED", "This field is required")
    if keyword in ("maxLength", "maxItems"):
        return SchemaProblem(path, "BASE_TYPE_MAX_LENGTH", f"Must be {value} or fewer in length.")
    if keyword in ("minLength", "minItems"):
        return SchemaProblem(path, "BASE_TYPE_MIN_LENGTH", f"Must be {value} or more in length.")
    if keyword == "maximum":
        return SchemaProblem(path, "NUMBER_TYPE_MAX", f"int value should be <= {value}.")
    if keyword == "minimum":
        return SchemaProblem(path, "NUMBER_TYPE_MIN", f"int value should be >= {value}.")
    if keyword in ("enum", "const"):
        return SchemaProblem(path, "BASE_TYPE_CHOICES", f"Value must be one of {value!r}.")
    if keyword == "type":
        return SchemaProblem(path, "BASE_TYPE_BAD_TYPE", f"Value must be of type {value}.")
    # jsonschema's own message quotes the value (it may be message content): keep it out
    log.debug("fakecord schema error at %s: %s", path, error.message[:300])
    return SchemaProblem(path, "INVALID_FORM_BODY", f"Invalid value ({keyword} failed)")


def problems_to_errors(problems: list[SchemaProblem]) -> JSON:
    errors: JSON = {}
    for p in problems:
        merge_errors(errors, nest_error(p.path, p.code, p.message))
    return errors


_warned = False
_load_lock = threading.Lock()


@functools.cache
def _load(path: str) -> Spec | None:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        return None
    return Spec(doc)


def get_spec() -> Spec | None:
    """The process-wide spec, or ``None`` (with one warning) if the file is missing."""
    global _warned
    path = spec_path()
    with _load_lock:
        spec = _load(str(path))
        if spec is None and not _warned:
            _warned = True
            log.warning(
                "Discord OpenAPI file not found at %s (set DISCORD_API_SPEC); "
                "only the hand-written checks of documented limits will run",
                path,
            )
    return spec
