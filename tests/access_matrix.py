"""The access matrix's declarations: for every URL the resolver knows, who gets
what (tests/test_access_matrix.py runs them).

Each `Route` names a URL (by its URL name, "namespace:name"; an unnamed pattern
by its route) and gives the expected HTTP status per role as a row of tokens in
the order of `ROLES`:

    admin  city  district  agency  director  worker  evaluator  anon

The people are the conftest world's, all anchored at station A (海珠, agency A).
A route with an object (`obj=`) has two rows: the object at station A ("in",
inside their scope) and the same kind of object at station C (越秀, agency B:
"out", outside every scope except the city's and the superuser's). A route
without an object has one row. Tokens: a status code ("200", "302" = sent to
the log-in page for anonymous, "401", "403", "404", "405", "400"...) or "-"
(not checked: the outcome depends on the body, e.g. a writer's empty form).

`get=` is the row(s) for GET; `post=` (web) or `write=` (API) the row(s) for
each write method, sent with an empty body. Every refused write (4xx, or a
redirect to the log-in page) must leave every Shegong table unchanged.

How to declare a new URL (a new app's urls.py or API viewset):

1. Run `pytest tests/test_access_matrix.py -k declared`: it lists the URL names
   without a declaration.
2. Add one line per URL to the app's list below (or a new list added to
   `ROUTES`), with `obj="<Side attribute>"` when the URL takes a record's pk
   (add the record to tests/access_objects.py `_side` if it is a new kind),
   and rows of "?" for a start.
3. Run the matrix for the new lines (`-k <name>`): the failure prints the
   observed rows in this format. Check each against the scope rules (outsiders
   404, read-only insiders 403, anonymous to log-in / 401) before pasting
   them; a row you would not defend is a bug to fix in the view or the scope.
   `SHEGONG_MATRIX_RECORD=/tmp/rows.jsonl` also appends every observed row there.
4. Add the street office's line to `BUYER_ROWS` (the ninth role, kept apart so that
   the rows above keep eight tokens): `-k buyer-<name>` prints the observed line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver

ROLES = ("admin", "city", "district", "agency", "director", "worker", "evaluator", "anon")
# Admin pages add a staff district officer holding every view/change permission.
ADMIN_ROLES = (*ROLES, "staff")
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
WRITE_METHODS = ("post", "put", "patch", "delete")

Row = str
Rows = Row | tuple[Row, Row]


def parse_row(row: Row, width: int) -> list[str]:
    tokens = row.split()
    if tokens == ["?"]:
        return ["?"] * width
    assert len(tokens) == width, f"row {row!r} needs {width} tokens"
    return tokens


def format_row(tokens: list[str]) -> str:
    return " ".join(tokens)


@dataclass(frozen=True)
class Route:
    key: str
    obj: str | Callable[[Any], dict] | None = None
    kwarg: str = "pk"
    kwargs: dict = field(default_factory=dict)
    get: Rows | None = None
    write: Rows | dict[str, Rows] | None = None
    api: bool = False
    roles: tuple[str, ...] = ROLES
    url: str | None = None  # literal URL of an unnamed pattern
    # Public: anonymous may be redirected elsewhere than the log-in page.
    public: bool = False

    @property
    def name(self) -> str | None:
        return None if self.url else self.key

    @property
    def label(self) -> str:
        return self.key

    @property
    def has_object(self) -> bool:
        return self.obj is not None

    def url_kwargs(self, side) -> dict:
        kwargs = dict(self.kwargs)
        if callable(self.obj):
            kwargs.update(self.obj(side))
        elif self.obj:
            kwargs[self.kwarg] = getattr(side, self.obj).pk
        return kwargs

    def path(self, kwargs: dict) -> str:
        return self.url.format(**kwargs)

    def allowed_write_methods(self) -> list[str]:
        if self.api:
            return [m for m in WRITE_METHODS if m in API_METHODS.get(self.key, ())]
        return ["post"] if self.write is not None else []

    def write_methods(self) -> list[str]:
        if self.write is None:
            return []
        if isinstance(self.write, dict):
            return list(self.write)
        return self.allowed_write_methods()

    def expected(self, method: str) -> tuple[Row, ...]:
        rows = self.get if method == "get" else self.write
        if isinstance(rows, dict):
            rows = rows[method]
        if isinstance(rows, str):
            rows = (rows,)
        assert len(rows) == (2 if self.has_object else 1), f"{self.key}: rows for in/out"
        return rows


def page(key: str, obj=None, *, get: Rows | None = None, post: Rows | None = None, **kw) -> Route:
    return Route(key, obj=obj, get=get, write=post, **kw)


def api(key: str, obj=None, *, get: Rows | None = None, write=None, **kw) -> Route:
    return Route(f"api:{key}", obj=obj, get=get, write=write, api=True, **kw)


# --- Enumerating the resolver ---------------------------------------------------


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name, pattern.callback


def resolver_urls(resolver) -> list[str]:
    """Every URL as the declarations key it: its name, or its route if unnamed."""
    return [name or route for route, name, _callback in _walk(resolver.url_patterns)]


def _api_methods() -> dict[str, set[str]]:
    from django.urls import get_resolver

    methods: dict[str, set[str]] = {}
    for _route, name, callback in _walk(get_resolver().url_patterns):
        if not name or not name.startswith("api:"):
            continue
        actions = getattr(callback, "actions", None)
        if actions:
            allowed = set(actions) & set(callback.cls.http_method_names)
        else:
            view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            allowed = {m for m in ("get", *WRITE_METHODS) if view and hasattr(view, m)}
        methods.setdefault(name, set()).update(allowed)
    return methods


API_METHODS = _api_methods()


def _barthel(side) -> dict:
    """The Barthel index: a tool, the same on both sides."""
    from shegong.cases.instruments import Instrument

    return {"pk": Instrument.objects.get(code="barthel").pk}


# --- Rows used again and again ---------------------------------------------------

EVERYONE = "200 200 200 200 200 200 200 200"
EVERYONE_302 = "302 302 302 302 302 302 302 302"
LOGGED_IN = "200 200 200 200 200 200 200 302"
API_LOGGED_IN = "200 200 200 200 200 200 200 401"


# --- Web pages ------------------------------------------------------------------

Q = "?"
QQ = ("?", "?")

CORE = [
    page("home", get="200 200 200 200 200 200 200 302"),
    page(
        "accounts:login",
        get="302 302 302 302 302 302 302 200",
        post="302 302 302 302 302 302 302 200",
    ),
    page(
        "accounts:logout",
        get="405 405 405 405 405 405 405 405",
        post="302 302 302 302 302 302 302 302",
    ),
    page("set_language", get=EVERYONE_302, public=True),
    page("core:health", get="200 200 200 200 200 200 200 200", public=True),
]

ORG = [
    page("org:directory", get="200 200 200 200 200 200 200 302"),
    page("org:directory-export", kwargs={"fmt": "csv"}, get="200 200 200 200 200 200 200 302"),
    page(
        "org:station-detail",
        "station",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "org:point-create",
        "station",
        get=("200 200 200 403 200 403 403 302", "200 200 404 404 404 404 404 302"),
        post=("200 200 200 403 200 403 403 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "org:point-edit",
        "point",
        get=("200 200 200 403 200 403 403 302", "200 200 404 404 404 404 404 302"),
        post=("200 200 200 403 200 403 403 302", "200 200 404 404 404 404 404 302"),
    ),
]

CLIENTS = [
    page("clients:resident-list", get="200 200 200 200 200 200 200 302"),
    page(
        "clients:resident-register",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page(
        "clients:resident-detail",
        "resident",
        get=("200 404 404 404 200 200 404 302", "200 404 404 404 404 404 404 302"),
    ),
    page(
        "clients:resident-edit",
        "resident",
        get=("403 404 404 404 200 200 404 302", "403 404 404 404 404 404 404 302"),
        post=("403 404 404 404 200 200 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "clients:resident-reveal-id",
        "resident",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 403 200 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "clients:consent-add",
        "resident",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 302 302 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "clients:consent-withdraw",
        lambda s: {"pk": s.resident.pk, "consent": s.consent.pk},
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 302 302 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "clients:classify",
        "resident",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 302 302 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "clients:tag-add",
        "resident",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 302 302 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "clients:observation-add",
        "resident",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 302 302 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "clients:merge",
        "resident",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 302 403 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "clients:household-link",
        "resident",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 302 302 404 302", "403 404 404 404 404 404 404 302"),
    ),
    # A resident's own documents 文件附件 (clients.documents): the staff of the
    # resident's station; 404 for officials, evaluators and superusers.
    page(
        "clients:resident-document-upload",
        "resident",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 400 400 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "clients:resident-document-download",
        lambda s: {"pk": s.resident.pk, "document": s.resident_document.pk},
        get=("404 404 404 404 200 200 404 302", "404 404 404 404 404 404 404 302"),
    ),
    page(
        "clients:resident-document-delete",
        lambda s: {"pk": s.resident.pk, "document": s.resident_document.pk},
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("404 404 404 404 302 302 404 302", "404 404 404 404 404 404 404 302"),
    ),
]

CASES = [
    page("cases:case-list", get="200 200 200 200 200 200 200 302"),
    page(
        "cases:case-open",
        "resident",
        kwarg="resident_pk",
        get=("403 404 404 404 200 200 404 302", "403 404 404 404 404 404 404 302"),
        post=("403 404 404 404 200 200 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "cases:case-detail",
        "case",
        get=("200 200 200 200 200 200 404 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "cases:case-assign",
        "case",
        get=("403 403 403 403 200 403 404 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 200 403 404 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "cases:case-score",
        "case",
        kwargs={"code": "barthel"},
        get=("403 403 403 403 200 200 404 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 400 400 404 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "cases:case-step",
        "case",
        kwargs={"step": "assess"},
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 400 404 302", "403 403 404 404 404 404 404 302"),
    ),
    # Supervisor sign-off 督导审批 and documents 文件附件 (cases.signoffs, cases.documents).
    # The queue lists only what the user may decide; sign-offs and documents are
    # the case's content: 404 for whoever does not read it, 403 for its readers
    # without the right (a worker signing off).
    page("cases:signoff-list", get="200 200 200 200 200 200 200 302"),
    page(
        "cases:signoff-settings",
        get="403 403 403 403 200 403 403 302",
        post="403 403 403 403 200 403 403 302",
    ),
    page(
        "cases:signoff-approve",
        "signoff",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("404 404 404 404 302 403 404 302", "404 404 404 404 404 404 404 302"),
    ),
    page(
        "cases:signoff-return",
        "signoff",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("404 404 404 404 400 403 404 302", "404 404 404 404 404 404 404 302"),
    ),
    page(
        "cases:document-add",
        "case",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 400 404 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "cases:resident-document-add",
        "resident",
        kwarg="resident_pk",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 400 400 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "cases:document-download",
        "case_document",
        get=("404 404 404 404 200 200 404 302", "404 404 404 404 404 404 404 302"),
    ),
    page(
        "cases:document-delete",
        "case_document",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("404 404 404 404 302 302 404 302", "404 404 404 404 404 404 404 302"),
    ),
    page("cases:alert-list", get="200 200 200 200 200 200 200 302"),
    page(
        "cases:alert-rules",
        get="403 403 403 403 200 403 403 302",
        post="403 403 403 403 302 403 403 302",
    ),
    page(
        "cases:alert-acknowledge",
        "alert",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 302 302 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "cases:alert-resolve",
        "alert",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 302 302 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page("cases:access-log", get="200 200 200 200 200 200 200 302"),
]

PLANS = [
    page("plans:plan-list", get="200 200 200 200 200 200 200 302"),
    page(
        "plans:plan-create",
        get="403 403 403 403 200 403 403 302",
        post="403 403 403 403 200 403 403 302",
    ),
    page(
        "plans:plan-detail",
        "plan",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "plans:plan-edit",
        "plan",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "plans:plan-copy",
        "plan",
        get=("403 403 403 403 200 403 403 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 200 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "plans:project-add",
        "plan",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "plans:plan-submit",
        "plan",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "plans:plan-approve",
        "plan",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 400 400 403 403 403 403 302", "403 400 404 404 404 404 404 302"),
    ),
    page(
        "plans:plan-return",
        "plan",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 400 400 403 403 403 403 302", "403 400 404 404 404 404 404 302"),
    ),
    page(
        "plans:project-targets",
        "plan_project",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 302 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "plans:project-remove",
        "plan_project",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
]

DELIVERY = [
    page(
        "imports:upload",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 400 400 403 302",
    ),
    page("imports:result", get="403 403 403 403 302 302 403 302"),
    page("imports:template", get="403 403 403 403 200 200 403 302"),
    page("imports:report", kwargs={"fmt": "csv"}, get="403 403 403 403 404 404 403 302"),
    page("delivery:event-list", get="200 200 200 200 200 200 200 302"),
    page(
        "delivery:event-record",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page(
        "delivery:event-detail",
        "event",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "delivery:event-attendance",
        "event",
        get=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "delivery:event-delete",
        "event",
        get=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 302 302 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page("delivery:group-list", get="200 200 200 200 200 200 200 302"),
    page(
        "delivery:group-create",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page(
        "delivery:group-detail",
        "group",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "delivery:group-stage",
        "group",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 400 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "delivery:group-plan-add",
        "group",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 400 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "delivery:group-plan-link",
        "group_plan",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 400 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "delivery:group-evaluate",
        "group",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 400 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "delivery:group-close",
        "group",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 400 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "delivery:group-session-record",
        "group",
        get=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
    ),
]

COMMUNITY = [
    page("community:overview", get="200 200 200 200 200 200 200 302"),
    page("community:volunteer-list", get="200 200 200 200 200 200 200 302"),
    page(
        "community:volunteer-register",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page(
        "community:volunteer-detail",
        "volunteer",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "community:volunteer-edit",
        "volunteer",
        get=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "community:volunteer-signup",
        "volunteer",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 302 302 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "community:signup-cancel",
        "signup",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 302 302 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page("community:team-list", get="200 200 200 200 200 200 200 302"),
    page(
        "community:team-create",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page(
        "community:team-detail",
        "team",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
        post=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page("community:party-list", get="200 200 200 200 200 200 200 302"),
    page(
        "community:party-create",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page(
        "community:party-detail",
        "party_organisation",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
        post=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page("community:organisation-list", get="200 200 200 200 200 200 200 302"),
    page(
        "community:organisation-create",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page(
        "community:organisation-edit",
        "community_organisation",
        get=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page("community:project-list", get="200 200 200 200 200 200 200 302"),
    page(
        "community:project-create",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page(
        "community:project-detail",
        "governance_project",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "community:project-stage",
        "governance_project",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 400 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "community:project-meeting",
        "governance_project",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 400 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page("community:meal-home", get="403 403 403 403 200 200 403 302"),
    page(
        "community:meal-enrol",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page(
        "community:meal-roll-call",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page(
        "community:meal-activity-record",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
]


def _last_month_key() -> str:
    import datetime

    from django.utils import timezone

    return f"{(timezone.localdate().replace(day=1) - datetime.timedelta(days=1)):%Y-%m}"


def _settlement_of(side) -> dict:
    return {"station": side.station.pk, "month": _last_month_key(), "funder": "city"}


# The meal programme's money (community/urls_canteen.py, docs/meals.md).
CANTEEN = [
    page(
        "canteen:check-in",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page("canteen:cards", get="403 403 403 403 200 200 403 302"),
    page(
        "canteen:card",
        "meal_enrolment",
        get=("200 404 404 404 200 200 404 302", "200 404 404 404 404 404 404 302"),
        post=("403 404 404 404 302 302 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "canteen:eligibility",
        "meal_enrolment",
        get=("403 404 404 404 200 200 404 302", "403 404 404 404 404 404 404 302"),
        post=("403 404 404 404 200 200 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page("canteen:settlements", get="200 200 200 200 200 200 404 302"),
    page(
        "canteen:settlement",
        _settlement_of,
        get=("200 200 200 200 200 200 404 302", "200 200 404 404 404 404 404 302"),
        post=("403 403 403 403 302 403 404 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "canteen:settlement-adjust",
        _settlement_of,
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("404 404 404 404 404 404 404 302", "404 404 404 404 404 404 404 302"),
    ),
    page(
        "canteen:settlement-export",
        _settlement_of,
        get=("200 200 200 200 200 200 404 302", "200 200 404 404 404 404 404 302"),
    ),
]


def _volunteer_token(side) -> str:
    from shegong.community.volunteer_public import volunteer_link

    return volunteer_link(side.volunteer).split("/")[-2]


def _public_path(side, helper: str, obj) -> str:
    """The signed value in the path a volunteer_public helper builds for `obj`."""
    from shegong.community import volunteer_public

    return getattr(volunteer_public, helper)(obj).split("/")[-2]


# Community activities and the time bank (community/activity_urls.py), and the
# volunteers' and residents' public pages (community/volunteer_public_urls.py):
# no log-in, each takes a secret token (the activity's, the sign-up's) or the
# volunteer's signed link, and answers every role alike.
ACTIVITIES = [
    page("activities:list", get="200 200 200 200 200 200 200 302"),
    page(
        "activities:create",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page(
        "activities:detail",
        "activity",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "activities:close",
        "activity",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 302 302 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "activities:checkin-decide",
        "activity_checkin",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 302 302 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "activities:time-bank",
        "volunteer",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "activities:redeem",
        "volunteer",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 400 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "activities:donate",
        "volunteer",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 400 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "activities:certificate",
        "volunteer",
        get=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "volunteer-public:checkin",
        lambda s: {"activity_token": _public_path(s, "checkin_path", s.activity)},
        public=True,
        get=("200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200"),
        post=("400 400 400 400 400 400 400 400", "400 400 400 400 400 400 400 400"),
    ),
    page(
        "volunteer-public:resident-signup",
        lambda s: {"activity_token": _public_path(s, "join_path", s.activity)},
        public=True,
        get=("200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200"),
        post=("400 400 400 400 400 400 400 400", "400 400 400 400 400 400 400 400"),
    ),
    page(
        "volunteer-public:signup",
        lambda s: {"token": _public_path(s, "signup_path", s.resident_signup)},
        public=True,
        get=("200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200"),
        post=("302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302"),
    ),
    page(
        "volunteer-public:home",
        lambda s: {"token": _volunteer_token(s)},
        public=True,
        get=("200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200"),
    ),
    page(
        "volunteer-public:late-entry",
        lambda s: {"token": _volunteer_token(s)},
        public=True,
        get=("405 405 405 405 405 405 405 405", "405 405 405 405 405 405 405 405"),
        post=("400 400 400 400 400 400 400 400", "400 400 400 400 400 400 400 400"),
    ),
    page(
        "volunteer-public:sign-up",
        lambda s: {
            "token": _volunteer_token(s),
            "activity_token": _public_path(s, "join_path", s.activity),
        },
        public=True,
        get=("405 405 405 405 405 405 405 405", "405 405 405 405 405 405 405 405"),
        post=("302 302 302 302 302 302 302 302", "302 302 302 302 302 302 302 302"),
    ),
]

STATS = [
    page("stats:dashboard", get="200 200 200 200 200 200 200 302"),
    page(
        "stats:district",
        "district",
        kwarg="district_pk",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "stats:station",
        "station",
        kwarg="station_pk",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "stats:street",
        "street",
        kwarg="street_pk",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "stats:point",
        "point",
        kwarg="point_pk",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "stats:report",
        kwargs={"name": "monthly", "fmt": "csv"},
        get="200 200 200 200 200 200 200 302",
    ),
    # Every reader may have a report built in the background (then sent to its job).
    page(
        "stats:report-job",
        kwargs={"name": "targets"},
        get="405 405 405 405 405 405 405 302",
        post="302 302 302 302 302 302 302 302",
    ),
]

# --- Apps merged after the matrix (generated from recorded rows, then reviewed) ---
# BEGIN NEW APPS
ACCOUNTS_OTP = [
    page(
        "accounts:otp-enrol",
        get="200 200 200 200 200 200 200 302",
        post="400 400 400 400 400 400 400 302",
    ),
    page("accounts:otp-verify", get="302 302 302 302 302 302 302 302"),
]

AUDIT = [
    page("core:audit-log", get="200 200 403 403 200 403 403 302"),
    # Each account's own jobs (administrators: also the system's scheduled runs).
    page("core:job-list", get="200 200 200 200 200 200 200 302"),
    # A job is its owner's alone (the side's worker): everyone else 404.
    page(
        "core:job-detail",
        obj="job",
        get=("404 404 404 404 404 200 404 302", "404 404 404 404 404 404 404 302"),
    ),
    page(
        "core:job-progress",
        obj="job",
        get=("404 404 404 404 404 200 404 302", "404 404 404 404 404 404 404 302"),
    ),
    page(
        "core:job-retry",
        obj="job",
        post=("404 404 404 404 404 302 404 302", "404 404 404 404 404 404 404 302"),
    ),
    # The side's job is a failed import: it has no file, even for its owner.
    page("core:job-file", obj="job", get=("404 404 404 404 404 404 404 302",) * 2),
]

CASE_LIBRARY = [
    page(
        "cases:case-nominate",
        "closed_case",
        get=("403 403 403 403 200 403 404 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 200 403 404 302", "403 403 404 404 404 404 404 302"),
    ),
    page("cases:library-list", get="200 200 200 200 200 200 200 302"),
    page("cases:library-queue", get="200 200 403 403 403 403 403 302"),
    page(
        "cases:library-detail",
        "library_case",
        get=("200 200 404 404 200 404 404 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "cases:library-detail",
        "published_library_case",
        get=("200 200 200 200 200 200 200 302", "200 200 200 200 200 200 200 302"),
    ),
    page(
        "cases:library-edit",
        "library_case",
        get=("403 403 404 404 200 404 404 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 404 404 200 404 404 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "cases:library-publish",
        "library_case",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("302 302 404 404 403 404 404 302", "302 302 404 404 404 404 404 302"),
    ),
    page(
        "cases:library-return",
        "library_case",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 400 404 404 403 404 404 302", "400 400 404 404 404 404 404 302"),
    ),
]

CONTRACTS = [
    page("contracts:overview", get="200 200 200 200 200 403 403 302"),
    page("contracts:export", kwargs={"fmt": "xlsx"}, get="200 200 200 200 200 403 403 302"),
    page(
        "contracts:tender-create",
        get="200 200 200 403 403 403 403 302",
        post="400 400 400 403 403 403 403 302",
    ),
    page(
        "contracts:tender-detail",
        "tender",
        get=("200 200 200 200 200 404 404 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "contracts:bid-add",
        "tender",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 400 400 403 403 404 404 302", "400 400 404 404 404 404 404 302"),
    ),
    page(
        "contracts:tender-award",
        "tender",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 400 400 403 403 404 404 302", "400 400 404 404 404 404 404 302"),
    ),
    page(
        "contracts:contract-detail",
        "contract",
        get=("200 200 200 200 200 404 404 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "contracts:contract-export",
        "contract",
        kwargs={"fmt": "xlsx"},
        get=("200 200 200 200 200 404 404 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "contracts:terms-create",
        "contract",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 400 400 403 403 404 404 302", "400 400 404 404 404 404 404 302"),
    ),
    page(
        "contracts:result-record",
        "contract",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 400 400 403 403 404 404 302", "400 400 404 404 404 404 404 302"),
    ),
    page(
        "contracts:acceptance-record",
        "contract",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 403 403 403 403 404 404 302", "400 403 404 404 404 404 404 302"),
    ),
    page(
        "contracts:instalment-pay",
        "contract",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 400 400 403 403 404 404 302", "400 400 404 404 404 404 404 302"),
    ),
    page(
        "contracts:spending-add",
        "contract",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 403 403 400 400 404 404 302", "400 403 404 404 404 404 404 302"),
    ),
    page(
        "contracts:renewal-decide",
        "contract",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 400 400 403 403 404 404 302", "400 400 404 404 404 404 404 302"),
    ),
]

WORKFORCE = [
    page("workforce:staffing", get="200 200 200 200 302 302 200 302"),
    page("workforce:staffing-export", kwargs={"fmt": "csv"}, get="200 200 200 200 200 403 200 302"),
    page("workforce:my-profile", get="200 200 200 200 200 302 200 302"),
    page(
        "workforce:station",
        "station",
        get=("200 200 200 200 200 403 200 302", "200 200 404 404 404 404 404 302"),
    ),
    # Service hours and personnel share: as the station's staffing page.
    page(
        "workforce:station-hours",
        "station",
        get=("200 200 200 200 200 403 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "workforce:station-hours-export",
        "station",
        kwargs={"fmt": "csv"},
        get=("200 200 200 200 200 403 200 302", "200 200 404 404 404 404 404 302"),
    ),
    # The pay table: everyone reads it, the city keeps it.
    page(
        "workforce:pay-table",
        get="200 200 200 200 200 200 200 302",
        post="400 400 403 403 403 403 403 302",
    ),
    page(
        "workforce:profile-create",
        "station",
        get=("200 403 403 200 200 403 403 302", "200 403 404 404 404 404 404 302"),
        post=("200 403 403 200 200 403 403 302", "200 403 404 404 404 404 404 302"),
    ),
    page(
        "workforce:profile-detail",
        "staff_profile",
        get=("200 200 200 200 200 200 404 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "workforce:profile-edit",
        "staff_profile",
        get=("200 403 403 200 200 403 404 302", "200 403 404 404 404 404 404 302"),
        post=("200 403 403 200 200 403 404 302", "200 403 404 404 404 404 404 302"),
    ),
    page(
        "workforce:training-add",
        "staff_profile",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 403 403 400 400 403 404 302", "400 403 404 404 404 404 404 302"),
    ),
    page(
        "workforce:supervision-add",
        "staff_profile",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 403 403 400 400 403 404 302", "400 403 404 404 404 404 404 302"),
    ),
]

EVALUATION = [
    page("evaluation:round-list", get="200 200 200 200 200 403 200 302"),
    page(
        "evaluation:round-create",
        get="200 200 403 403 403 403 403 302",
        post="200 200 403 403 403 403 403 302",
    ),
    page(
        "evaluation:round-detail",
        "round",
        get=("200 200 200 404 404 404 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:round-export",
        "round",
        get=("200 200 200 404 404 404 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:round-group-add",
        "round",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 400 403 404 404 404 403 302", "400 400 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:round-indicator-add",
        "round",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 400 403 404 404 404 403 302", "400 400 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:round-assign",
        "round",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 400 403 404 404 404 403 302", "400 400 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:round-transition",
        "round",
        kwargs={"action": "finalise"},
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("302 302 403 404 404 404 403 302", "302 302 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:assignment-remove",
        "assignment",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("302 302 403 403 403 404 403 302", "302 302 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:sheet-detail",
        "sheet",
        get=("200 200 200 404 404 404 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:sheet-pdf",
        "sheet",
        get=("200 200 200 404 404 404 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:sheet-score",
        "sheet",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 404 404 404 400 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:sheet-evidence",
        "sheet",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 404 404 404 400 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:sheet-submit",
        "sheet",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 404 404 404 302 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:sheet-reply",
        "sheet",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 404 404 404 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:evidence-download",
        "evidence",
        get=("200 200 200 404 404 404 200 302", "200 200 404 404 404 404 404 302"),
    ),
    # The verification sample: the assigned evaluator draws, reveals and records;
    # officials read it; the evaluated station never sees who was sampled.
    page(
        "evaluation:sample-detail",
        "sheet",
        get=("200 200 200 404 404 404 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:sample-draw",
        "sheet",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 404 404 404 400 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:sample-export",
        "sheet",
        get=("200 200 200 404 404 404 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:sample-entry-reveal",
        "sample_entry",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 404 404 404 302 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:sample-entry-record",
        "sample_entry",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 404 404 404 400 302", "403 403 404 404 404 404 404 302"),
    ),
    page("evaluation:inspection-list", get="200 200 200 200 200 200 403 302"),
    page(
        "evaluation:inspection-create",
        get="200 200 200 403 403 403 403 302",
        post="200 200 200 403 403 403 403 302",
    ),
    page(
        "evaluation:inspection-detail",
        "inspection",
        get=("200 200 200 200 200 404 404 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:inspection-pdf",
        "inspection",
        get=("200 200 200 200 200 404 404 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:rectification-add",
        "inspection",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("400 400 400 403 403 404 404 302", "400 400 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:rectification-detail",
        "rectification",
        get=("200 200 200 200 200 200 404 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:rectification-submit",
        "rectification",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 400 404 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:rectification-evidence",
        "rectification",
        get=("404 404 404 404 404 404 404 302", "404 404 404 404 404 404 404 302"),
    ),
    page(
        "evaluation:rectification-decide",
        "rectification",
        kwargs={"decision": "accept"},
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("302 302 302 403 403 403 404 302", "302 302 404 404 404 404 404 302"),
    ),
]

SURVEYS = [
    page("surveys:list", get="200 200 200 200 200 200 200 302"),
    page("surveys:create", get="403 200 403 403 200 403 403 302"),
    page("surveys:satisfaction", get="200 200 200 200 200 200 200 302"),
    page(
        "surveys:detail",
        "survey",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "surveys:edit",
        "survey",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "surveys:question-add",
        "survey",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 400 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "surveys:publish",
        "survey",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 302 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "surveys:close",
        "published_survey",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 302 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "surveys:new-version",
        "published_survey",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 302 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "surveys:qr",
        "published_survey",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "surveys:poster",
        "published_survey",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "surveys:poster-pdf",
        "published_survey",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "surveys:paper",
        "published_survey",
        get=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "surveys:results",
        "published_survey",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "surveys:attach-plan",
        "survey",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 302 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "surveys:question-edit",
        "question",
        get=("403 403 403 403 200 403 403 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 400 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "surveys:question-delete",
        "question",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 302 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "surveys:question-move",
        "question",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 302 403 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "surveys-public:answer",
        lambda s: {"token": s.public_survey.token},
        public=True,
        get=("200 200 200 200 200 200 200 200", "410 410 410 410 410 410 410 410"),
        post=("400 400 400 400 400 400 400 400", "410 410 410 410 410 410 410 410"),
    ),
    page(
        "surveys-public:answer",
        lambda s: {"token": s.survey.token},
        public=True,
        get=("404 404 404 404 404 404 404 404", "404 404 404 404 404 404 404 404"),
        post=("404 404 404 404 404 404 404 404", "404 404 404 404 404 404 404 404"),
    ),
    page(
        "surveys-public:thanks",
        lambda s: {"token": s.public_survey.token},
        public=True,
        get=("200 200 200 200 200 200 200 200", "200 200 200 200 200 200 200 200"),
    ),
    page(
        "surveys-public:thanks",
        lambda s: {"token": s.survey.token},
        public=True,
        get=("404 404 404 404 404 404 404 404", "404 404 404 404 404 404 404 404"),
    ),
]

API_NEW = [
    api("signoff-list", get="200 200 200 200 200 200 200 401"),
    api(
        "signoff-detail",
        "signoff",
        get=("404 404 404 404 200 200 404 401", "404 404 404 404 404 404 404 401"),
    ),
    api(
        "signoff-approve",
        "signoff",
        write=("404 404 404 404 200 403 404 401", "404 404 404 404 404 404 404 401"),
    ),
    api(
        "signoff-return-",
        "signoff",
        write=("404 404 404 404 400 403 404 401", "404 404 404 404 404 404 404 401"),
    ),
    api("signoffsetting-list", get="200 200 200 200 200 200 200 401"),
    api(
        "signoffsetting-detail",
        "signoff_setting",
        get=("200 404 404 404 200 200 404 401", "200 404 404 404 404 404 404 401"),
    ),
    api("signoffsetting-mine", write="403 403 403 403 200 403 403 401"),
    api(
        "casedocument-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "casedocument-detail",
        "case_document",
        get=("404 404 404 404 200 200 404 401", "404 404 404 404 404 404 404 401"),
        write=("404 404 404 404 204 204 404 401", "404 404 404 404 404 404 404 401"),
    ),
    api(
        "casedocument-download",
        "case_document",
        get=("404 404 404 404 200 200 404 401", "404 404 404 404 404 404 404 401"),
    ),
    # Scored assessment tools 评估量表: the tools are reference data (every
    # account); their scores are case content (404 for whoever does not read it).
    api("instrument-list", get="200 200 200 200 200 200 200 401"),
    api(
        "instrument-detail",
        _barthel,
        get=("200 200 200 200 200 200 200 401", "200 200 200 200 200 200 200 401"),
    ),
    api(
        "instrumentscore-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "instrumentscore-detail",
        "instrument_score",
        get=("404 404 404 404 200 200 404 401", "404 404 404 404 404 404 404 401"),
    ),
    api("workforce-staffing", get="200 200 200 200 200 403 200 401"),
    api("payrate-list", get="200 200 200 200 200 200 200 401"),
    api(
        "payrate-detail",
        "pay_rate",
        get=("200 200 200 200 200 200 200 401", "200 200 200 200 200 200 200 401"),
    ),
    api(
        "workforce-service-hours",
        "station",
        get=("200 200 200 200 200 403 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "librarycase-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 403 403 401",
    ),
    api(
        "librarycase-detail",
        "library_case",
        get=("200 200 404 404 200 404 404 401", "200 200 404 404 404 404 404 401"),
        write=("403 403 404 404 400 404 404 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "librarycase-publish",
        "library_case",
        write=("200 200 404 404 403 404 404 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "librarycase-return-",
        "library_case",
        write=("400 400 404 404 403 404 404 401", "400 400 404 404 404 404 404 401"),
    ),
    api(
        "librarycase-submit",
        "library_case",
        write=("403 403 404 404 400 404 404 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "librarycase-detail",
        "published_library_case",
        get=("200 200 200 200 200 200 200 401", "200 200 200 200 200 200 200 401"),
        write=("403 403 403 403 400 403 403 401", "403 403 403 403 403 403 403 401"),
    ),
    api("auditentry-list", get="200 200 200 200 200 200 200 401"),
    api(
        "auditentry-detail",
        "audit_entry",
        get=("200 200 404 404 200 404 404 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "staffprofile-list",
        get="200 200 200 200 200 200 200 401",
        write="400 403 403 400 400 403 403 401",
    ),
    api(
        "staffprofile-detail",
        "staff_profile",
        get=("200 200 200 200 200 200 404 401", "200 200 404 404 404 404 404 401"),
        write=("200 403 403 200 200 403 404 401", "200 403 404 404 404 404 404 401"),
    ),
    api(
        "trainingrecord-list",
        get="200 200 200 200 200 200 200 401",
        write="400 403 403 400 400 403 403 401",
    ),
    api(
        "trainingrecord-detail",
        "training_record",
        get=("200 200 200 200 200 200 404 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "supervisionrecord-list",
        get="200 200 200 200 200 200 200 401",
        write="400 403 403 400 400 403 403 401",
    ),
    api(
        "supervisionrecord-detail",
        "supervision_record",
        get=("200 200 200 200 200 200 404 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "evaluationround-list",
        get="200 200 200 200 200 200 200 401",
        write="400 400 403 403 403 403 403 401",
    ),
    api(
        "evaluationround-detail",
        "round",
        get=("200 200 200 404 404 404 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "evaluationround-finalise",
        "round",
        write=("400 400 403 404 404 404 403 401", "400 400 404 404 404 404 404 401"),
    ),
    api(
        "evaluationround-open",
        "round",
        write=("400 400 403 404 404 404 403 401", "400 400 404 404 404 404 404 401"),
    ),
    api(
        "evaluationround-results",
        "round",
        get=("200 200 200 404 404 404 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "roundassignment-list",
        get="200 200 200 200 200 200 200 401",
        write="400 400 403 403 403 403 403 401",
    ),
    api(
        "roundassignment-detail",
        "assignment",
        get=("200 200 200 200 200 404 200 401", "200 200 404 404 404 404 404 401"),
        write=("204 204 403 403 403 404 403 401", "204 204 404 404 404 404 404 401"),
    ),
    api("stationevaluation-list", get="200 200 200 200 200 200 200 401"),
    api(
        "stationevaluation-detail",
        "sheet",
        get=("200 200 200 404 404 404 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "stationevaluation-evidence",
        "sheet",
        write=("403 403 403 404 404 404 400 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "stationevaluation-reply",
        "sheet",
        write=("403 403 403 404 404 404 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "stationevaluation-scores",
        "sheet",
        write=("403 403 403 404 404 404 400 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "stationevaluation-submit",
        "sheet",
        write=("403 403 403 404 404 404 200 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "clientsample-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 403 403 400 401",
    ),
    api(
        "clientsample-detail",
        "sample",
        get=("200 200 200 404 404 404 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api("sampleentry-list", get="200 200 200 200 200 200 200 401"),
    api(
        "sampleentry-detail",
        "sample_entry",
        get=("200 200 200 404 404 404 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "sampleentry-reveal",
        "sample_entry",
        write=("403 403 403 404 404 404 400 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "sampleentry-record",
        "sample_entry",
        write=("403 403 403 404 404 404 400 401", "403 403 404 404 404 404 404 401"),
    ),
    api("indicatorscore-list", get="200 200 200 200 200 200 200 401"),
    api(
        "indicatorscore-detail",
        "indicator_score",
        get=("200 200 200 404 404 404 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api("evidence-list", get="200 200 200 200 200 200 200 401"),
    api(
        "evidence-detail",
        "evidence",
        get=("200 200 200 404 404 404 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "inspection-list",
        get="200 200 200 200 200 200 200 401",
        write="400 400 400 403 403 403 403 401",
    ),
    api(
        "inspection-detail",
        "inspection",
        get=("200 200 200 200 200 404 404 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "rectification-list",
        get="200 200 200 200 200 200 200 401",
        write="400 400 400 403 403 403 403 401",
    ),
    api(
        "rectification-accept",
        "rectification",
        write=("400 400 400 403 403 403 404 401", "400 400 404 404 404 404 404 401"),
    ),
    api(
        "rectification-detail",
        "rectification",
        get=("200 200 200 200 200 200 404 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "rectification-reject",
        "rectification",
        write=("400 400 400 403 403 403 404 401", "400 400 404 404 404 404 404 401"),
    ),
    api(
        "rectification-submit",
        "rectification",
        write=("403 403 403 403 400 400 404 401", "403 403 404 404 404 404 404 401"),
    ),
    api("rectificationalert-list", get="200 200 200 200 200 200 200 401"),
    api(
        "rectificationalert-detail",
        "rectification_alert",
        get=("200 200 200 200 200 200 404 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "survey-list",
        get="200 200 200 200 200 200 200 401",
        # Superusers edit the city's templates but create no survey.
        write="403 400 403 403 400 403 403 401",
    ),
    api(
        "survey-close",
        "published_survey",
        write=("403 403 403 403 200 403 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "survey-detail",
        "survey",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api("survey-from-template", write="403 400 403 403 400 403 403 401"),
    api(
        "survey-new-version",
        "published_survey",
        write=("403 403 403 403 201 403 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "survey-publish",
        "survey",
        write=("403 403 403 403 200 403 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "survey-results",
        "published_survey",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "question-list",
        get="200 200 200 200 200 200 200 401",
        write="400 400 403 403 400 403 403 401",
    ),
    api(
        "question-detail",
        "question",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
]

# END NEW APPS

# --- API --------------------------------------------------------------------------


def _terms_of(side) -> dict:
    return {"pk": side.contract.terms.pk}


def _mid_term_of(side) -> dict:
    """The side's contract's second instalment (the mid-term milestone)."""
    return {"pk": side.contract.terms.pk, "sequence": 2}


API = [
    api(
        "tender-list",
        get="200 200 200 200 200 200 200 401",
        write="400 400 400 403 403 403 403 401",
    ),
    api(
        "tender-detail",
        "tender",
        get=("200 200 200 200 200 404 404 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "tender-bids",
        "tender",
        write=("400 400 400 403 403 404 404 401", "400 400 404 404 404 404 404 401"),
    ),
    api(
        "tender-award",
        "tender",
        write=("400 400 400 403 403 404 404 401", "400 400 404 404 404 404 404 401"),
    ),
    api(
        "contractterms-list",
        get="200 200 200 200 200 200 200 401",
        write="400 400 400 403 403 403 403 401",
    ),
    api(
        "contractterms-detail",
        _terms_of,
        get=("200 200 200 200 200 404 404 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "contractterms-instalment-result",
        _mid_term_of,
        write=("400 400 400 403 403 404 404 401", "400 400 404 404 404 404 404 401"),
    ),
    api(
        "contractterms-instalment-accept",
        _mid_term_of,
        write=("400 403 403 403 403 404 404 401", "400 403 404 404 404 404 404 401"),
    ),
    api(
        "contractterms-instalment-pay",
        _mid_term_of,
        write=("400 400 400 403 403 404 404 401", "400 400 404 404 404 404 404 401"),
    ),
    api(
        "contractterms-spending",
        _terms_of,
        write=("400 403 403 400 400 404 404 401", "400 403 404 404 404 404 404 401"),
    ),
    api(
        "contractterms-renewal",
        _terms_of,
        write=("400 400 400 403 403 404 404 401", "400 400 404 404 404 404 404 401"),
    ),
    api(
        "contractterms-renewal-next-contract",
        _terms_of,
        write=("400 400 400 403 403 404 404 401", "400 400 404 404 404 404 404 401"),
    ),
    api("schema", get="200 200 200 200 200 200 200 200"),
    api("docs", get="200 200 200 200 200 200 200 200"),
    api("token", write="400 400 400 400 400 400 400 400"),
    api("api-root", get="200 200 200 200 200 200 200 401"),
    api("stats-person-times", get="200 200 200 200 200 200 200 401"),
    api("meal-roll-calls", write="403 403 403 403 400 400 403 401"),
    api("district-list", get="200 200 200 200 200 200 200 401"),
    api(
        "district-detail",
        "district",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api("street-list", get="200 200 200 200 200 200 200 401"),
    api(
        "street-detail",
        "street",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "agency-list",
        get="200 200 200 200 200 200 200 401",
        write="400 400 403 403 403 403 403 401",
    ),
    api(
        "agency-detail",
        "agency",
        get=("200 200 200 200 200 200 200 401", "200 200 200 404 404 404 404 401"),
        write={
            "put": ("400 400 403 403 403 403 403 401", "400 400 403 404 404 404 404 401"),
            "patch": ("200 200 403 403 403 403 403 401", "200 200 403 404 404 404 404 401"),
        },
    ),
    api(
        "station-list",
        get="200 200 200 200 200 200 200 401",
        write="400 400 400 403 403 403 403 401",
    ),
    api(
        "station-detail",
        "station",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
        write={
            "put": ("400 400 400 403 403 403 403 401", "400 400 404 404 404 404 404 401"),
            "patch": ("200 200 200 403 403 403 403 401", "200 200 404 404 404 404 404 401"),
        },
    ),
    api(
        "servicepoint-list",
        get="200 200 200 200 200 200 200 401",
        write="400 400 400 403 400 403 403 401",
    ),
    api(
        "servicepoint-detail",
        "point",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
        write={
            "put": ("405 405 405 405 405 405 405 401", "405 405 405 405 405 405 405 401"),
            "patch": ("200 200 200 403 200 403 403 401", "200 200 404 404 404 404 404 401"),
            "delete": ("405 405 405 405 405 405 405 401", "405 405 405 405 405 405 405 401"),
        },
    ),
    api("specialproject-list", get="200 200 200 200 200 200 200 401"),
    api(
        "specialproject-detail",
        "special_project",
        get=("200 200 404 200 404 404 404 401", "200 200 404 404 404 404 404 401"),
        write={
            "put": ("400 400 404 403 404 404 404 401", "400 400 404 404 404 404 404 401"),
            "patch": ("200 200 404 403 404 404 404 401", "200 200 404 404 404 404 404 401"),
        },
    ),
    api(
        "contract-list",
        get="200 200 200 200 200 200 200 401",
        write="400 400 400 403 403 403 403 401",
    ),
    api(
        "contract-detail",
        "contract",
        get=("200 200 200 200 200 404 404 401", "200 200 404 404 404 404 404 401"),
        write={
            "put": ("400 400 400 403 403 404 404 401", "400 400 404 404 404 404 404 401"),
            "patch": ("200 200 200 403 403 404 404 401", "200 200 404 404 404 404 404 401"),
        },
    ),
    api("user-list", get="200 200 200 200 200 200 200 401"),
    api("user-me", get="200 200 200 200 200 200 200 401"),
    api(
        "user-detail",
        "worker",
        get=("200 200 200 200 200 200 404 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "resident-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "resident-detail",
        "resident",
        get=("200 404 404 404 200 200 404 401", "200 404 404 404 404 404 404 401"),
        write=("403 404 404 404 400 400 404 401", "403 404 404 404 404 404 404 401"),
    ),
    api(
        "resident-merge",
        "resident",
        write=("403 404 404 404 400 403 404 401", "403 404 404 404 404 404 404 401"),
    ),
    api(
        "resident-reveal-id",
        "resident",
        write=("403 404 404 404 403 200 404 401", "403 404 404 404 404 404 404 401"),
    ),
    api(
        "household-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "household-detail",
        "household",
        get=("200 404 404 404 200 200 404 401", "200 404 404 404 404 404 404 401"),
    ),
    api(
        "consent-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "consent-detail",
        "consent",
        get=("200 404 404 404 200 200 404 401", "200 404 404 404 404 404 404 401"),
    ),
    api(
        "clientstatus-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "clientstatus-detail",
        "client_status",
        get=("200 404 404 404 200 200 404 401", "200 404 404 404 404 404 404 401"),
    ),
    api(
        "clientstatus-end",
        "client_status",
        write=("403 404 404 404 200 200 404 401", "403 404 404 404 404 404 404 401"),
    ),
    # A resident's own documents (clients.documents): as the pages above.
    api(
        "residentdocument-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "residentdocument-detail",
        "resident_document",
        get=("404 404 404 404 200 200 404 401", "404 404 404 404 404 404 404 401"),
        write=("404 404 404 404 204 204 404 401", "404 404 404 404 404 404 404 401"),
    ),
    api(
        "residentdocument-download",
        "resident_document",
        get=("404 404 404 404 200 200 404 401", "404 404 404 404 404 404 404 401"),
    ),
    api(
        "residenttag-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "residenttag-detail",
        "tag",
        get=("200 404 404 404 200 200 404 401", "200 404 404 404 404 404 404 401"),
    ),
    api(
        "residenttag-end",
        "tag",
        write=("403 404 404 404 200 200 404 401", "403 404 404 404 404 404 404 401"),
    ),
    api(
        "case-list", get="200 200 200 200 200 200 200 401", write="403 403 403 403 400 400 403 401"
    ),
    api(
        "case-detail",
        "case",
        get=("200 200 200 200 200 200 404 401", "200 200 404 404 404 404 404 401"),
    ),
    *[
        # Only the assigned workers and the director work on a case: 403 for the
        # others who may read it (the superuser too), before the input is read.
        api(
            f"case-{action}",
            "case",
            write=("403 403 403 403 400 400 404 401", "403 403 404 404 404 404 404 401"),
        )
        for action in ("assess", "assign", "close", "notes", "plan", "refer", "reopen", "review")
    ],
    api(
        "observation-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "observation-detail",
        "observation",
        get=("200 404 404 404 200 200 404 401", "200 404 404 404 404 404 404 401"),
    ),
    api("alert-list", get="200 200 200 200 200 200 200 401"),
    api(
        "alert-detail",
        "alert",
        get=("200 404 404 404 200 200 404 401", "200 404 404 404 404 404 404 401"),
    ),
    api(
        "alert-acknowledge",
        "alert",
        write=("403 404 404 404 200 200 404 401", "403 404 404 404 404 404 404 401"),
    ),
    api(
        "alert-resolve",
        "alert",
        write=("403 404 404 404 400 400 404 401", "403 404 404 404 404 404 404 401"),
    ),
    api(
        "alertrule-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 403 403 401",
    ),
    api("alertrule-effective", get="200 200 200 200 200 200 200 401"),
    api(
        "alertrule-detail",
        "alert_rule",
        get=("200 404 404 404 200 200 404 401", "200 404 404 404 404 404 404 401"),
        write=("403 404 404 404 400 403 404 401", "403 404 404 404 404 404 404 401"),
    ),
    api("accesslog-list", get="200 200 200 200 200 200 200 401"),
    api(
        "accesslog-detail",
        "access_log",
        get=("200 200 404 404 200 404 404 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "annualplan-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 403 403 401",
    ),
    api(
        "annualplan-detail",
        "plan",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
        write=("403 403 403 403 400 403 403 401", "403 403 404 404 404 404 404 401"),
    ),
    # Who may act is checked before the input is read (core.permissions): copying
    # is the director's (a create), approving and returning the officials'
    # (the plan scope's "decide"); the superuser reads plans but acts on none.
    api(
        "annualplan-copy",
        "plan",
        write=("403 403 403 403 400 403 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "annualplan-submit",
        "plan",
        write=("403 403 403 403 400 403 403 401", "403 403 404 404 404 404 404 401"),
    ),
    # The district (and city) decide; the empty body lacks the decision's fields
    # (approve: the stored plan is not submitted).
    api(
        "annualplan-approve",
        "plan",
        write=("403 400 400 403 403 403 403 401", "403 400 404 404 404 404 404 401"),
    ),
    api(
        "annualplan-return",
        "plan",
        write=("403 400 400 403 403 403 403 401", "403 400 404 404 404 404 404 401"),
    ),
    api(
        "planproject-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 403 403 401",
    ),
    api(
        "planproject-detail",
        "plan_project",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
        write=("403 403 403 403 400 403 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "planproject-targets",
        "plan_project",
        write=("403 403 403 403 200 403 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "serviceevent-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "serviceevent-detail",
        "event",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
        write={
            "patch": ("403 403 403 403 400 400 403 401", "403 403 404 404 404 404 404 401"),
            "delete": ("403 403 403 403 204 204 403 401", "403 403 404 404 404 404 404 401"),
        },
    ),
    api(
        "group-list", get="200 200 200 200 200 200 200 401", write="403 403 403 403 400 400 403 401"
    ),
    api(
        "group-detail",
        "group",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "group-sessions",
        "group",
        write=("403 403 403 403 400 400 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "volunteer-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api("volunteer-totals", get="404 404 404 404 200 200 404 401"),
    api(
        "volunteer-detail",
        "volunteer",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
        write=("403 403 403 403 200 200 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "volunteer-service",
        "volunteer",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "volunteerteam-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "volunteerteam-detail",
        "team",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "volunteerteam-members",
        "team",
        write=("403 403 403 403 400 400 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "volunteersignup-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "volunteersignup-detail",
        "signup",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "volunteersignup-cancel",
        "signup",
        write=("403 403 403 403 200 200 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "partyorganisation-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "partyorganisation-detail",
        "party_organisation",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "partymember-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "partymember-detail",
        "party_member",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "communityorganisation-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "communityorganisation-detail",
        "community_organisation",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
        write=("403 403 403 403 200 200 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "governanceproject-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "governanceproject-detail",
        "governance_project",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "governanceproject-stage",
        "governance_project",
        write=("403 403 403 403 400 400 403 401", "403 403 404 404 404 404 404 401"),
    ),
    api(
        "deliberationmeeting-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "deliberationmeeting-detail",
        "meeting",
        get=("200 200 200 200 200 200 200 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "mealenrolment-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "mealenrolment-detail",
        "meal_enrolment",
        get=("200 404 404 404 200 200 404 401", "200 404 404 404 404 404 404 401"),
    ),
    api("mealrecord-list", get="200 200 200 200 200 200 200 401"),
    api(
        "mealrecord-detail",
        "meal_record",
        get=("200 404 404 404 200 200 404 401", "200 404 404 404 404 404 404 401"),
    ),
]

# --- Admin --------------------------------------------------------------------------

# Which record of a side each admin model's object pages open; models absent
# here (no record in the fixtures) open a missing id.
ADMIN_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "accounts.user": lambda s: s.worker,
    "org.district": lambda s: s.district,
    "org.street": lambda s: s.street,
    "org.agency": lambda s: s.agency,
    "org.station": lambda s: s.station,
    "org.servicepoint": lambda s: s.point,
    "org.contract": lambda s: s.contract,
    "otp_totp.totpdevice": lambda s: s.totp_device,
    "core.auditentry": lambda s: s.audit_entry,
    "workforce.staffprofile": lambda s: s.staff_profile,
    "workforce.trainingrecord": lambda s: s.training_record,
    "workforce.supervisionrecord": lambda s: s.supervision_record,
    "evaluation.evaluationround": lambda s: s.round,
    "evaluation.stationevaluation": lambda s: s.sheet,
    "evaluation.roundassignment": lambda s: s.assignment,
    "evaluation.inspection": lambda s: s.inspection,
    "evaluation.rectification": lambda s: s.rectification,
    "evaluation.rectificationalert": lambda s: s.rectification_alert,
    "surveys.survey": lambda s: s.survey,
    "surveys.question": lambda s: s.question,
    "rosters.rostercategory": lambda s: s.roster_entry.category,
}


def _admin_routes() -> list[Route]:
    """Every admin URL, each model's pages included; rows from `ADMIN_ROWS`."""

    def admin_page(key, obj=None, **kw) -> Route:
        rows = ADMIN_ROWS.get(key, QQ if obj else Q)
        return page(key, obj, get=rows, roles=ADMIN_ROLES, **kw)

    routes = [
        admin_page("admin:index"),
        admin_page("admin:login"),
        admin_page("admin:logout", public=True),
        admin_page("admin:password_change"),
        admin_page("admin:password_change_done"),
        admin_page("admin:autocomplete"),
        admin_page("admin:jsi18n"),
        admin_page("admin:app_list", kwargs={"app_label": "org"}),
        admin_page(
            "admin:view_on_site",
            lambda s: {
                "content_type_id": ContentType.objects.get_for_model(s.station).pk,
                "object_id": s.station.pk,
            },
        ),
        admin_page("admin:auth_user_password_change", "worker", kwarg="id"),
        # A worker's authenticator: its secret (config, QR code) is the superuser's only.
        admin_page("admin:otp_totp_totpdevice_config", "totp_device"),
        admin_page("admin:otp_totp_totpdevice_qrcode", "totp_device"),
        Route(
            "admin/(?P<url>.*)$",
            url="/admin/no-such-page/",
            get=ADMIN_ROWS.get("admin/(?P<url>.*)$", Q),
            roles=ADMIN_ROLES,
        ),
    ]
    for model in admin.site._registry:
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        routes.append(admin_page(f"{prefix}_changelist"))
        routes.append(admin_page(f"{prefix}_add"))
        getter = ADMIN_OBJECTS.get(opts.label_lower)
        obj = None if getter is None else (lambda g: lambda s: {"object_id": g(s).pk})(getter)
        kwargs = {} if getter else {"object_id": 999999}
        for page_name in ("change", "history", "delete"):
            routes.append(admin_page(f"{prefix}_{page_name}", obj, kwargs=kwargs))
        # The bare object URL redirects to the change page.
        bare = f"admin/{opts.app_label}/{opts.model_name}/<path:object_id>/"
        routes.append(
            Route(
                bare,
                obj=obj,
                kwargs=kwargs,
                get=ADMIN_ROWS.get(bare, QQ if obj else Q),
                roles=ADMIN_ROLES,
                url=f"/admin/{opts.app_label}/{opts.model_name}/{{object_id}}/",
            )
        )
    return routes


