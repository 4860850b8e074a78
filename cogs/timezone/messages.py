"""Every sentence /timezone shows a member."""

from __future__ import annotations

GROUP_DESCRIPTION = "Your time zone, once for every Rebound feature."
SET_DONE = (
    "Your time zone is now **{zone}** — it’s {local} there. Your check-in days end at your "
    "midnight, and weekly check-ins and affirmation DMs follow your local time."
)
SHOW_MEMBER = "Your time zone is **{zone}** (you chose it). It’s {local} there now."
SHOW_SERVER = (
    "You haven’t set a time zone, so I use this server’s default: **{zone}** (it’s {local} "
    "there). /timezone set makes your days end at your own midnight."
)
SHOW_DEFAULT = (
    "You haven’t set a time zone, so I use **UTC** (it’s {local} there). /timezone set "
    "timezone:Europe/Berlin (for example) makes your days end at your own midnight."
)
CLEARED = "Cleared. I’ll use {fallback} from now on."
NOT_SET = "You hadn’t set a time zone, so there was nothing to clear."
FALLBACK_SERVER = "this server’s default time zone"
LOCAL_CLOCK = "{time} on {weekday}"
FALLBACK_UTC = "UTC (or a server’s default zone, where one is set)"

# -- how /privacy delete names its rows (singular, plural)
ROW_NAMES: dict[str, tuple[str, str]] = {
    "member_settings": ("personal setting (time zone)", "personal settings"),
}
