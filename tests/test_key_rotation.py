"""Rotation of SHEGONG_FIELD_KEY (privacy.keys, `shegong rotate_field_key`): while a
rotation is under way the service reads and matches values under either key; the
command re-encrypts in batches, resumes after a stop, and leaves every value
readable under the new key alone — the ID numbers and the activation tokens a
staff import's job keeps encrypted until its result page is first opened."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from shegong.clients import identity
from shegong.clients.models import Resident
from shegong.clients.services import DuplicateResident
from shegong.core.models import AuditEntry, Job
from shegong.privacy.keys import field_key_rotate, field_key_status
from shegong.rosters.models import RosterEntry
from tests.helpers import refusal, register_resident
from tests.roster_helpers import communities, id_number, load, row
from tests.test_golive_staff_page import upload

OLD = "old-field-key-for-the-rotation-test-0001"
NEW = "new-field-key-for-the-rotation-test-0002"
REGISTERED = id_number(21, born="19500301")


class _Stopped(Exception):
    pass


def _encrypted() -> dict[str, int]:
    return {
        "clients.resident": Resident.objects.exclude(id_number_encrypted="").count(),
        "rosters.rosterentry": RosterEntry.objects.exclude(id_number_encrypted="").count(),
        "core.job": sum(len(job.result["activations"]) for job in Job.objects.all()),
    }


@pytest.fixture
def before_rotation(world, settings, client):
    """Under the old key: a roster of 8 entries (persons 1-6 placed and put on file,
    7 not placed, 1 on two lists), one resident registered by hand, and a staff
    import of 2 accounts whose result page nobody has opened yet (its job holds
    the 2 activation tokens, encrypted)."""
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEY_PREVIOUS = OLD, ""
    communities(world)
    rows = [*[row(n) for n in range(1, 6)], row(1, "低保对象")]
    rows += [row(6, community="南石头社区"), row(7, community="不存在社区")]
    assert load(world, rows).ok
    resident = register_resident(
        world, "王秀兰", id_number=REGISTERED, born=datetime.date(1950, 3, 1)
    )
    client.force_login(world["city"])
    sheet = [["", "李芳", "13800000011", "社工", "haizhu-10"]]
    sheet += [["", "陈明", "13800000012", "社工", "haizhu-10"]]
    response = client.post(reverse("golive:staff-import"), {"file": upload(sheet)})
    assert response.status_code == 302
    client.logout()
    assert _encrypted() == {"clients.resident": 7, "rosters.rosterentry": 8, "core.job": 2}
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_KEY_PREVIOUS = NEW, OLD
    resident.import_result = response["Location"]
    return resident


def test_during_a_rotation_old_values_read_and_match(world, before_rotation, login):
    resident = Resident.objects.get(pk=before_rotation.pk)
    assert identity.decrypt(resident.id_number_encrypted) == REGISTERED
    # Found by its ID number on the resident list, though hashed under the old key.
    page = login(world["worker"]).get("/residents/", {"q": REGISTERED})
    assert page.status_code == 200
    assert "王秀兰" in page.content.decode()
    # A second registration of the same ID number is still refused as a duplicate.
    with pytest.raises(DuplicateResident):
        register_resident(
            world,
            "王秀兰",
            id_number=REGISTERED,
            born=datetime.date(1950, 3, 1),
            allow_similar=False,
        )
    # The monthly roster waits: reconciliation keys entries by the digest.
    result = load(world, [row(1)], month=datetime.date(2026, 2, 1))
    assert not result.ok
    assert "正在轮换" in result.errors[0].message


def test_a_stopped_rotation_resumes_and_ends_under_the_new_key(
    world, before_rotation, settings, client
):
    seen = []

    def stop_after_first_batch(label, rows):
        seen.append((label, rows))
        raise _Stopped

    with pytest.raises(_Stopped):
        field_key_rotate(batch_size=2, progress=stop_after_first_batch)
    assert seen == [("clients.resident", 2)]
    # The first batch is done and kept; the rest waits for the next run.
    left = {"clients.resident": 5, "rosters.rosterentry": 8, "core.job": 2}
    assert field_key_status() == left

    report = field_key_rotate(batch_size=2)
    assert report.rotated == {"clients.resident": 5, "rosters.rosterentry": 8, "core.job": 2}
    assert report.skipped == {"clients.resident": 2, "rosters.rosterentry": 0, "core.job": 0}
    assert field_key_status() == {"clients.resident": 0, "rosters.rosterentry": 0, "core.job": 0}
    entry = AuditEntry.objects.get(object_type="privacy.key_rotation")
    assert entry.detail["rotated"] == {
        "clients.resident": 5,
        "rosters.rosterentry": 8,
        "core.job": 2,
    }
    # No token in the audit log.
    tokens = [row[2] for row in Job.objects.get().result["activations"]]
    assert not [t for t in tokens if t in str(entry.detail)]

    # The old key can go: every value reads and matches under the new key alone.
    settings.FIELD_ENCRYPTION_KEY_PREVIOUS = ""
    resident = Resident.objects.get(pk=before_rotation.pk)
    assert identity.decrypt(resident.id_number_encrypted) == REGISTERED
    assert resident.id_number_hash == identity.lookup_hash(REGISTERED)
    unplaced = RosterEntry.objects.get(id_number_hash=identity.lookup_hash(id_number(7)))
    assert identity.decrypt(unplaced.id_number_encrypted) == id_number(7)
    # And the next month reconciles against the re-hashed entries: 1-3 and 6 stay,
    # 4, 5 and 7 left (1, off 低保, is still on 特困), nobody reads as new.
    result = load(
        world,
        [*[row(n) for n in (1, 2, 3)], row(6, community="南石头社区")],
        month=datetime.date(2026, 2, 1),
    )
    assert result.ok, result.errors
    assert (result.new, result.still, result.left) == (0, 4, 3)
    # The staff import's result page, first opened now, shows the 2 links, and
    # they activate the accounts.
    client.force_login(world["city"])
    page = client.get(before_rotation.import_result, follow=True).content.decode()
    links = re.findall(r"http://testserver(/golive/activate/[\w-]+/)", page)
    assert len(links) == 2
    client.logout()
    assert [client.get(link).status_code for link in links] == [200, 200]
    # Under the old key alone nothing reads any more.
    settings.FIELD_ENCRYPTION_KEY = OLD
    with pytest.raises(ValueError):
        identity.decrypt(resident.id_number_encrypted)


def test_the_command_reports_and_refuses_without_a_rotation(world, before_rotation, settings):
    call_command("rotate_field_key", "--status", stdout=(out := _Out()))
    assert "clients.resident: 7 left under the previous key" in out.text
    call_command("rotate_field_key", "--batch-size", "3", stdout=(out := _Out()))
    assert "core.job: 2 re-encrypted, 0 already under the new key" in out.text
    assert "Rotated 17 values." in out.text
    call_command("rotate_field_key", "--status", stdout=(out := _Out()))
    assert "Done: SHEGONG_FIELD_KEY_PREVIOUS can be removed." in out.text
    settings.FIELD_ENCRYPTION_KEY_PREVIOUS = ""
    with pytest.raises(CommandError, match="当前没有进行密钥轮换"):
        call_command("rotate_field_key")
    settings.FIELD_ENCRYPTION_KEY_PREVIOUS = OLD
    assert refusal(field_key_rotate, batch_size=0) == ["The batch size must be at least 1."]


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
