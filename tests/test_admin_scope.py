"""The admin reads through the same scope as every other path."""

from django.contrib.auth.models import Permission

from shegong.org.models import Station


def test_superuser_admin_lists_every_station(world, client):
    client.force_login(world["admin"])
    response = client.get("/admin/org/station/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3


def test_staff_district_officer_sees_only_their_districts_stations_in_admin(world, client):
    officer = world["district"]
    officer.is_staff = True
    officer.save()
    officer.user_permissions.add(
        Permission.objects.get(codename="view_station"),
        Permission.objects.get(codename="change_station"),
    )
    client.force_login(officer)
    response = client.get("/admin/org/station/")
    assert response.status_code == 200
    assert {s.code for s in response.context["cl"].result_list} == {"haizhu-10", "haizhu-11"}
    outside = Station.objects.get(code="yuexiu-02")
    # Out of scope reads exactly like a record that does not exist.
    hidden = client.get(f"/admin/org/station/{outside.pk}/change/")
    missing = client.get("/admin/org/station/999999/change/")
    assert (hidden.status_code, hidden["Location"]) == (302, "/admin/")
    assert (missing.status_code, missing["Location"]) == (302, "/admin/")