# Admin rows, in the order of `ADMIN_ROLES` (the last column is the staff district
# officer). Non-staff are sent to the admin's log-in page; the staff officer's
# out-of-scope record reads as missing (302 to the admin index).
ADMIN_ROWS: dict[str, Rows] = {
    # The roster categories: read by every account (public), kept by administrators.
    "admin:rosters_rostercategory_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:rosters_rostercategory_add": "200 302 302 302 302 302 302 302 403",
    "admin:rosters_rostercategory_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 200",
    ),
    "admin:rosters_rostercategory_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 200",
    ),
    "admin:rosters_rostercategory_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/rosters/rostercategory/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:auth_group_history": "302 302 302 302 302 302 302 302 302",
    "admin:auth_group_delete": "302 302 302 302 302 302 302 302 403",
    "admin/auth/group/<path:object_id>/": "302 302 302 302 302 302 302 302 302",
    "admin:authtoken_tokenproxy_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:authtoken_tokenproxy_add": "200 302 302 302 302 302 302 302 403",
    "admin:authtoken_tokenproxy_change": "302 302 302 302 302 302 302 302 302",
    "admin:authtoken_tokenproxy_history": "302 302 302 302 302 302 302 302 302",
    "admin:authtoken_tokenproxy_delete": "302 302 302 302 302 302 302 302 403",
    "admin/authtoken/tokenproxy/<path:object_id>/": "302 302 302 302 302 302 302 302 302",
    "admin:axes_accessattempt_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:axes_accessattempt_add": "403 302 302 302 302 302 302 302 403",
    "admin:axes_accessattempt_change": "302 302 302 302 302 302 302 302 302",
    "admin:axes_accessattempt_history": "302 302 302 302 302 302 302 302 302",
    "admin:axes_accessattempt_delete": "302 302 302 302 302 302 302 302 403",
    "admin/axes/accessattempt/<path:object_id>/": "302 302 302 302 302 302 302 302 302",
    "admin:axes_accesslog_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:axes_accesslog_add": "403 302 302 302 302 302 302 302 403",
    "admin:axes_accesslog_change": "302 302 302 302 302 302 302 302 302",
    "admin:axes_accesslog_history": "302 302 302 302 302 302 302 302 302",
    "admin:axes_accesslog_delete": "302 302 302 302 302 302 302 302 403",
    "admin/axes/accesslog/<path:object_id>/": "302 302 302 302 302 302 302 302 302",
    "admin:axes_accessfailurelog_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:axes_accessfailurelog_add": "403 302 302 302 302 302 302 302 403",
    "admin:axes_accessfailurelog_change": "302 302 302 302 302 302 302 302 302",
    "admin:axes_accessfailurelog_history": "302 302 302 302 302 302 302 302 302",
    "admin:axes_accessfailurelog_delete": "302 302 302 302 302 302 302 302 403",
    "admin/axes/accessfailurelog/<path:object_id>/": "302 302 302 302 302 302 302 302 302",
    "admin:accounts_user_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:accounts_user_add": "200 302 302 302 302 302 302 302 403",
    "admin:accounts_user_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:accounts_user_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:accounts_user_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/accounts/user/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:org_city_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:org_city_add": "200 302 302 302 302 302 302 302 403",
    "admin:org_city_change": "302 302 302 302 302 302 302 302 302",
    "admin:org_city_history": "302 302 302 302 302 302 302 302 302",
    "admin:org_city_delete": "403 302 302 302 302 302 302 302 403",
    "admin/org/city/<path:object_id>/": "302 302 302 302 302 302 302 302 302",
    "admin:org_district_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:org_district_add": "200 302 302 302 302 302 302 302 403",
    "admin:org_district_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:org_district_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:org_district_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/org/district/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:org_street_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:org_street_add": "200 302 302 302 302 302 302 302 403",
    "admin:org_street_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:org_street_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:org_street_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/org/street/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:org_community_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:org_community_add": "200 302 302 302 302 302 302 302 403",
    "admin:org_community_change": "302 302 302 302 302 302 302 302 302",
    "admin:org_community_history": "302 302 302 302 302 302 302 302 302",
    "admin:org_community_delete": "403 302 302 302 302 302 302 302 403",
    "admin/org/community/<path:object_id>/": "302 302 302 302 302 302 302 302 302",
    "admin:org_agency_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:org_agency_add": "200 302 302 302 302 302 302 302 403",
    "admin:org_agency_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 200",
    ),
    "admin:org_agency_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 200",
    ),
    "admin:org_agency_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/org/agency/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:org_servicepoint_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:org_servicepoint_add": "200 302 302 302 302 302 302 302 403",
    "admin:org_servicepoint_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:org_servicepoint_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:org_servicepoint_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/org/servicepoint/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:org_station_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:org_station_add": "200 302 302 302 302 302 302 302 403",
    "admin:logout": "405 302 302 302 302 302 302 302 405",
    "admin:index": "200 302 302 302 302 302 302 302 200",
    "admin:org_station_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:login": "302 200 200 200 200 200 200 200 302",
    "admin:org_station_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:password_change": "200 302 302 302 302 302 302 302 200",
    "admin:password_change_done": "200 302 302 302 302 302 302 302 200",
    "admin:org_station_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin:autocomplete": "403 302 302 302 302 302 302 302 403",
    "admin/org/station/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:jsi18n": "200 302 302 302 302 302 302 302 200",
    "admin:app_list": "200 302 302 302 302 302 302 302 200",
    "admin:org_specialproject_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:view_on_site": (
        "404 302 302 302 302 302 302 302 404",
        "404 302 302 302 302 302 302 302 404",
    ),
    "admin:org_specialproject_add": "200 302 302 302 302 302 302 302 403",
    "admin:org_specialproject_change": "302 302 302 302 302 302 302 302 302",
    "admin:org_specialproject_history": "302 302 302 302 302 302 302 302 302",
    "admin:auth_user_password_change": (
        "200 302 302 302 302 302 302 302 403",
        "200 302 302 302 302 302 302 302 404",
    ),
    "admin:org_specialproject_delete": "403 302 302 302 302 302 302 302 403",
    "admin/org/specialproject/<path:object_id>/": "302 302 302 302 302 302 302 302 302",
    "admin/(?P<url>.*)$": "404 302 302 302 302 302 302 302 404",
    "admin:org_contract_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:auth_group_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:org_contract_add": "200 302 302 302 302 302 302 302 403",
    "admin:auth_group_add": "200 302 302 302 302 302 302 302 403",
    "admin:org_contract_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:org_contract_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:auth_group_change": "302 302 302 302 302 302 302 302 302",
    "admin:org_contract_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/org/contract/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    # Apps merged after the matrix. Two-factor devices (their secrets: config, QR
    # code) are the superuser's only, whatever permissions a staff account holds.
    "admin:otp_totp_totpdevice_changelist": "200 302 302 302 302 302 302 302 403",
    "admin:otp_totp_totpdevice_add": "200 302 302 302 302 302 302 302 403",
    "admin:otp_totp_totpdevice_change": (
        "200 302 302 302 302 302 302 302 403",
        "200 302 302 302 302 302 302 302 403",
    ),
    "admin:otp_totp_totpdevice_history": (
        "200 302 302 302 302 302 302 302 403",
        "200 302 302 302 302 302 302 302 403",
    ),
    "admin:otp_totp_totpdevice_delete": (
        "200 302 302 302 302 302 302 302 403",
        "200 302 302 302 302 302 302 302 403",
    ),
    "admin/otp_totp/totpdevice/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:otp_static_staticdevice_changelist": "200 302 302 302 302 302 302 302 403",
    "admin:otp_static_staticdevice_add": "200 302 302 302 302 302 302 302 403",
    "admin:otp_static_staticdevice_change": "302 302 302 302 302 302 302 302 403",
    "admin:otp_static_staticdevice_history": "302 302 302 302 302 302 302 302 302",
    "admin:otp_static_staticdevice_delete": "302 302 302 302 302 302 302 302 403",
    "admin/otp_static/staticdevice/<path:object_id>/": "302 302 302 302 302 302 302 302 302",
    "admin:core_auditentry_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:core_auditentry_add": "403 302 302 302 302 302 302 302 403",
    "admin:core_auditentry_change": (
        "200 302 302 302 302 302 302 302 302",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:core_auditentry_history": (
        "200 302 302 302 302 302 302 302 302",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:core_auditentry_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/core/auditentry/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:workforce_staffprofile_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:otp_totp_totpdevice_config": (
        "200 302 302 302 302 302 302 302 403",
        "200 302 302 302 302 302 302 302 403",
    ),
    "admin:workforce_staffprofile_add": "200 302 302 302 302 302 302 302 403",
    "admin:otp_totp_totpdevice_qrcode": (
        "200 302 302 302 302 302 302 302 403",
        "200 302 302 302 302 302 302 302 403",
    ),
    "admin:workforce_staffprofile_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:workforce_staffprofile_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:workforce_staffprofile_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/workforce/staffprofile/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:workforce_trainingrecord_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:workforce_trainingrecord_add": "200 302 302 302 302 302 302 302 403",
    "admin:workforce_trainingrecord_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_rectification_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:workforce_trainingrecord_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_rectification_add": "403 302 302 302 302 302 302 302 403",
    "admin:workforce_trainingrecord_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/workforce/trainingrecord/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_rectification_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:workforce_supervisionrecord_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:workforce_supervisionrecord_add": "200 302 302 302 302 302 302 302 403",
    "admin:evaluation_rectification_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_rectification_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin:workforce_supervisionrecord_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin/evaluation/rectification/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:workforce_supervisionrecord_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_rectificationalert_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:workforce_supervisionrecord_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin:evaluation_rectificationalert_add": "403 302 302 302 302 302 302 302 403",
    "admin/workforce/supervisionrecord/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_evaluationround_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:evaluation_evaluationround_add": "403 302 302 302 302 302 302 302 403",
    "admin:evaluation_rectificationalert_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_rectificationalert_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_evaluationround_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_rectificationalert_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/evaluation/rectificationalert/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_evaluationround_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:surveys_survey_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:surveys_survey_add": "403 302 302 302 302 302 302 302 403",
    "admin:evaluation_evaluationround_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/evaluation/evaluationround/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:surveys_survey_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_stationevaluation_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:surveys_survey_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_stationevaluation_add": "403 302 302 302 302 302 302 302 403",
    "admin:surveys_survey_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/surveys/survey/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_stationevaluation_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:surveys_question_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:surveys_question_add": "403 302 302 302 302 302 302 302 403",
    "admin:evaluation_stationevaluation_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_stationevaluation_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin:surveys_question_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin/evaluation/stationevaluation/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_roundassignment_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:surveys_question_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_roundassignment_add": "403 302 302 302 302 302 302 302 403",
    "admin:surveys_question_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/surveys/question/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_roundassignment_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:surveys_response_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:surveys_response_add": "403 302 302 302 302 302 302 302 403",
    "admin:surveys_response_change": "302 302 302 302 302 302 302 302 302",
    "admin:evaluation_roundassignment_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:surveys_response_history": "302 302 302 302 302 302 302 302 302",
    "admin:surveys_response_delete": "403 302 302 302 302 302 302 302 403",
    "admin:evaluation_roundassignment_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/evaluation/roundassignment/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_inspection_changelist": "200 302 302 302 302 302 302 302 200",
    "admin:evaluation_inspection_add": "403 302 302 302 302 302 302 302 403",
    "admin/surveys/response/<path:object_id>/": "302 302 302 302 302 302 302 302 302",
    "admin:evaluation_inspection_change": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_inspection_history": (
        "200 302 302 302 302 302 302 302 200",
        "200 302 302 302 302 302 302 302 302",
    ),
    "admin:evaluation_inspection_delete": (
        "403 302 302 302 302 302 302 302 403",
        "403 302 302 302 302 302 302 302 403",
    ),
    "admin/evaluation/inspection/<path:object_id>/": (
        "302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302",
    ),
}

