"""Finding buttons and selects on a message, and filling in a modal the bot showed."""

from __future__ import annotations

from typing import Any

from ..util import JSON
from .model import InvocationError


def walk_components(components: list[JSON]) -> list[JSON]:
    out: list[JSON] = []

    def visit(node: Any) -> None:
        if not isinstance(node, dict):
            return
        out.append(node)
        for child in node.get("components") or []:
            visit(child)
        for key in ("accessory", "component"):
            if isinstance(node.get(key), dict):
                visit(node[key])

    for c in components:
        visit(c)
    return out


def find_component(
    message: JSON, *, label: str | None, custom_id: str | None, types: tuple[int, ...]
) -> JSON:
    comps = [c for c in walk_components(message.get("components") or []) if c.get("type") in types]
    for c in comps:
        if custom_id is not None and c.get("custom_id") == custom_id:
            return c
        if label is not None and custom_id is None and c.get("label") == label:
            return c
    available = [(c.get("label"), c.get("custom_id")) for c in comps]
    raise InvocationError(
        f"message {message.get('id')} has no component with label={label!r} "
        f"custom_id={custom_id!r}; it has (label, custom_id) {available!r}"
    )


# -- modal submissions -----------------------------------------------------------------------------
def modal_submission(modal: JSON, values: dict[str, Any]) -> list[JSON]:
    """Submitted components for ``modal`` with ``values`` keyed by label or custom_id."""
    used: set[str] = set()

    def value_for(comp: JSON, label: str | None) -> tuple[bool, Any]:
        for key in (comp.get("custom_id"), label):
            if key is not None and key in values:
                used.add(key)
                return True, values[key]
        return False, None

    def text_input(comp: JSON, label: str | None) -> JSON:
        found, value = value_for(comp, label)
        if not found:
            value = comp.get("value") or ""
        if not isinstance(value, str):
            raise InvocationError(f"text input {label or comp.get('custom_id')!r} takes a str")
        required = comp.get("required", True)
        if required and not value:
            raise InvocationError(f"modal field {label or comp.get('custom_id')!r} is required")
        lo, hi = comp.get("min_length"), comp.get("max_length")
        if value and ((lo is not None and len(value) < lo) or (hi is not None and len(value) > hi)):
            raise InvocationError(
                f"modal field {label or comp.get('custom_id')!r}: length {len(value)} "
                f"outside [{lo}, {hi}]"
            )
        out: JSON = {"type": 4, "custom_id": comp["custom_id"], "value": value}
        if "id" in comp:
            out["id"] = comp["id"]
        return out

    def select(comp: JSON, label: str | None) -> JSON:
        found, value = value_for(comp, label)
        # Left out: the options the bot marked as default stay selected, as in Discord.
        default = [o.get("value") for o in comp.get("options") or [] if o.get("default")]
        chosen = list(value) if found else default
        if comp.get("type") == 3:
            allowed = [o.get("value") for o in comp.get("options") or []]
            bad = [v for v in chosen if v not in allowed]
            if bad:
                raise InvocationError(f"select {label!r}: {bad!r} not among options {allowed!r}")
        chosen = [str(v.id) if hasattr(v, "id") else str(v) for v in chosen]
        out: JSON = {"type": comp["type"], "custom_id": comp["custom_id"], "values": chosen}
        if "id" in comp:
            out["id"] = comp["id"]
        return out

    def inner(comp: JSON, label: str | None) -> JSON | None:
        if comp.get("type") == 4:
            return text_input(comp, label)
        if comp.get("type") in (3, 5, 6, 7, 8):
            return select(comp, label)
        return None

    submitted: list[JSON] = []
    for top in modal.get("components") or []:
        if top.get("type") == 1:
            row: list[JSON] = []
            for child in top.get("components") or []:
                done = inner(child, child.get("label"))
                if done is not None:
                    row.append(done)
            entry: JSON = {"type": 1, "components": row}
            if "id" in top:
                entry["id"] = top["id"]
            submitted.append(entry)
        elif top.get("type") == 18 and isinstance(top.get("component"), dict):
            done = inner(top["component"], top.get("label"))
            if done is not None:
                entry = {"type": 18, "component": done}
                if "id" in top:
                    entry["id"] = top["id"]
                submitted.append(entry)
        elif top.get("type") == 10 and "id" in top:
            submitted.append({"type": 10, "id": top["id"]})
    unknown = set(values) - used
    if unknown:
        raise InvocationError(f"modal {modal.get('title')!r} has no field(s) {sorted(unknown)!r}")
    return submitted
