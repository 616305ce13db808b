"""Email for notifications: at once, or gathered in daily and weekly digests."""

from __future__ import annotations


def notifications_deliver(*, activity_id: int) -> None:
    """Send the activity's notifications to those who want an email at once."""
