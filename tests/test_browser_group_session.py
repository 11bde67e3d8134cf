"""A social worker records a group session in real Chromium: opens the group,
ticks the members who came (finding one with the checklist's search box), adds a
resident who is not a member, and sees the session's person-times. And creates a
group, finding its members by name (the station's residents are not listed)."""

import pytest
from playwright.sync_api import expect

from shegong.delivery.models import Attendance, Group, ServiceEvent
from tests.browser import log_in, screenshot
from tests.delivery_world import group, make_delivery

pytestmark = pytest.mark.browser


def test_worker_records_a_group_session_by_ticking_attendance(
    transactional_db, world, live_server, browser
):
    d = make_delivery(world)
    grp = group(d, members=10, planned=6)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    console = []
    page.on("console", lambda message: console.append(message.text))
    log_in(page, live_server.url, world["worker"].username)

    page.goto(f"{live_server.url}/services/groups/")
    page.get_by_role("link", name=grp.name).click()
    page.wait_for_url(f"{live_server.url}/services/groups/{grp.pk}/")
    page.get_by_test_id("record-session").click()
    page.wait_for_url(f"{live_server.url}/services/groups/{grp.pk}/sessions/new/")

    members = page.get_by_test_id("members")
    for name in ("居民01", "居民02", "居民04", "居民05", "居民06", "居民07", "居民09"):
        members.get_by_label(name, exact=True).check()
    # The search box narrows the checklist to the one member looked for.
    page.fill("#members-search", "居民03")
    assert members.locator("[data-filter-text]:visible").count() == 1
    members.get_by_label("居民03", exact=True).check()
    page.fill("#members-search", "")
    assert page.locator('[data-ticked-count="members"]').inner_text() == "8"

    # Someone who is not a member came too: found by name, ticked, kept when
    # the look-up changes.
    page.locator("details summary").click()
    page.fill("#lookup-q", "居民1")
    page.get_by_test_id("lookup-results").get_by_label("居民12", exact=True).click()
    assert page.get_by_test_id("others").get_by_label("居民12", exact=True).is_checked()
    page.fill("#lookup-q", "居民11")
    found = page.get_by_test_id("lookup-results").locator("[data-filter-text]")
    expect(found).to_have_count(1)
    assert found.inner_text().startswith("居民11")
    assert page.locator('[data-ticked-count="others"]').inner_text() == "1"
    # (A full-page screenshot resizes the window: with the text field focused,
    # Chromium then scrolls it back into view on the next click.)
    page.locator("#lookup-q").blur()
    screenshot(page, "worker-group-session-form")

    page.get_by_test_id("save-session").click()
    page.wait_for_url(f"{live_server.url}/services/*/")
    assert page.get_by_test_id("person-times").inner_text() == "9"
    screenshot(page, "worker-group-session")
    assert [m for m in console if "Content Security Policy" in m] == []

    event = ServiceEvent.objects.get(group=grp)
    names = set(Attendance.objects.filter(event=event).values_list("resident__name", flat=True))
    assert (event.session_number, event.person_times, event.domain) == (1, 9, "elderly")
    assert names == {f"居民{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 9, 12)}


def test_worker_creates_a_group_finding_its_members_by_name(
    transactional_db, world, live_server, browser
):
    d = make_delivery(world)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    console = []
    page.on("console", lambda message: console.append(message.text))
    log_in(page, live_server.url, world["worker"].username)

    page.goto(f"{live_server.url}/services/groups/new/")
    # Nobody of the station is listed up front: members are found by name.
    assert page.locator('input[name="members"]').count() == 0
    page.select_option("#id_project", str(d.projects["elderly"].pk))
    page.fill("#id_name", "长者怀旧小组")
    page.fill("#lookup-q", "居民1")
    results = page.get_by_test_id("lookup-results")
    results.get_by_label("居民12", exact=True).click()
    results.get_by_label("居民15", exact=True).click()
    page.fill("#lookup-q", "居民03")
    expect(results.locator("[data-filter-text]")).to_have_count(1)
    results.get_by_label("居民03", exact=True).click()
    chosen = page.get_by_test_id("others")
    expect(chosen.locator("input:checked")).to_have_count(3)
    assert page.locator('[data-ticked-count="others"]').inner_text() == "3"
    page.locator("#lookup-q").blur()
    page.get_by_role("button", name="创建小组").click()
    page.wait_for_url(f"{live_server.url}/services/groups/*/")
    assert [m for m in console if "Content Security Policy" in m] == []

    grp = Group.objects.get()
    assert sorted(grp.members.values_list("name", flat=True)) == ["居民03", "居民12", "居民15"]
