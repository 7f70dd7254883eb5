"""The sidebar's date groups and conversation titles: pure functions."""

from datetime import datetime, timedelta

import pytest

from localchat.core.history.date_groups import date_group, group_by_date
from localchat.core.history.records import title_from_text

NOW = datetime(2025, 6, 18, 9, 30)


@pytest.mark.parametrize("when, label", [
    (datetime(2025, 6, 18, 0, 0), "Today"),
    (datetime(2025, 6, 18, 23, 0), "Today"),  # a clock set ahead is still today
    (datetime(2025, 6, 17, 23, 59), "Yesterday"),  # calendar days, not 24 hours
    (datetime(2025, 6, 16, 12, 0), "Previous 7 days"),
    (datetime(2025, 6, 11, 0, 0), "Previous 7 days"),
    (datetime(2025, 6, 10, 23, 59), "Previous 30 days"),
    (datetime(2025, 5, 19, 8, 0), "Previous 30 days"),
    (datetime(2025, 5, 18, 8, 0), "May 2025"),
    (datetime(2024, 12, 31, 8, 0), "December 2024"),
])
def test_date_group(when, label):
    assert date_group(when, NOW) == label


def test_groups_keep_order_and_split_months():
    times = [NOW, NOW - timedelta(hours=2), NOW - timedelta(days=1), NOW - timedelta(days=45),
             NOW - timedelta(days=50), NOW - timedelta(days=80)]
    groups = group_by_date(times, lambda t: t.timestamp(), NOW)
    assert [(label, len(items)) for label, items in groups] == [
        ("Today", 2), ("Yesterday", 1), ("May 2025", 1), ("April 2025", 1), ("March 2025", 1)]
    assert group_by_date([], lambda t: 0.0, NOW) == []


@pytest.mark.parametrize("text, title", [
    ("\n\n  How do   I bake bread?\nDetails follow", "How do I bake bread?"),
    ("word " * 30, "word word word word word word word word word word word word…"),
    ("x" * 80, "x" * 60 + "…"),
    ("   ", ""),
])
def test_title_from_the_first_message(text, title):
    assert title_from_text(text) == title