ADMIN = _admin_routes()

GOLIVE = [
    page(
        "golive:org-import",
        get="200 403 403 403 403 403 403 302",
        post="400 403 403 403 403 403 403 302",
    ),
    page("golive:org-import-result", get="302 403 403 403 403 403 403 302"),
    page("golive:org-import-report", kwargs={"fmt": "xlsx"}, get="404 403 403 403 403 403 403 302"),
    page("golive:org-template", get="200 403 403 403 403 403 403 302"),
    page("golive:org-export", get="200 403 403 403 403 403 403 302"),
    page(
        "golive:staff-import",
        get="200 200 403 403 403 403 403 302",
        post="400 400 403 403 403 403 403 302",
    ),
    page("golive:staff-import-result", get="302 302 403 403 403 403 403 302"),
    page(
        "golive:staff-import-report", kwargs={"fmt": "csv"}, get="404 404 403 403 403 403 403 302"
    ),
    page("golive:staff-template", get="200 200 403 403 403 403 403 302"),
    page(
        "golive:records-import",
        get="200 200 200 403 403 403 403 302",
        post="400 400 400 403 403 403 403 302",
    ),
    page("golive:records-import-result", get="302 302 302 403 403 403 403 302"),
    page(
        "golive:records-import-report",
        kwargs={"fmt": "xlsx"},
        get="404 404 404 403 403 403 403 302",
    ),
    page("golive:records-template", get="200 200 200 403 403 403 403 302"),
    # No such link: the same answer for everyone, logged in or not.
    page(
        "golive:activate",
        kwargs={"token": "no-such-token"},
        get="404 404 404 404 404 404 404 404",
        post="404 404 404 404 404 404 404 404",
    ),
]

