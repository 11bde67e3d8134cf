from tests.test_golive_records_import import city_records, load, ClientStatus, make_group
from shegong.golive import records_import as ri

orig = ri._RecordsImporter._load_statuses
calls = []

def spy(self, row):
    calls.append(row.number)
    if row.number in (2, 3):
        print("load", row.number, row.values, list(ClientStatus.objects.values_list("resident_id", "domain", "started_on", "ended_on")[:5]))
    return orig(self, row)


def test_dbg(world, monkeypatch):
    monkeypatch.setattr(ri._RecordsImporter, "_load_statuses", spy)
    make_group(world)
    rows = city_records()
    result = load(world["district"], rows)
    print(result.errors[:3], result.error_count, calls[:6])
    assert result.ok
