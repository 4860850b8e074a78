"""Forms and views as discord.py keeps them in memory, for tests of what survives their loss."""

from __future__ import annotations

from typing import Any


def expire_open_views(bot: Any) -> int:
    """What discord.py does when a view's or modal's timeout runs out (its timer calls
    ``_dispatch_timeout``): the copy it keeps in memory goes. Calling it now stands for
    waiting the 15 minutes (or more) a member may spend on a form."""
    store = bot._connection._view_store
    views = {item.view for items in store._views.values() for item in items.values() if item.view}
    views |= set(store._modals.values())
    expired = 0
    for view in views:
        if view.timeout is not None:
            view._dispatch_timeout()
            expired += 1
    return expired