AGENDA = [
    page("agenda:calendar", get="200 403 403 403 302 302 403 302"),
    page(
        "agenda:station-calendar",
        "station",
        get=("200 403 403 403 200 200 403 302", "200 403 404 404 404 404 404 302"),
    ),
    page(
        "agenda:appointment-book",
        "station",
        get=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "agenda:appointment-detail",
        "appointment",
        get=("200 404 404 404 200 200 404 302", "200 404 404 404 404 404 404 302"),
    ),
    page(
        "agenda:appointment-transition",
        "appointment",
        # The appointment is tomorrow's: "attended" is refused until it starts.
        kwargs={"transition": "attend"},
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 404 404 404 400 400 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "agenda:planned-add",
        "station",
        get=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 200 200 403 302", "403 403 404 404 404 404 404 302"),
    ),
    # What a station plans is read as its services are (no one's personal data).
    page(
        "agenda:planned-detail",
        "planned_service",
        get=("200 200 200 200 200 200 200 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "agenda:planned-cancel",
        "planned_service",
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("403 403 403 403 302 302 403 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "agenda:feed",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 400 400 403 302",
    ),
    api(
        "appointment-list",
        get="200 200 200 200 200 200 200 401",
        write="403 403 403 403 400 400 403 401",
    ),
    api(
        "appointment-detail",
        "appointment",
        get=("200 404 404 404 200 200 404 401", "200 404 404 404 404 404 404 401"),
    ),
    # Tomorrow's appointment: attended and no-show are refused until it starts.
    *[
        api(
            f"appointment-{move}",
            "appointment",
            write=(f"403 404 404 404 {code} {code} 404 401", "403 404 404 404 404 404 404 401"),
        )
        for move, code in (("attend", "400"), ("no-show", "400"), ("cancel", "200"))
    ],
    # A token never issued: 404 for everyone, logged in or not (tests/test_agenda_feed.py
    # reads an issued one).
    page(
        "agenda:feed-ics",
        kwargs={"token": "x" * 43},
        get="404 404 404 404 404 404 404 404",
        public=True,
    ),
]

# Rosters (issue 13): district and city officers import; the station's own staff
# read its roster persons (officials read the coverage counts only).
ROSTERS = [
    page(
        "rosters:import",
        get="403 200 200 403 403 403 403 302",
        post="403 400 400 403 403 403 403 302",
    ),
    page("rosters:import-result", get="403 302 302 403 403 403 403 302"),
    page("rosters:import-template", get="403 200 200 403 403 403 403 302"),
    page("rosters:import-report", kwargs={"fmt": "csv"}, get="403 404 404 403 403 403 403 302"),
    page("rosters:outreach", get="403 403 403 403 200 200 403 302"),
    page(
        "rosters:entry",
        obj="roster_entry",
        get=("200 404 404 404 200 200 404 302", "200 404 404 404 404 404 404 302"),
    ),
    page(
        "rosters:visit",
        obj="roster_entry",
        get=("403 404 404 404 200 200 404 302", "403 404 404 404 404 404 404 302"),
        post=("403 404 404 404 400 400 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page("rosters:coverage", get=LOGGED_IN),
    page(
        "rosters:coverage-job",
        get="405 405 405 405 405 405 405 302",
        post="302 302 302 302 302 302 302 302",
    ),
    page(
        "rosters:rules",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 400 403 403 302",
    ),
    api("roster-coverage", get=API_LOGGED_IN),
]

# The directory of services: `partner` is an inactive entry kept by the station
# (read within the keepers' scope only), `public_partner` an active one (read by
# every account, kept by the station, its district and its city).
REFERRALS = [
    page("referrals:partner-list", get=LOGGED_IN),
    page(
        "referrals:partner-create",
        get="403 200 200 403 200 200 403 302",
        post="403 200 200 403 200 200 403 302",
    ),
    page(
        "referrals:partner-detail",
        "partner",
        get=(LOGGED_IN, "200 200 404 404 404 404 404 302"),
    ),
    page("referrals:partner-detail", "public_partner", get=(LOGGED_IN, LOGGED_IN)),
    page(
        "referrals:partner-edit",
        "partner",
        get=("200 200 200 403 200 200 403 302", "200 200 404 404 404 404 404 302"),
        post=("200 200 200 403 200 200 403 302", "200 200 404 404 404 404 404 302"),
    ),
    page(
        "referrals:partner-edit",
        "public_partner",
        get=("200 200 200 403 200 200 403 302", "200 200 403 403 403 403 403 302"),
        post=("200 200 200 403 200 200 403 302", "200 200 403 403 403 403 403 302"),
    ),
    api("partner-list", get=API_LOGGED_IN, write="400 400 400 403 400 400 403 401"),
    api(
        "partner-detail",
        "partner",
        get=(API_LOGGED_IN, "200 200 404 404 404 404 404 401"),
        write=("200 200 200 403 200 200 403 401", "200 200 404 404 404 404 404 401"),
    ),
    api(
        "partner-detail",
        "public_partner",
        get=(API_LOGGED_IN, API_LOGGED_IN),
        write=("200 200 200 403 200 200 403 401", "200 200 403 403 403 403 403 401"),
    ),
]

# The referral workflow 转介: a case's referral is sent from its file (the case's
# workers and director); `referral_track` is a referral sent by station B and
# received at the side's station: its staff read the shared part and answer it
# (decline with an empty body: 400, no reason given); everyone else, officials
# and a third station, gets 404. Officials read the counts only.
REFERRAL_WORKFLOW = [
    page(
        "referrals:referral-send",
        "case",
        kwarg="case_pk",
        get=("403 403 403 403 200 200 404 302", "403 403 404 404 404 404 404 302"),
        post=("403 403 403 403 400 400 404 302", "403 403 404 404 404 404 404 302"),
    ),
    page("referrals:referral-inbox", get="403 403 403 403 200 200 403 302"),
    page("referrals:referral-stats", get=LOGGED_IN),
    page(
        "referrals:referral-detail",
        "referral_track",
        get=("404 404 404 404 200 200 404 302", "404 404 404 404 404 404 404 302"),
    ),
    page(
        "referrals:referral-act",
        "referral_track",
        kwargs={"action": "decline"},
        get=("405 405 405 405 405 405 405 302", "405 405 405 405 405 405 405 302"),
        post=("404 404 404 404 400 400 404 302", "404 404 404 404 404 404 404 302"),
    ),
    api("referral-stats", get=API_LOGGED_IN),
]

# A resident's personal data requests: station staff take them in and read them,
# the director answers and exports; nobody outside the station sees one.
PRIVACY = [
    page("privacy:request-list", get="200 403 403 403 200 200 403 302"),
    page(
        "privacy:request-create",
        "resident",
        kwarg="resident",
        get=("403 404 404 404 200 200 404 302", "403 404 404 404 404 404 404 302"),
        post=("403 404 404 404 200 200 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "privacy:request-detail",
        "data_request",
        get=("200 404 404 404 200 200 404 302", "200 404 404 404 404 404 404 302"),
        post=("403 404 404 404 200 403 404 302", "403 404 404 404 404 404 404 302"),
    ),
    # The export of everything held about a person: the director alone.
    page(
        "privacy:request-export",
        "data_request",
        kwargs={"fmt": "xlsx"},
        get=("403 404 404 404 200 403 404 302", "403 404 404 404 404 404 404 302"),
    ),
    page(
        "privacy:request-export",
        "data_request",
        kwargs={"fmt": "json"},
        get=("403 404 404 404 200 403 404 302", "403 404 404 404 404 404 404 302"),
    ),
    # Personal-data exports: station staff ask; a worker reads their own, the
    # director and the district's officers the station's and decide; only the
    # requester downloads.
    page("privacy:export-list", get="200 200 200 403 200 200 403 302"),
    page(
        "privacy:export-create",
        get="403 403 403 403 200 200 403 302",
        post="403 403 403 403 200 200 403 302",
    ),
    page(
        "privacy:export-detail",
        "personal_export",
        get=("200 200 200 404 200 200 404 302", "200 200 404 404 404 404 404 302"),
        post=("403 403 200 404 200 403 404 302", "403 403 404 404 404 404 404 302"),
    ),
    page(
        "privacy:export-download",
        "personal_export",
        kwargs={"fmt": "xlsx"},
        get=("403 403 403 404 403 200 404 302", "403 403 404 404 404 404 404 302"),
    ),
    # A case file's PDF: those who may read its content (404 for anyone else).
    page(
        "privacy:case-pdf",
        "case",
        get=("404 404 404 404 200 200 404 302", "404 404 404 404 404 404 404 302"),
        post=("404 404 404 404 200 200 404 302", "404 404 404 404 404 404 404 302"),
    ),
]

# --- The street office (buyer) ------------------------------------------------------

# The ninth role, declared apart from the eight columns above so that a new route's
# row keeps its eight tokens: the street office of station A's street 沙园街 (the
# buyer of station A's services). One line per route and method:
#
#     <route id> <method> <token for the object at A> [<token for the one at C>]
#
# A route's id is its key, with "#2", "#3"... for the second and later routes of
# the same key in `ROUTES`. `tests/test_access_matrix.py -k buyer` checks them; a
# route without a line fails there, printing the line it observed. The buyer reads
# its street's stations, contracts, plans and evaluation results and scores the
# buyer branch of a points tree; everything else is 404 (outside) or 403.
BUYER_ROWS = """
api:contractterms-detail get 200 404
api:contractterms-list get 200
api:tender-detail get 200 404
api:tender-list get 200
api:contractterms-instalment-accept post 400 404
api:contractterms-instalment-pay post 400 404
api:contractterms-instalment-result post 400 404
api:contractterms-list post 400
api:contractterms-renewal post 400 404
api:contractterms-renewal-next-contract post 400 404
api:contractterms-spending post 403 404
api:tender-award post 400 404
api:tender-bids post 400 404
api:tender-list post 400
contracts:acceptance-record get 405 405
contracts:acceptance-record post 400 404
contracts:bid-add get 405 405
contracts:bid-add post 400 404
contracts:contract-detail get 200 404
contracts:contract-export get 200 404
contracts:export get 200
contracts:instalment-pay get 405 405
contracts:instalment-pay post 400 404
contracts:overview get 200
contracts:renewal-decide get 405 405
contracts:renewal-decide post 400 404
contracts:result-record get 405 405
contracts:result-record post 400 404
contracts:spending-add get 405 405
contracts:spending-add post 403 404
contracts:tender-award get 405 405
contracts:tender-award post 400 404
contracts:tender-create get 200
contracts:tender-create post 400
contracts:tender-detail get 200 404
contracts:terms-create get 405 405
contracts:terms-create post 400 404
referrals:referral-send get 404 404
referrals:referral-send post 404 404
referrals:referral-inbox get 403
referrals:referral-stats get 200
referrals:referral-detail get 404 404
referrals:referral-act get 405 405
referrals:referral-act post 404 404
api:referral-stats get 200
activities:list get 200
activities:create get 403
activities:create post 403
activities:detail get 404 404
activities:close get 405 405
activities:close post 404 404
activities:checkin-decide get 405 405
activities:checkin-decide post 404 404
activities:time-bank get 404 404
activities:redeem get 405 405
activities:redeem post 404 404
activities:donate get 405 405
activities:donate post 404 404
activities:certificate get 404 404
volunteer-public:checkin get 200 200
volunteer-public:checkin post 400 400
volunteer-public:resident-signup get 200 200
volunteer-public:resident-signup post 400 400
volunteer-public:signup get 200 200
volunteer-public:signup post 302 302
volunteer-public:home get 200 200
volunteer-public:late-entry get 405 405
volunteer-public:late-entry post 400 400
volunteer-public:sign-up get 405 405
volunteer-public:sign-up post 302 302
canteen:check-in get 403
canteen:check-in post 403
canteen:cards get 403
canteen:card get 404 404
canteen:card post 404 404
canteen:eligibility get 404 404
canteen:eligibility post 404 404
canteen:settlements get 200
canteen:settlement get 200 404
canteen:settlement post 403 404
canteen:settlement-adjust get 405 405
canteen:settlement-adjust post 404 404
canteen:settlement-export get 200 404
privacy:request-list get 403
privacy:request-create get 404 404
privacy:request-create post 404 404
privacy:request-detail get 404 404
privacy:request-detail post 404 404
privacy:request-export get 404 404
privacy:request-export#2 get 404 404
privacy:export-list get 403
privacy:export-create get 403
privacy:export-create post 403
privacy:export-detail get 404 404
privacy:export-detail post 404 404
privacy:export-download get 404 404
privacy:case-pdf get 404 404
privacy:case-pdf post 404 404
clients:consent-withdraw get 405 405
clients:consent-withdraw post 404 404
clients:resident-document-upload get 405 405
clients:resident-document-upload post 404 404
clients:resident-document-download get 404 404
clients:resident-document-delete get 405 405
clients:resident-document-delete post 404 404
api:residentdocument-list get 200
api:residentdocument-list post 403
api:residentdocument-detail get 404 404
api:residentdocument-detail delete 404 404
api:residentdocument-download get 404 404
core:job-list get 200
core:job-file get 404 404
golive:staff-import-result get 403
golive:staff-import-report get 403
rosters:coverage-job get 405
rosters:coverage-job post 302
stats:report-job get 405
stats:report-job post 302
referrals:partner-list get 200
referrals:partner-create get 403
referrals:partner-create post 403
referrals:partner-detail get 404 404
referrals:partner-detail#2 get 200 200
referrals:partner-edit get 404 404
referrals:partner-edit post 404 404
referrals:partner-edit#2 get 403 403
referrals:partner-edit#2 post 403 403
api:partner-list get 200
api:partner-list post 403
api:partner-detail get 404 404
api:partner-detail patch 404 404
api:partner-detail#2 get 200 200
api:partner-detail#2 patch 403 403
agenda:calendar get 403
agenda:station-calendar get 403 404
agenda:appointment-book get 403 404
agenda:appointment-book post 403 404
agenda:appointment-detail get 404 404
agenda:appointment-transition get 405 405
agenda:appointment-transition post 404 404
agenda:planned-add get 403 404
agenda:planned-add post 403 404
agenda:planned-detail get 404 404
agenda:planned-cancel get 405 405
agenda:planned-cancel post 404 404
agenda:feed get 403
agenda:feed post 403
api:appointment-list get 200
api:appointment-list post 403
api:appointment-detail get 404 404
api:appointment-attend post 404 404
api:appointment-no-show post 404 404
api:appointment-cancel post 404 404
agenda:feed-ics get 404
rosters:import get 403
rosters:import post 403
rosters:import-result get 403
rosters:import-template get 403
rosters:import-report get 403
rosters:outreach get 403
rosters:entry get 404 404
rosters:visit get 404 404
rosters:visit post 404 404
rosters:coverage get 200
rosters:rules get 403
rosters:rules post 403
api:roster-coverage get 200
golive:org-import get 403
golive:org-import post 403
golive:org-import-result get 403
golive:org-import-report get 403
golive:org-template get 403
golive:org-export get 403
golive:staff-import get 403
golive:staff-import post 403
golive:staff-template get 403
golive:records-import get 403
golive:records-import post 403
golive:records-import-result get 403
golive:records-import-report get 403
golive:records-template get 403
golive:activate get 404
golive:activate post 404
home get 200
accounts:login get 302
accounts:login post 302
accounts:logout get 405
accounts:logout post 302
set_language get 302
core:health get 200
org:directory get 200
org:directory-export get 200
org:station-detail get 200 404
org:point-create get 403 404
org:point-create post 403 404
org:point-edit get 404 404
org:point-edit post 404 404
clients:resident-list get 200
clients:resident-register get 403
clients:resident-register post 403
clients:resident-detail get 404 404
clients:resident-edit get 404 404
clients:resident-edit post 404 404
clients:resident-reveal-id get 405 405
clients:resident-reveal-id post 404 404
clients:consent-add get 405 405
clients:consent-add post 404 404
clients:classify get 405 405
clients:classify post 404 404
clients:tag-add get 405 405
clients:tag-add post 404 404
clients:observation-add get 405 405
clients:observation-add post 404 404
clients:merge get 405 405
clients:merge post 404 404
clients:household-link get 405 405
clients:household-link post 404 404
cases:case-list get 200
cases:case-open get 404 404
cases:case-open post 404 404
cases:case-detail get 404 404
cases:case-assign get 404 404
cases:case-assign post 404 404
cases:case-step get 405 405
cases:case-step post 404 404
cases:case-score get 404 404
cases:case-score post 404 404
cases:alert-list get 200
cases:alert-rules get 403
cases:alert-rules post 403
cases:alert-acknowledge get 405 405
cases:alert-acknowledge post 404 404
cases:alert-resolve get 405 405
cases:alert-resolve post 404 404
cases:access-log get 200
plans:plan-list get 200
plans:plan-create get 403
plans:plan-create post 403
plans:plan-detail get 200 404
plans:plan-edit get 405 405
plans:plan-edit post 403 404
plans:plan-copy get 403 404
plans:plan-copy post 403 404
plans:project-add get 405 405
plans:project-add post 403 404
plans:plan-submit get 405 405
plans:plan-submit post 403 404
plans:plan-approve get 405 405
plans:plan-approve post 403 404
plans:plan-return get 405 405
plans:plan-return post 403 404
plans:project-targets get 405 405
plans:project-targets post 403 404
plans:project-remove get 405 405
plans:project-remove post 403 404
imports:upload get 403
imports:upload post 403
imports:result get 403
imports:template get 403
imports:report get 403
delivery:event-list get 200
delivery:event-record get 403
delivery:event-record post 403
delivery:event-detail get 404 404
delivery:event-attendance get 404 404
delivery:event-attendance post 404 404
delivery:event-delete get 404 404
delivery:event-delete post 404 404
delivery:group-list get 200
delivery:group-create get 403
delivery:group-create post 403
delivery:group-detail get 404 404
delivery:group-session-record get 404 404
delivery:group-session-record post 404 404
delivery:group-stage get 405 405
delivery:group-stage post 404 404
delivery:group-plan-add get 405 405
delivery:group-plan-add post 404 404
delivery:group-plan-link get 405 405
delivery:group-plan-link post 404 404
delivery:group-evaluate get 405 405
delivery:group-evaluate post 404 404
delivery:group-close get 405 405
delivery:group-close post 404 404
community:overview get 200
community:volunteer-list get 200
community:volunteer-register get 403
community:volunteer-register post 403
community:volunteer-detail get 404 404
community:volunteer-edit get 404 404
community:volunteer-edit post 404 404
community:volunteer-signup get 405 405
community:volunteer-signup post 404 404
community:signup-cancel get 405 405
community:signup-cancel post 404 404
community:team-list get 200
community:team-create get 403
community:team-create post 403
community:team-detail get 404 404
community:team-detail post 404 404
community:party-list get 200
community:party-create get 403
community:party-create post 403
community:party-detail get 404 404
community:party-detail post 404 404
community:organisation-list get 200
community:organisation-create get 403
community:organisation-create post 403
community:organisation-edit get 404 404
community:organisation-edit post 404 404
community:project-list get 200
community:project-create get 403
community:project-create post 403
community:project-detail get 404 404
community:project-stage get 405 405
community:project-stage post 404 404
community:project-meeting get 405 405
community:project-meeting post 404 404
community:meal-home get 403
community:meal-enrol get 403
community:meal-enrol post 403
community:meal-roll-call get 403
community:meal-roll-call post 403
community:meal-activity-record get 403
community:meal-activity-record post 403
stats:dashboard get 200
stats:district get 200 404
stats:station get 200 404
stats:street get 200 404
stats:point get 404 404
stats:report get 200
accounts:otp-enrol get 200
accounts:otp-enrol post 400
accounts:otp-verify get 302
core:audit-log get 403
core:job-detail get 404 404
core:job-progress get 404 404
core:job-retry post 404 404
cases:case-nominate get 404 404
cases:case-nominate post 404 404
cases:library-list get 200
cases:library-queue get 403
cases:library-detail get 404 404
cases:library-detail#2 get 200 200
cases:library-edit get 404 404
cases:library-edit post 404 404
cases:library-publish get 405 405
cases:library-publish post 404 404
cases:library-return get 405 405
cases:library-return post 404 404
workforce:staffing get 403
workforce:staffing-export get 403
workforce:my-profile get 200
workforce:station get 403 404
workforce:station-hours get 403 404
workforce:station-hours-export get 403 404
workforce:pay-table get 200
workforce:pay-table post 403
workforce:profile-create get 403 404
workforce:profile-create post 403 404
workforce:profile-detail get 404 404
workforce:profile-edit get 404 404
workforce:profile-edit post 404 404
workforce:training-add get 405 405
workforce:training-add post 404 404
workforce:supervision-add get 405 405
workforce:supervision-add post 404 404
evaluation:round-list get 200
evaluation:round-create get 403
evaluation:round-create post 403
evaluation:round-detail get 404 404
evaluation:round-export get 404 404
evaluation:round-group-add get 405 405
evaluation:round-group-add post 404 404
evaluation:round-indicator-add get 405 405
evaluation:round-indicator-add post 404 404
evaluation:round-assign get 405 405
evaluation:round-assign post 404 404
evaluation:round-transition get 405 405
evaluation:round-transition post 404 404
evaluation:assignment-remove get 405 405
evaluation:assignment-remove post 404 404
evaluation:sheet-detail get 404 404
evaluation:sheet-pdf get 404 404
evaluation:sheet-score get 405 405
evaluation:sheet-score post 404 404
evaluation:sheet-evidence get 405 405
evaluation:sheet-evidence post 404 404
evaluation:sheet-submit get 405 405
evaluation:sheet-submit post 404 404
evaluation:sheet-reply get 405 405
evaluation:sheet-reply post 404 404
evaluation:evidence-download get 404 404
evaluation:sample-detail get 404 404
evaluation:sample-draw get 405 405
evaluation:sample-draw post 404 404
evaluation:sample-entry-record get 405 405
evaluation:sample-entry-record post 404 404
evaluation:sample-entry-reveal get 405 405
evaluation:sample-entry-reveal post 404 404
evaluation:sample-export get 404 404
evaluation:inspection-list get 403
evaluation:inspection-create get 403
evaluation:inspection-create post 403
evaluation:inspection-detail get 404 404
evaluation:inspection-pdf get 404 404
evaluation:rectification-add get 405 405
evaluation:rectification-add post 404 404
evaluation:rectification-detail get 404 404
evaluation:rectification-submit get 405 405
evaluation:rectification-submit post 404 404
evaluation:rectification-evidence get 404 404
evaluation:rectification-decide get 405 405
evaluation:rectification-decide post 404 404
surveys:list get 200
surveys:create get 403
surveys:satisfaction get 200
surveys:detail get 404 404
surveys:edit get 405 405
surveys:edit post 404 404
surveys:question-add get 405 405
surveys:question-add post 404 404
surveys:publish get 405 405
surveys:publish post 404 404
surveys:close get 405 405
surveys:close post 404 404
surveys:new-version get 405 405
surveys:new-version post 404 404
surveys:qr get 404 404
surveys:poster get 404 404
surveys:poster-pdf get 404 404
surveys:paper get 404 404
surveys:paper post 404 404
surveys:results get 404 404
surveys:attach-plan get 405 405
surveys:attach-plan post 404 404
surveys:question-edit get 404 404
surveys:question-edit post 404 404
surveys:question-delete get 405 405
surveys:question-delete post 404 404
surveys:question-move get 405 405
surveys:question-move post 404 404
surveys-public:answer get 200 410
surveys-public:answer post 400 410
surveys-public:answer#2 get 404 404
surveys-public:answer#2 post 404 404
surveys-public:thanks get 200 200
surveys-public:thanks#2 get 404 404
api:schema get 200
api:docs get 200
api:token post 400
api:api-root get 200
api:stats-person-times get 200
api:meal-roll-calls post 403
api:district-list get 200
api:district-detail get 200 404
api:street-list get 200
api:street-detail get 200 404
api:agency-list get 200
api:agency-list post 403
api:agency-detail get 200 404
api:agency-detail put 403 404
api:agency-detail patch 403 404
api:station-list get 200
api:station-list post 403
api:station-detail get 200 404
api:station-detail put 403 404
api:station-detail patch 403 404
api:servicepoint-list get 200
api:servicepoint-list post 403
api:servicepoint-detail get 404 404
api:servicepoint-detail put 405 405
api:servicepoint-detail patch 404 404
api:servicepoint-detail delete 405 405
api:specialproject-list get 200
api:specialproject-detail get 404 404
api:specialproject-detail put 404 404
api:specialproject-detail patch 404 404
api:contract-list get 200
api:contract-list post 403
api:contract-detail get 200 404
api:contract-detail put 403 404
api:contract-detail patch 403 404
api:user-list get 200
api:user-me get 200
api:user-detail get 404 404
api:resident-list get 200
api:resident-list post 403
api:resident-detail get 404 404
api:resident-detail patch 404 404
api:resident-merge post 404 404
api:resident-reveal-id post 404 404
api:household-list get 200
api:household-list post 403
api:household-detail get 404 404
api:consent-list get 200
api:consent-list post 403
api:consent-detail get 404 404
api:clientstatus-list get 200
api:clientstatus-list post 403
api:clientstatus-detail get 404 404
api:clientstatus-end post 404 404
api:residenttag-list get 200
api:residenttag-list post 403
api:residenttag-detail get 404 404
api:residenttag-end post 404 404
api:case-list get 200
api:case-list post 403
api:case-detail get 404 404
api:case-assess post 404 404
api:case-assign post 404 404
api:case-close post 404 404
api:case-notes post 404 404
api:case-plan post 404 404
api:case-refer post 404 404
api:case-reopen post 404 404
api:case-review post 404 404
api:observation-list get 200
api:observation-list post 403
api:observation-detail get 404 404
api:alert-list get 200
api:alert-detail get 404 404
api:alert-acknowledge post 404 404
api:alert-resolve post 404 404
api:alertrule-list get 200
api:alertrule-list post 403
api:alertrule-effective get 200
api:alertrule-detail get 404 404
api:alertrule-detail put 404 404
api:accesslog-list get 200
api:accesslog-detail get 404 404
api:annualplan-list get 200
api:annualplan-list post 403
api:annualplan-detail get 200 404
api:annualplan-detail patch 403 404
api:annualplan-copy post 403 404
api:annualplan-submit post 403 404
api:annualplan-approve post 403 404
api:annualplan-return post 403 404
api:planproject-list get 200
api:planproject-list post 403
api:planproject-detail get 200 404
api:planproject-detail delete 403 404
api:planproject-targets put 403 404
api:serviceevent-list get 200
api:serviceevent-list post 403
api:serviceevent-detail get 404 404
api:serviceevent-detail patch 404 404
api:serviceevent-detail delete 404 404
api:group-list get 200
api:group-list post 403
api:group-detail get 404 404
api:group-sessions post 404 404
api:volunteer-list get 200
api:volunteer-list post 403
api:volunteer-totals get 404
api:volunteer-detail get 404 404
api:volunteer-detail patch 404 404
api:volunteer-service get 404 404
api:volunteerteam-list get 200
api:volunteerteam-list post 403
api:volunteerteam-detail get 404 404
api:volunteerteam-members post 404 404
api:volunteersignup-list get 200
api:volunteersignup-list post 403
api:volunteersignup-detail get 404 404
api:volunteersignup-cancel post 404 404
api:partyorganisation-list get 200
api:partyorganisation-list post 403
api:partyorganisation-detail get 404 404
api:partymember-list get 200
api:partymember-list post 403
api:partymember-detail get 404 404
api:communityorganisation-list get 200
api:communityorganisation-list post 403
api:communityorganisation-detail get 404 404
api:communityorganisation-detail patch 404 404
api:governanceproject-list get 200
api:governanceproject-list post 403
api:governanceproject-detail get 404 404
api:governanceproject-stage post 404 404
api:deliberationmeeting-list get 200
api:deliberationmeeting-list post 403
api:deliberationmeeting-detail get 404 404
api:mealenrolment-list get 200
api:mealenrolment-list post 403
api:mealenrolment-detail get 404 404
api:mealrecord-list get 200
api:mealrecord-detail get 404 404
api:workforce-staffing get 403
api:workforce-service-hours get 403 404
api:payrate-list get 200
api:payrate-detail get 200 200
api:librarycase-list get 200
api:librarycase-list post 403
api:librarycase-detail get 404 404
api:librarycase-detail patch 404 404
api:librarycase-publish post 404 404
api:librarycase-return- post 404 404
api:librarycase-submit post 404 404
api:librarycase-detail#2 get 200 200
api:librarycase-detail#2 patch 403 403
api:auditentry-list get 200
api:auditentry-detail get 404 404
api:staffprofile-list get 200
api:staffprofile-list post 403
api:staffprofile-detail get 404 404
api:staffprofile-detail patch 404 404
api:trainingrecord-list get 200
api:trainingrecord-list post 403
api:trainingrecord-detail get 404 404
api:supervisionrecord-list get 200
api:supervisionrecord-list post 403
api:supervisionrecord-detail get 404 404
api:evaluationround-list get 200
api:evaluationround-list post 403
api:evaluationround-detail get 404 404
api:evaluationround-finalise post 404 404
api:evaluationround-open post 404 404
api:evaluationround-results get 404 404
api:roundassignment-list get 200
api:roundassignment-list post 403
api:roundassignment-detail get 404 404
api:roundassignment-detail delete 404 404
api:stationevaluation-list get 200
api:stationevaluation-detail get 404 404
api:stationevaluation-evidence post 404 404
api:stationevaluation-reply post 404 404
api:stationevaluation-scores post 404 404
api:stationevaluation-submit post 404 404
api:indicatorscore-list get 200
api:indicatorscore-detail get 404 404
api:clientsample-detail get 404 404
api:clientsample-list get 200
api:clientsample-list post 403
api:sampleentry-detail get 404 404
api:sampleentry-list get 200
api:sampleentry-record post 404 404
api:sampleentry-reveal post 404 404
api:evidence-list get 200
api:evidence-detail get 404 404
api:inspection-list get 200
api:inspection-list post 403
api:inspection-detail get 404 404
api:rectification-list get 200
api:rectification-list post 403
api:rectification-accept post 404 404
api:rectification-detail get 404 404
api:rectification-reject post 404 404
api:rectification-submit post 404 404
api:rectificationalert-list get 200
api:rectificationalert-detail get 404 404
api:survey-list get 200
api:survey-list post 403
api:survey-close post 404 404
api:survey-detail get 404 404
api:survey-from-template post 403
api:survey-new-version post 404 404
api:survey-publish post 404 404
api:survey-results get 404 404
api:question-list get 200
api:question-list post 403
api:question-detail get 404 404
admin:index get 302
admin:login get 200
admin:logout get 302
admin:password_change get 302
admin:password_change_done get 302
admin:autocomplete get 302
admin:jsi18n get 302
admin:app_list get 302
admin:view_on_site get 302 302
admin:auth_user_password_change get 302 302
admin:otp_totp_totpdevice_config get 302 302
admin:otp_totp_totpdevice_qrcode get 302 302
admin/(?P<url>.*)$ get 302
admin:auth_group_changelist get 302
admin:auth_group_add get 302
admin:auth_group_change get 302
admin:auth_group_history get 302
admin:auth_group_delete get 302
admin/auth/group/<path:object_id>/ get 302
admin:authtoken_tokenproxy_changelist get 302
admin:authtoken_tokenproxy_add get 302
admin:authtoken_tokenproxy_change get 302
admin:authtoken_tokenproxy_history get 302
admin:authtoken_tokenproxy_delete get 302
admin/authtoken/tokenproxy/<path:object_id>/ get 302
admin:axes_accessattempt_changelist get 302
admin:axes_accessattempt_add get 302
admin:axes_accessattempt_change get 302
admin:axes_accessattempt_history get 302
admin:axes_accessattempt_delete get 302
admin/axes/accessattempt/<path:object_id>/ get 302
admin:axes_accesslog_changelist get 302
admin:axes_accesslog_add get 302
admin:axes_accesslog_change get 302
admin:axes_accesslog_history get 302
admin:axes_accesslog_delete get 302
admin/axes/accesslog/<path:object_id>/ get 302
admin:axes_accessfailurelog_changelist get 302
admin:axes_accessfailurelog_add get 302
admin:axes_accessfailurelog_change get 302
admin:axes_accessfailurelog_history get 302
admin:axes_accessfailurelog_delete get 302
admin/axes/accessfailurelog/<path:object_id>/ get 302
admin:core_auditentry_changelist get 302
admin:core_auditentry_add get 302
admin:core_auditentry_change get 302 302
admin:core_auditentry_history get 302 302
admin:core_auditentry_delete get 302 302
admin/core/auditentry/<path:object_id>/ get 302 302
admin:accounts_user_changelist get 302
admin:accounts_user_add get 302
admin:accounts_user_change get 302 302
admin:accounts_user_history get 302 302
admin:accounts_user_delete get 302 302
admin/accounts/user/<path:object_id>/ get 302 302
admin:otp_totp_totpdevice_changelist get 302
admin:otp_totp_totpdevice_add get 302
admin:otp_totp_totpdevice_change get 302 302
admin:otp_totp_totpdevice_history get 302 302
admin:otp_totp_totpdevice_delete get 302 302
admin/otp_totp/totpdevice/<path:object_id>/ get 302 302
admin:otp_static_staticdevice_changelist get 302
admin:otp_static_staticdevice_add get 302
admin:otp_static_staticdevice_change get 302
admin:otp_static_staticdevice_history get 302
admin:otp_static_staticdevice_delete get 302
admin/otp_static/staticdevice/<path:object_id>/ get 302
admin:org_city_changelist get 302
admin:org_city_add get 302
admin:org_city_change get 302
admin:org_city_history get 302
admin:org_city_delete get 302
admin/org/city/<path:object_id>/ get 302
admin:org_district_changelist get 302
admin:org_district_add get 302
admin:org_district_change get 302 302
admin:org_district_history get 302 302
admin:org_district_delete get 302 302
admin/org/district/<path:object_id>/ get 302 302
admin:org_street_changelist get 302
admin:org_street_add get 302
admin:org_street_change get 302 302
admin:org_street_history get 302 302
admin:org_street_delete get 302 302
admin/org/street/<path:object_id>/ get 302 302
admin:org_community_changelist get 302
admin:org_community_add get 302
admin:org_community_change get 302
admin:org_community_history get 302
admin:org_community_delete get 302
admin/org/community/<path:object_id>/ get 302
admin:org_agency_changelist get 302
admin:org_agency_add get 302
admin:org_agency_change get 302 302
admin:org_agency_history get 302 302
admin:org_agency_delete get 302 302
admin/org/agency/<path:object_id>/ get 302 302
admin:org_station_changelist get 302
admin:org_station_add get 302
admin:org_station_change get 302 302
admin:org_station_history get 302 302
admin:org_station_delete get 302 302
admin/org/station/<path:object_id>/ get 302 302
admin:org_specialproject_changelist get 302
admin:org_specialproject_add get 302
admin:org_specialproject_change get 302
admin:org_specialproject_history get 302
admin:org_specialproject_delete get 302
admin/org/specialproject/<path:object_id>/ get 302
admin:org_contract_changelist get 302
admin:org_contract_add get 302
admin:org_contract_change get 302 302
admin:org_contract_history get 302 302
admin:org_contract_delete get 302 302
admin/org/contract/<path:object_id>/ get 302 302
admin:org_servicepoint_changelist get 302
admin:org_servicepoint_add get 302
admin:org_servicepoint_change get 302 302
admin:org_servicepoint_history get 302 302
admin:org_servicepoint_delete get 302 302
admin/org/servicepoint/<path:object_id>/ get 302 302
admin:workforce_staffprofile_changelist get 302
admin:workforce_staffprofile_add get 302
admin:workforce_staffprofile_change get 302 302
admin:workforce_staffprofile_history get 302 302
admin:workforce_staffprofile_delete get 302 302
admin/workforce/staffprofile/<path:object_id>/ get 302 302
admin:workforce_trainingrecord_changelist get 302
admin:workforce_trainingrecord_add get 302
admin:workforce_trainingrecord_change get 302 302
admin:workforce_trainingrecord_history get 302 302
admin:workforce_trainingrecord_delete get 302 302
admin/workforce/trainingrecord/<path:object_id>/ get 302 302
admin:workforce_supervisionrecord_changelist get 302
admin:workforce_supervisionrecord_add get 302
admin:workforce_supervisionrecord_change get 302 302
admin:workforce_supervisionrecord_history get 302 302
admin:workforce_supervisionrecord_delete get 302 302
admin/workforce/supervisionrecord/<path:object_id>/ get 302 302
admin:evaluation_evaluationround_changelist get 302
admin:evaluation_evaluationround_add get 302
admin:evaluation_evaluationround_change get 302 302
admin:evaluation_evaluationround_history get 302 302
admin:evaluation_evaluationround_delete get 302 302
admin/evaluation/evaluationround/<path:object_id>/ get 302 302
admin:evaluation_stationevaluation_changelist get 302
admin:evaluation_stationevaluation_add get 302
admin:evaluation_stationevaluation_change get 302 302
admin:evaluation_stationevaluation_history get 302 302
admin:evaluation_stationevaluation_delete get 302 302
admin/evaluation/stationevaluation/<path:object_id>/ get 302 302
admin:evaluation_roundassignment_changelist get 302
admin:evaluation_roundassignment_add get 302
admin:evaluation_roundassignment_change get 302 302
admin:evaluation_roundassignment_history get 302 302
admin:evaluation_roundassignment_delete get 302 302
admin/evaluation/roundassignment/<path:object_id>/ get 302 302
admin:evaluation_inspection_changelist get 302
admin:evaluation_inspection_add get 302
admin:evaluation_inspection_change get 302 302
admin:evaluation_inspection_history get 302 302
admin:evaluation_inspection_delete get 302 302
admin/evaluation/inspection/<path:object_id>/ get 302 302
admin:evaluation_rectification_changelist get 302
admin:evaluation_rectification_add get 302
admin:evaluation_rectification_change get 302 302
admin:evaluation_rectification_history get 302 302
admin:evaluation_rectification_delete get 302 302
admin/evaluation/rectification/<path:object_id>/ get 302 302
admin:evaluation_rectificationalert_changelist get 302
admin:evaluation_rectificationalert_add get 302
admin:evaluation_rectificationalert_change get 302 302
admin:evaluation_rectificationalert_history get 302 302
admin:evaluation_rectificationalert_delete get 302 302
admin/evaluation/rectificationalert/<path:object_id>/ get 302 302
admin:surveys_survey_changelist get 302
admin:surveys_survey_add get 302
admin:surveys_survey_change get 302 302
admin:surveys_survey_history get 302 302
admin:surveys_survey_delete get 302 302
admin/surveys/survey/<path:object_id>/ get 302 302
admin:surveys_question_changelist get 302
admin:surveys_question_add get 302
admin:surveys_question_change get 302 302
admin:surveys_question_history get 302 302
admin:surveys_question_delete get 302 302
admin/surveys/question/<path:object_id>/ get 302 302
admin:surveys_response_changelist get 302
admin:surveys_response_add get 302
admin:surveys_response_change get 302
admin:surveys_response_history get 302
admin:surveys_response_delete get 302
admin/surveys/response/<path:object_id>/ get 302
admin:rosters_rostercategory_changelist get 302
admin:rosters_rostercategory_add get 302
admin:rosters_rostercategory_change get 302 302
admin:rosters_rostercategory_history get 302 302
admin:rosters_rostercategory_delete get 302 302
admin/rosters/rostercategory/<path:object_id>/ get 302 302
cases:signoff-list get 200
cases:signoff-settings get 403
cases:signoff-settings post 403
cases:signoff-approve get 405 405
cases:signoff-approve post 404 404
cases:signoff-return get 405 405
cases:signoff-return post 404 404
cases:document-add get 405 405
cases:document-add post 404 404
cases:resident-document-add get 405 405
cases:resident-document-add post 404 404
cases:document-download get 404 404
cases:document-delete get 405 405
cases:document-delete post 404 404
api:signoff-list get 200
api:signoff-detail get 404 404
api:signoff-approve post 404 404
api:signoff-return- post 404 404
api:signoffsetting-list get 200
api:signoffsetting-detail get 404 404
api:signoffsetting-mine post 403
api:casedocument-list get 200
api:casedocument-list post 403
api:casedocument-detail get 404 404
api:casedocument-detail delete 404 404
api:casedocument-download get 404 404
api:instrument-list get 200
api:instrument-detail get 200 200
api:instrumentscore-list get 200
api:instrumentscore-list post 403
api:instrumentscore-detail get 404 404
"""


def route_ids(routes: list[Route]) -> list[str]:
    seen: dict[str, int] = {}
    ids = []
    for route in routes:
        seen[route.key] = seen.get(route.key, 0) + 1
        ids.append(route.key if seen[route.key] == 1 else f"{route.key}#{seen[route.key]}")
    return ids


def buyer_rows() -> dict[tuple[str, str], tuple[str, ...]]:
    rows = {}
    for line in BUYER_ROWS.strip().splitlines():
        route_id, method, *tokens = line.split()
        rows[(route_id, method)] = tuple(tokens)
    return rows


ROUTES: list[Route] = [
    *PRIVACY,
    *REFERRALS,
    *REFERRAL_WORKFLOW,
    *AGENDA,
    *ROSTERS,
    *GOLIVE,
    *CORE,
    *ORG,
    *CLIENTS,
    *CASES,
    *PLANS,
    *DELIVERY,
    *COMMUNITY,
    *CANTEEN,
    *ACTIVITIES,
    *STATS,
    *ACCOUNTS_OTP,
    *AUDIT,
    *CASE_LIBRARY,
    *WORKFORCE,
    *CONTRACTS,
    *EVALUATION,
    *SURVEYS,
    *API,
    *API_NEW,
    *ADMIN,
]
