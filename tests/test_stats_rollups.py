"""The statistics rollups stay equal to a recount of the raw records through
creates, attendance corrections, deletes, casework, and merges."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from shegong.delivery import services
from shegong.delivery.models import Attendance, ServiceEvent
from shegong.stats import rollups
from shegong.stats.models import DomainMonth, ProjectMonth
from tests.delivery_world import casework_note, group, make_delivery, record, session


def _raw_person_times_by_domain() -> dict[str, int]:
    """Independent recount: named attendance rows plus head-counts, per domain."""
    totals: dict[str, int] = {}
    for event in ServiceEvent.objects.all():
        named = Attendance.objects.filter(event=event).count()
        totals[event.domain] = totals.get(event.domain, 0) + named + event.headcount
    return {d: n for d, n in totals.items() if n}


def _rollup_person_times_by_domain() -> dict[str, int]:
    rows = DomainMonth.objects.values("domain").annotate(n=Sum("person_times")).order_by()
    return {row["domain"]: row["n"] for row in rows if row["n"]}


@pytest.fixture
def mixed(world):
    """A mix of writes in every domain: activities, a group, casework, a correction
    and a deletion."""
    d = make_delivery(world)
    record(d, project="key", headcount=40)
    record(d, project="featured", attendees=d.residents[:5], headcount=20)
    grp = group(d, members=12, project="elderly")
    session(d, grp, d.residents[:12])
    second = session(d, grp, d.residents[:9])
    casework_note(d, d.residents[0], domain="youth")
    wrong = record(d, project="family", attendees=d.residents[:3])
    services.service_event_update_attendance(
        actor=d["worker"], event=wrong, attendees=d.residents[:7]
    )
    gone = record(d, project="core", headcount=15)
    services.service_event_delete(actor=d["worker"], event=gone)
    services.service_event_update_attendance(
        actor=d["worker"], event=second, attendees=d.residents[:10]
    )
    return d


def test_rollups_equal_a_recount_after_a_mix_of_writes(mixed):
    # key 40 (family), featured 5+20, elderly 12+10, youth casework 1, family 7.
    assert _raw_person_times_by_domain() == {
        "family": 47,
        "featured": 25,
        "elderly": 22,
        "youth": 1,
    }
    assert _rollup_person_times_by_domain() == _raw_person_times_by_domain()
    assert rollups.drift() == []


def test_domain_totals_add_up_to_the_total(mixed):
    total = ServiceEvent.objects.aggregate(n=Sum("person_times"))["n"]
    assert total == 95
    assert sum(_rollup_person_times_by_domain().values()) == total


def test_project_rollups_count_events_per_project(mixed):
    by_project = {
        row["project__name"]: (row["e"], row["p"])
        for row in ProjectMonth.objects.values("project__name")
        .annotate(e=Sum("events"), p=Sum("person_times"))
        .order_by()
    }
    assert by_project["长者服务"] == (2, 22)
    assert by_project["党建引领·红色社工"] == (0, 0)
    assert by_project["邻里互助"] == (1, 40)


def test_check_command_reports_no_drift(mixed):
    out = StringIO()
    call_command("rollups", "--check", stdout=out)
    assert out.getvalue().strip() == "No drift: the rollups match the raw records."


def test_check_command_finds_tampering_and_rebuild_repairs_it(mixed):
    DomainMonth.objects.filter(domain="elderly").update(person_times=999)
    with pytest.raises(CommandError, match="1 rollup row"):
        call_command("rollups", "--check", stdout=StringIO())
    call_command("rollups", "--rebuild", stdout=StringIO())
    assert rollups.drift() == []
    assert _rollup_person_times_by_domain()["elderly"] == 22


def test_an_import_updates_the_rollups_in_the_same_transaction(mixed):
    import io

    from shegong.delivery.importing import service_events_import
    from tests.delivery_world import TODAY

    day = TODAY().isoformat()
    csv_text = (
        "记录编号,日期,项目,服务类型,名称,参与居民,人数,社工\n"
        f"R1,{day},长者服务,社区活动,重阳敬老活动,,30,\n"
        f"R2,{day},青少年服务,社区活动,四点半课堂,,12,\n"
    )
    result = service_events_import(
        actor=mixed["worker"],
        file=io.BytesIO(csv_text.encode("utf-8")),
        filename="services.csv",
        year=TODAY().year,
    )
    assert (result.loaded_events, result.loaded_person_times) == (2, 42)
    assert rollups.drift() == []
    assert _rollup_person_times_by_domain() == {
        "family": 47,
        "featured": 25,
        "elderly": 52,
        "youth": 13,
    }
