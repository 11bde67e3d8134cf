"""The calendar 日程: booking appointments, their moves (booked → attended /
no-show / cancelled), the refusals, what counts as contact, and the calendar
pages per role."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from shegong.agenda import selectors, services
from shegong.agenda.models import Appointment, AppointmentStatus
from shegong.cases import services as case_services
from shegong.cases.models import Alert, AlertKind, Case
from shegong.delivery.models import ServiceEvent
from shegong.stats.models import DomainMonth
from tests.conftest import shared
from tests.helpers import day, days_ago, open_case, refusal, refusal_by_field, register_resident


def at(offset_days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """An aware time `offset_days` from today at hour:minute, local time."""
    return timezone.make_aware(
        datetime.datetime.combine(day(offset_days), datetime.time(hour, minute))
    )


def make_people(world):
    return {
        "chen": register_resident(world, "陈秀英", consented=30),
        "li": register_resident(world, "李玉兰"),
        "outsider": register_resident(
            world, "王建国", station=world.station_c, actor=world["worker_c"], gender="male"
        ),
    }


people = shared(make_people)


def book(world, client, start, hours=1, **kw):
    kw.setdefault("actor", world["worker"])
    return services.appointment_book(
        client=client,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        purpose=kw.pop("purpose", "跟进"),
        **kw,
    )


def started(appointment, hours_ago=2):
    """As if the appointment had been booked for `hours_ago` hours ago."""
    now = timezone.now()
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=now - datetime.timedelta(hours=hours_ago),
        ends_at=now - datetime.timedelta(hours=hours_ago - 1),
    )
    appointment.refresh_from_db()
    return appointment


# --- Booking -----------------------------------------------------------------------


def test_booking_places_the_appointment_at_the_clients_station(world, people):
    a = book(world, people["chen"], at(1, 9), place="站内2号室")
    assert (a.station, a.worker, a.status, a.place) == (
        world.station_a,
        world["worker"],
        AppointmentStatus.BOOKED,
        "站内2号室",
    )


def test_a_client_of_another_station_is_refused_as_unknown(world, people):
    assert refusal_by_field(book, world, people["outsider"], at(1, 9)) == {
        "client": ["No such resident at your station."]
    }
    assert Appointment.objects.count() == 0


def test_booking_in_the_past_is_refused(world, people):
    assert refusal_by_field(book, world, people["chen"], at(-1, 9)) == {
        "starts_at": ["An appointment cannot be booked in the past."]
    }


def test_an_appointment_ends_after_it_starts(world, people):
    assert refusal_by_field(book, world, people["chen"], at(1, 9), hours=0) == {
        "ends_at": ["An appointment ends after it starts."]
    }


def test_an_overlap_for_the_same_worker_is_warned_and_booked_once_confirmed(world, people):
    book(world, people["chen"], at(1, 9))
    assert refusal_by_field(book, world, people["li"], at(1, 9, 30)) == [
        "Worker already has an appointment at 09:00–10:00. Confirm to book anyway."
    ]
    assert Appointment.objects.count() == 1
    book(world, people["li"], at(1, 9, 30), confirm_overlap=True)
    assert Appointment.objects.count() == 2


def test_back_to_back_and_other_workers_do_not_overlap(world, people):
    book(world, people["chen"], at(1, 9))
    book(world, people["li"], at(1, 10))
    book(world, people["li"], at(1, 9), actor=world["director"], worker=world["director"])
    assert Appointment.objects.count() == 3


def test_a_cancelled_appointment_frees_its_time(world, people):
    first = book(world, people["chen"], at(1, 9))
    services.appointment_cancel(actor=world["worker"], appointment=first)
    book(world, people["li"], at(1, 9))
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1


def test_outsiders_cannot_book(world, people):
    with pytest.raises(PermissionDenied):
        book(world, people["chen"], at(1, 9), actor=world["admin"])


# --- The moves ---------------------------------------------------------------------


def test_attended_before_the_appointment_starts_is_refused(world, people):
    a = book(world, people["chen"], at(1, 9))
    assert refusal(services.appointment_attend, actor=world["worker"], appointment=a) == [
        "The appointment has not started yet; mark it once it has taken place."
    ]
    assert refusal(services.appointment_no_show, actor=world["worker"], appointment=a) == [
        "The appointment has not started yet; mark it once it has taken place."
    ]
    a.refresh_from_db()
    assert a.status == AppointmentStatus.BOOKED


def test_attended_once_started(world, people):
    a = started(book(world, people["chen"], at(1, 9)))
    a = services.appointment_attend(actor=world["director"], appointment=a)
    assert (a.status, a.status_changed_by) == (AppointmentStatus.ATTENDED, world["director"])


@pytest.mark.parametrize(
    ("first", "then", "label"),
    [
        ("attend", "cancel", "Attended"),
        ("no-show", "attend", "No-show"),
        ("cancel", "no-show", "Cancelled"),
        ("attend", "attend", "Attended"),
    ],
)
def test_only_a_booked_appointment_moves(world, people, first, then, label):
    a = started(book(world, people["chen"], at(1, 9)))
    services.TRANSITIONS[first](actor=world["worker"], appointment=a)
    assert refusal(services.TRANSITIONS[then], actor=world["worker"], appointment=a) == [
        f"This appointment is already {label}; only a booked one can change."
    ]


def test_another_stations_worker_cannot_move_it(world, people):
    a = book(world, people["chen"], at(1, 9))
    from django.http import Http404

    with pytest.raises(Http404):
        services.appointment_cancel(actor=world["worker_c"], appointment=a)


# --- Contact and counting ----------------------------------------------------------


def high_risk_case(world, client, since_days=20) -> Case:
    case = open_case(world, client, opened_on=days_ago(since_days))
    case_services.case_assess(
        actor=world["worker"],
        case=case,
        assessed_on=days_ago(since_days),
        needs="独居",
        risk_level="high",
    )
    # The daily run has not passed since: no alert yet.
    Alert.objects.all().delete()
    case.refresh_from_db()
    return case


def test_a_no_show_counts_nothing_and_raises_the_no_contact_alert(world, people):
    case = high_risk_case(world, people["chen"])
    a = started(book(world, people["chen"], at(1, 9)))
    raised = services.appointment_no_show(actor=world["worker"], appointment=a)
    assert [(alert.kind, alert.case_id, alert.detail["days"]) for alert in raised] == [
        (AlertKind.HIGH_RISK_NO_CONTACT, case.pk, 20)
    ]
    case.refresh_from_db()
    assert case.last_contact_on is None
    assert ServiceEvent.objects.count() == 0
    assert DomainMonth.objects.count() == 0


def test_a_no_show_of_a_client_in_touch_raises_nothing(world, people):
    high_risk_case(world, people["chen"], since_days=3)
    a = started(book(world, people["chen"], at(1, 9)))
    assert services.appointment_no_show(actor=world["worker"], appointment=a) == []


def test_attended_is_no_contact_until_a_service_is_recorded(world, people):
    case = high_risk_case(world, people["chen"])
    a = started(book(world, people["chen"], at(1, 9)))
    services.appointment_attend(actor=world["worker"], appointment=a)
    case.refresh_from_db()
    assert case.last_contact_on is None
    assert ServiceEvent.objects.count() == 0


# --- The selector the home page reads -----------------------------------------------


def test_appointments_for_lists_the_users_own_in_the_days_asked(world, people):
    mine_tomorrow = book(world, people["chen"], at(1, 9))
    mine_later = book(world, people["li"], at(8, 9))
    book(world, people["li"], at(1, 14), actor=world["director"], worker=world["director"])
    cancelled = book(world, people["chen"], at(2, 9))
    services.appointment_cancel(actor=world["worker"], appointment=cancelled)
    week = selectors.appointments_for(world["worker"], day(0), day(6))
    assert list(week) == [mine_tomorrow]
    assert list(selectors.appointments_for(world["worker"], day(0), day(8))) == [
        mine_tomorrow,
        mine_later,
    ]
    assert list(selectors.appointments_for(world["city"], day(0), day(8))) == []


# --- Pages -------------------------------------------------------------------------


def test_the_week_shows_appointments_and_services_of_the_station(client, world, people):
    book(world, people["chen"], at(1, 9), purpose="家庭会议")
    client.force_login(world["worker"])
    page = client.get(f"/agenda/stations/{world.station_a.pk}/?view=week&date={day(1)}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "陈秀英 · 家庭会议" in text
    assert "09:00–10:00" in text
    assert '<h1 class="h3 mb-0">日程 · 沙园街社工站</h1>' in text


def test_the_month_has_a_grid_for_big_screens_and_a_list_for_phones(client, world, people):
    book(world, people["chen"], at(1, 9))
    client.force_login(world["director"])
    text = client.get(
        f"/agenda/stations/{world.station_a.pk}/?view=month&date={day(1)}"
    ).content.decode()
    assert 'data-testid="month-grid"' in text
    assert 'class="d-md-none" data-testid="day-list"' in text
    assert text.count("陈秀英 · 跟进") == 2


def test_a_bad_view_or_date_falls_back_to_this_week(client, world):
    client.force_login(world["worker"])
    page = client.get(f"/agenda/stations/{world.station_a.pk}/?view=year&date=2026-13-45")
    assert page.status_code == 200
    assert 'data-testid="week-grid"' in page.content.decode()


def test_officials_read_no_calendar(client, world):
    client.force_login(world["district"])
    page = client.get(f"/agenda/stations/{world.station_a.pk}/")
    assert page.status_code == 403


def test_the_menu_has_the_calendar_for_station_staff_only(client, world):
    client.force_login(world["worker"])
    assert 'href="/agenda/"' in client.get("/agenda/feed/").content.decode()
    client.force_login(world["district"])
    assert 'href="/agenda/"' not in client.get("/stats/").content.decode()


def test_booking_through_the_page_warns_of_an_overlap(client, world, people):
    book(world, people["chen"], at(1, 9))
    client.force_login(world["worker"])
    url = f"/agenda/stations/{world.station_a.pk}/book/"
    form = {
        "client": people["li"].pk,
        "kind": "meeting",
        "starts_at": f"{day(1)}T09:30",
        "ends_at": f"{day(1)}T10:30",
        "place": "",
        "purpose": "跟进",
        "worker": world["worker"].pk,
    }
    page = client.post(url, form)
    assert page.status_code == 400
    assert "Worker 在 09:00–10:00 已有预约" in page.content.decode()
    assert Appointment.objects.count() == 1
    page = client.post(url, {**form, "confirm_overlap": "on"})
    assert page.status_code == 302
    assert Appointment.objects.count() == 2


def test_booking_a_resident_of_another_station_through_the_page_is_refused(client, world, people):
    client.force_login(world["worker"])
    page = client.post(
        f"/agenda/stations/{world.station_a.pk}/book/",
        {
            "client": people["outsider"].pk,
            "kind": "meeting",
            "starts_at": f"{day(1)}T09:00",
            "ends_at": f"{day(1)}T10:00",
            "purpose": "跟进",
            "worker": world["worker"].pk,
        },
    )
    assert page.status_code == 400
    assert Appointment.objects.count() == 0


def test_marking_attended_before_it_starts_through_the_page(client, world, people):
    a = book(world, people["chen"], at(1, 9))
    client.force_login(world["worker"])
    page = client.post(f"/agenda/appointments/{a.pk}/attend/")
    assert page.status_code == 400
    assert "预约尚未开始" in page.content.decode()
    a.refresh_from_db()
    assert a.status == AppointmentStatus.BOOKED


def test_a_no_show_through_the_page(client, world, people):
    a = started(book(world, people["chen"], at(1, 9)))
    client.force_login(world["worker"])
    page = client.post(f"/agenda/appointments/{a.pk}/no-show/", follow=True)
    assert page.status_code == 200
    assert "未到" in page.content.decode()
    a.refresh_from_db()
    assert a.status == AppointmentStatus.NO_SHOW


def test_an_unknown_move_is_404(client, world, people):
    a = book(world, people["chen"], at(1, 9))
    client.force_login(world["worker"])
    assert client.post(f"/agenda/appointments/{a.pk}/reopen/").status_code == 404


def test_booking_from_a_day_starts_on_that_day(client, world):
    client.force_login(world["worker"])
    text = client.get(
        f"/agenda/stations/{world.station_a.pk}/?view=day&date={day(3)}"
    ).content.decode()
    assert f'/agenda/stations/{world.station_a.pk}/book/?start={day(3)}T09:00"' in text
    form = client.get(f"/agenda/stations/{world.station_a.pk}/book/?start={day(3)}T09:00")
    html = form.content.decode()
    assert f'value="{day(3)}T09:00"' in html
    assert f'value="{day(3)}T10:00"' in html
