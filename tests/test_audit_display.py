"""The audit log page in Chinese: the fields' verbose names, the choices' labels,
the names of related objects (read through the viewer's scope), the role's and
the record type's names, in place of the raw codes and keys."""

import datetime
import re

from shegong.clients import services as client_services
from shegong.core import audit
from shegong.core.models import AuditEntry


def _register(world):
    return client_services.resident_register(
        actor=world["worker"],
        station=world.station_a,
        name="陈秀英",
        gender="female",
        birth_date=datetime.date(1980, 1, 1),
    )


def _row(html: str, pk: int) -> str:
    return re.search(rf"<tr>(?:(?!</tr>).)*居民 #{pk}(?:(?!</tr>).)*</tr>", html, re.S)[0]


def test_a_resident_creation_reads_in_chinese(world, login):
    resident = _register(world)
    html = login(world["director"]).get("/audit/", {"model": "clients.resident"}).content.decode()
    row = _row(html, resident.pk)
    assert "<strong>性别</strong>：女" in row
    assert "<strong>名称</strong>：陈秀英" in row
    assert "<strong>姓名拼音</strong>：chenxiuying" in row
    # The worker's name, not their key; the station's name, not its key.
    assert "<strong>创建人</strong>：Worker" in row
    assert "<strong>社工站</strong>：沙园街社工站" in row
    assert '<span class="small text-muted" title="clients.resident">居民 #' in row
    assert "female" not in row and "created_by" not in row


def test_a_change_shows_before_and_after_labels(world, login):
    resident = _register(world)
    client_services.resident_update(
        actor=world["worker"], resident=resident, version=resident.version, gender="male"
    )
    entry = AuditEntry.objects.filter(action="update", object_type="clients.resident").get()
    html = login(world["director"]).get("/audit/", {"action": "update"}).content.decode()
    assert entry.changes == {"gender": ["female", "male"]}
    assert "<strong>性别</strong>：女 → 男" in _row(html, resident.pk)


def test_the_role_of_the_station_director_is_named(world, login):
    audit.record(
        "update", obj=world.station_a, changes={"phone": ["1", "2"]}, user=world["director"]
    )
    html = login(world["director"]).get("/audit/", {"action": "update"}).content.decode()
    assert '<div class="small text-muted">社工站主任</div>' in html
    assert "station_director" not in html
