"""The access matrix: every URL the resolver knows, every role, an object inside
and an object outside the role's scope (declarations in tests/access_matrix.py,
objects in tests/access_objects.py).

For each declared route it checks GET, and for write routes each write method
(web: POST; API: POST/PUT/PATCH/DELETE as the route allows) with an empty body,
asserting the declared status per role and, whenever the request is refused
(3xx to the log-in page, 4xx), that no row of any Shegong model was added,
removed or updated (the audit log may gain security events: `access_denied`...).
Each request runs inside a savepoint that is rolled back,
so every role meets the same data. The world is built once per module.

A failure prints the observed rows in the declaration's own format.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from http.cookies import SimpleCookie

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Count, Max
from django.test import Client, override_settings
from django.urls import get_resolver, reverse

from shegong.core.models import AuditEntry
from shegong.core.roles import Role
from tests.access_matrix import (
    ADMIN_LOGIN,
    LOGIN,
    ROLES,
    ROUTES,
    Route,
    buyer_rows,
    format_row,
    parse_row,
    resolver_urls,
    route_ids,
)
from tests.access_objects import Objects, make_objects
from tests.conftest import build_world, make_user


@pytest.fixture(scope="module")
def objects(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and its objects, built once for the module inside a transaction
    that is rolled back at the end; each test runs in a savepoint within it.
    Uploaded files (evaluation evidence) go to a temporary media root."""
    media = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        SHEGONG_DOCUMENT_ROOT=tmp_path_factory.mktemp("documents"),
    )
    with django_db_blocker.unblock(), media:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield make_objects(build_world())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def clients(objects: Objects, django_db_blocker) -> dict[str, Client]:
    """One logged-in test client per role (sessions live in the module's transaction)."""
    with django_db_blocker.unblock():
        people = {role: objects.world[role] for role in ROLES if role != "anon"}
        # A staff district officer with every view and change permission, for the
        # admin: the admin must still read through the scope.
        staff = make_user(
            "staff", Role.DISTRICT_OFFICER, district=objects.world.district, is_staff=True
        )
        from django.contrib.auth.models import Permission

        staff.user_permissions.set(Permission.objects.filter(codename__regex=r"^(view|change)_"))
        people["staff"] = staff
        # The street office of station A's street (BUYER_ROWS).
        people["buyer"] = make_user("buyer", Role.STREET_OFFICE, street=objects.world.street_a)
        result = {}
        for role, user in people.items():
            client = Client(raise_request_exception=False)
            client.force_login(user)
            result[role] = client
        result["anon"] = Client(raise_request_exception=False)
        return result


# The audit log records security events by design (docs/architecture.md "Audit"):
# a refusal writes `access_denied`, a log-out `logout`. Only those may appear.
SECURITY_ACTIONS = {"access_denied", "login", "logout", "login_failed"}


def _fingerprint() -> dict[str, tuple]:
    """Row count and last update of every Shegong model (the audit log: its
    entries other than security events)."""
    result = {}
    for model in apps.get_models():
        if not model.__module__.startswith("shegong."):
            continue
        if model is AuditEntry:
            changes = model._base_manager.exclude(action__in=SECURITY_ACTIONS)
            result[model._meta.label] = (changes.count(), changes.aggregate(m=Max("pk"))["m"])
            continue
        aggregates = {"n": Count("pk")}
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            aggregates["u"] = Max("updated_at")
        result[model._meta.label] = tuple(model._base_manager.aggregate(**aggregates).values())
    return result


def _request(
    client: Client, method: str, url: str, *, api: bool, baseline: dict | None
) -> tuple[str, str]:
    """The status of one request, made inside a savepoint that is rolled back.
    With a `baseline` (the tables before any request: every request is rolled
    back), a refused request must have left every table as it was."""
    # A response may replace or delete the session cookie (log-out, log-in):
    # the module's clients keep theirs.
    cookies = SimpleCookie(client.cookies)
    with transaction.atomic():
        if method == "get":
            response = client.get(url)
        elif api:
            response = getattr(client, method)(url, data={}, content_type="application/json")
        else:
            response = client.post(url, data={})
        status = response.status_code
        if baseline is not None and (status >= 400 or _to_login(response)):
            after = _fingerprint()
            changed = sorted(k for k in baseline if baseline[k] != after[k])
            assert not changed, f"{method.upper()} {url} → {status} but changed {changed}"
        transaction.set_rollback(True)
    client.cookies = cookies
    return str(status), response.get("Location", "")


def _to_login(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(LOGIN) or location.startswith(ADMIN_LOGIN)
    )


