"""Community activities and time-bank fixtures on top of tests/delivery_world.py."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

from shegong.community import activities
from shegong.community.models import CommunityActivity, Volunteer
from tests.delivery_world import Delivery


def today_at(hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@contextmanager
def at(hour: int, minute: int = 0):
    """The clock at `hour`:`minute` today, local time (django.utils.timezone.now
    patched), so that a test's figures do not depend on when it runs."""
    with mock.patch("django.utils.timezone.now", return_value=today_at(hour, minute)):
        yield


def activity(
    d: Delivery, title: str = "社区义诊", start: int = 8, end: int = 20, capacity: int = 2
) -> CommunityActivity:
    """An activity of station A's "key" project today, from `start` to `end` o'clock."""
    return activities.activity_create(
        actor=d["worker"],
        project=d.projects["key"],
        title=title,
        starts_at=today_at(start),
        ends_at=today_at(end),
        capacity=capacity,
    )


def serve(act: CommunityActivity, volunteer: Volunteer, start: int, end: int):
    """Check `volunteer` in at `start` and out at `end` o'clock today."""
    activities.volunteer_check_in(activity=act, volunteer=volunteer, now=today_at(start))
    return activities.volunteer_check_out(activity=act, volunteer=volunteer, now=today_at(end))
