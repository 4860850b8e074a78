"""What /help says around the list of commands."""

from __future__ import annotations

DESCRIPTION = "What you can do with Rebound, in plain words."
TITLE = "What Rebound can do for you"
INTRO = (
    "Rebound is here for the days after a “no”. Pick anything below — "
    "everything you run is private to you unless it says otherwise."
)
ADMIN_SUFFIX = " — for admins"
MORE = "➕ More"
FOOTER = "Only you can see this. Moderators and admins see what they can do here too."