def _observe(
    route: Route, objects: Objects, clients, method: str, side: str | None, baseline
) -> list[str]:
    kwargs = route.url_kwargs(objects.side(side) if side else None)
    url = reverse(route.name, kwargs=kwargs) if route.name else route.path(kwargs)
    row = []
    for role in route.roles:
        client = clients[role]
        status, location = _request(client, method, url, api=route.api, baseline=baseline)
        if status == "302" and role == "anon" and not route.public:
            # Anonymous is sent to the log-in page, nowhere else.
            assert location.startswith((LOGIN, ADMIN_LOGIN)), f"{url}: anon sent to {location}"
        row.append(status)
    return row


def _check(route: Route, objects, clients, method: str) -> None:
    expected = route.expected(method)
    sides = ("in", "out") if route.has_object else (None,)
    problems = []
    observed_rows = []
    baseline = _fingerprint() if method != "get" else None
    for side, expected_row in zip(sides, expected, strict=True):
        observed = _observe(route, objects, clients, method, side, baseline)
        observed_rows.append(format_row(observed))
        wanted = parse_row(expected_row, len(route.roles))
        for role, want, got in zip(route.roles, wanted, observed, strict=True):
            if want != "-" and want != got:
                problems.append(f"{side or 'any'} {role}: expected {want}, got {got}")
    if os.environ.get("SHEGONG_MATRIX_RECORD"):
        with open(os.environ["SHEGONG_MATRIX_RECORD"], "a") as record:
            record.write(json.dumps([route.key, method, observed_rows]) + "\n")
    assert not problems, (
        f"{route.label} {method.upper()}:\n  "
        + "\n  ".join(problems)
        + "\nobserved rows ("
        + " ".join(route.roles)
        + "):\n  "
        + "\n  ".join(repr(r) for r in observed_rows)
    )


GET_ROUTES = [r for r in ROUTES if r.get is not None]
WRITE_CASES = [(r, m) for r in ROUTES for m in r.write_methods()]


@pytest.mark.parametrize("route", GET_ROUTES, ids=lambda r: r.label)
def test_get(route: Route, objects, clients, db):
    _check(route, objects, clients, "get")


@pytest.mark.parametrize(("route", "method"), WRITE_CASES, ids=lambda x: getattr(x, "label", x))
def test_write_is_refused_without_writing(route: Route, method: str, objects, clients, db):
    _check(route, objects, clients, method)


def test_every_url_is_declared():
    declared = {r.key for r in ROUTES}
    missing = sorted(set(resolver_urls(get_resolver())) - declared)
    assert not missing, "URLs without an access declaration (tests/access_matrix.py): " + ", ".join(
        missing
    )


def test_every_declaration_names_a_url():
    known = set(resolver_urls(get_resolver()))
    stale = sorted({r.key for r in ROUTES} - known)
    assert not stale, "declarations of URLs that no longer exist: " + ", ".join(stale)


def test_every_write_method_is_declared():
    """An API route that accepts a write method needs an expectation for it."""
    undeclared = [
        f"{r.label} {m}" for r in ROUTES for m in r.allowed_write_methods() if r.write is None
    ]
    assert not undeclared, "write methods without expectations: " + ", ".join(undeclared)


# --- The street office (the buyer's rows, tests/access_matrix.py BUYER_ROWS) ------------

BUYER = buyer_rows()
BUYER_CASES = [
    (route_id, route, method)
    for route_id, route in zip(route_ids(ROUTES), ROUTES, strict=True)
    for method in (["get"] if route.get is not None else []) + route.write_methods()
]


@pytest.mark.parametrize(
    ("route_id", "route", "method"), BUYER_CASES, ids=[f"buyer-{c[0]}-{c[2]}" for c in BUYER_CASES]
)
def test_buyer(route_id: str, route: Route, method: str, objects, clients, db):
    tokens = BUYER.get((route_id, method))
    sides = ("in", "out") if route.has_object else (None,)
    baseline = _fingerprint() if method != "get" else None
    buyer_route = replace(route, roles=("buyer",))
    observed = [
        _observe(buyer_route, objects, clients, method, side, baseline)[0] for side in sides
    ]
    line = " ".join([route_id, method, *observed])
    if os.environ.get("SHEGONG_MATRIX_RECORD"):
        with open(os.environ["SHEGONG_MATRIX_RECORD"], "a") as record:
            record.write(line + "\n")
    assert tokens is not None, f"no buyer row (tests/access_matrix.py BUYER_ROWS); observed: {line}"
    problems = [
        f"{side or 'any'}: expected {want}, got {got}"
        for side, want, got in zip(sides, tokens, observed, strict=True)
        if want != "-" and want != got
    ]
    assert not problems, f"{route_id} {method.upper()}: " + "; ".join(problems) + f"\n  {line}"


def test_every_buyer_row_names_a_route():
    known = {(route_id, method) for route_id, _route, method in BUYER_CASES}
    assert not sorted(set(BUYER) - known)
