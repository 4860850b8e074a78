"""What streaks keep about a member, for /privacy export and /privacy delete (bot/privacy.py).

Rows are found by the member's user id in every server (a member who left a server still gets
their check-ins there exported and deleted). Local dates stay ISO dates; instants become ISO
8601 UTC strings; a rest-day rule's weekdays are written out by name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from bot.privacy import MemberTable, TablesPrivacy


class StreaksPrivacy(TablesPrivacy):
    feature = "streaks"
    tables = (
        MemberTable("streak_checkins"),
        MemberTable("streak_profiles"),
        MemberTable("streak_rest_rules"),
        MemberTable("streak_pauses"),
        MemberTable("streak_travel_days"),
        MemberTable("streak_celebrations"),
    )
    day_sets: ClassVar[Mapping[str, str]] = {"days_mask": "rest_days"}
