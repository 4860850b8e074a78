"""What weekly accountability keeps about a member, for /privacy export and delete."""

from __future__ import annotations

from bot.privacy import MemberTable, TablesPrivacy

_MEMBER_WEEKS = "subscription_id IN (SELECT id FROM accountability_subscriptions WHERE user_id = ?)"
_GUILD_WEEKS = "subscription_id IN (SELECT id FROM accountability_subscriptions WHERE guild_id = ?)"


class AccountabilityPrivacy(TablesPrivacy):
    feature = "accountability"
    # Children first, so a delete counts every row before the cascade would remove it.
    tables = (
        MemberTable(
            "accountability_goals",
            member_where=f"week_id IN (SELECT id FROM accountability_weeks WHERE {_MEMBER_WEEKS})",
            guild_where=f"week_id IN (SELECT id FROM accountability_weeks WHERE {_GUILD_WEEKS})",
        ),
        MemberTable("accountability_weeks", member_where=_MEMBER_WEEKS, guild_where=_GUILD_WEEKS),
        MemberTable("accountability_subscriptions"),
    )
