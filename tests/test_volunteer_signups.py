"""Volunteers sign up for upcoming activities; recording the activity with their
hours marks the sign-up served."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from shegong.community import services
from shegong.community.models import VolunteerSignup
from tests.delivery_world import make_delivery, record


@pytest.fixture
def d(world):
    return make_delivery(world)


def _upcoming() -> datetime.date:
    today = timezone.localdate()
    # Tomorrow, unless that is next year: then today (still "to come").
    tomorrow = today + datetime.timedelta(days=1)
    return tomorrow if tomorrow.year == today.year else today


def test_sign_up_then_recording_the_activity_marks_it_served(d):
    volunteer = d.volunteers[0]
    signup = services.volunteer_sign_up(
        actor=d["worker"],
        volunteer=volunteer,
        project=d.projects["elderly"],
        activity_on=timezone.localdate(),
        activity_title="重阳敬老活动",
    )
    assert signup.status == "signed_up"
    event = record(
        d,
        project="elderly",
        headcount=30,
        title="重阳敬老活动",
        volunteers=[(volunteer, Decimal("2.5"))],
    )
    signup.refresh_from_db()
    assert (signup.status, signup.event_id) == ("served", event.pk)


def test_past_activities_and_inactive_volunteers_are_refused(d):
    volunteer = d.volunteers[1]
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.volunteer_sign_up(
            actor=d["worker"],
            volunteer=volunteer,
            project=d.projects["key"],
            activity_on=timezone.localdate() - datetime.timedelta(days=1),
            activity_title="邻里节",
        )
    assert error.value.message_dict == {
        "activity_on": ["Sign-ups are for activities still to come."]
    }
    volunteer.is_active = False
    volunteer.save()
    with pytest.raises(ValidationError):
        services.volunteer_sign_up(
            actor=d["worker"],
            volunteer=volunteer,
            project=d.projects["key"],
            activity_on=_upcoming(),
            activity_title="邻里节",
        )


def test_signing_up_twice_is_refused_but_after_cancelling_allowed(d):
    args = {
        "actor": d["worker"],
        "volunteer": d.volunteers[0],
        "project": d.projects["key"],
        "activity_on": _upcoming(),
        "activity_title": "邻里节",
    }
    first = services.volunteer_sign_up(**args)
    with pytest.raises(ValidationError):
        services.volunteer_sign_up(**args)
    services.volunteer_signup_cancel(actor=d["worker"], signup=first)
    services.volunteer_sign_up(**args)
    assert list(VolunteerSignup.objects.values_list("status", flat=True).order_by("pk")) == [
        "cancelled",
        "signed_up",
    ]


def test_web_sign_up_and_scope(d):
    volunteer = d.volunteers[0]
    client = Client()
    client.force_login(d["worker"])
    response = client.post(
        f"/community/volunteers/{volunteer.pk}/signups/",
        {
            "signup-project": d.projects["key"].pk,
            "signup-activity_on": _upcoming().isoformat(),
            "signup-activity_title": "邻里节",
        },
    )
    assert response.status_code == 302
    assert volunteer.signups.count() == 1
    outsider = Client()
    outsider.force_login(d["director_b"])
    assert (
        outsider.post(
            f"/community/volunteers/{volunteer.pk}/signups/",
            {
                "signup-project": d.projects["key"].pk,
                "signup-activity_on": _upcoming().isoformat(),
                "signup-activity_title": "邻里节",
            },
        ).status_code
        == 404
    )
    assert volunteer.signups.count() == 1


def test_api_sign_up_and_cancel(d, api):
    client = api(d["worker"])
    response = client.post(
        "/api/volunteer-signups/",
        {
            "volunteer": d.volunteers[0].pk,
            "project": d.projects["key"].pk,
            "activity_on": _upcoming().isoformat(),
            "activity_title": "邻里节",
        },
        format="json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert client.post(f"/api/volunteer-signups/{pk}/cancel/").json()["status"] == "cancelled"
    assert api(d["director_b"]).get(f"/api/volunteer-signups/{pk}/").status_code == 404
    assert api(d["city"]).post(f"/api/volunteer-signups/{pk}/cancel/").status_code == 403


def test_hours_cannot_be_recorded_for_an_inactive_volunteer(d):
    volunteer = d.volunteers[1]
    volunteer.is_active = False
    volunteer.save()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        record(d, project="key", headcount=10, volunteers=[(volunteer, Decimal("2"))])
    assert error.value.message_dict == {
        "volunteers": [f"{volunteer.name} is no longer an active volunteer."]
    }
