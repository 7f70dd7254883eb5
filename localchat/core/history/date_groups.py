"""The sidebar's date groups: Today, Yesterday, Previous 7 days, Previous 30 days, then months."""

from __future__ import annotations

from datetime import date, datetime
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")

TODAY, YESTERDAY, PREVIOUS_7, PREVIOUS_30 = "Today", "Yesterday", "Previous 7 days", "Previous 30 days"


def date_group(when: datetime, now: datetime) -> str:
    """The group of something last touched at ``when`` (both local times). Days are calendar
    days, so "Yesterday" starts at midnight, not 24 hours ago; a future time counts as today."""
    days = (now.date() - when.date()).days
    if days <= 0:
        return TODAY
    if days == 1:
        return YESTERDAY
    if days <= 7:
        return PREVIOUS_7
    if days <= 30:
        return PREVIOUS_30
    return date(when.year, when.month, 1).strftime("%B %Y")


def group_by_date(items: Sequence[T], timestamp: Callable[[T], float],
                  now: datetime) -> list[tuple[str, list[T]]]:
    """Consecutive groups of ``items`` (already newest first) by ``date_group``, in order.

    ``timestamp`` gives seconds since the epoch, read as local time like ``now``."""
    groups: list[tuple[str, list[T]]] = []
    for item in items:
        label = date_group(datetime.fromtimestamp(timestamp(item)), now)
        if groups and groups[-1][0] == label:
            groups[-1][1].append(item)
        else:
            groups.append((label, [item]))
    return groups
