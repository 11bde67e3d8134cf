"""Row-level access: the one place that decides what a user may see or change.

Every data model declares a `Scope`: the lookups from the model to the station,
agency, district and city it belongs to, and which roles may change or create it.
`ScopedQuerySet.visible_to(user, action)` turns the user's role and anchor (their
station, agency, district or city) into a filter. Web views, the API, exports,
the admin and management commands all read through it, so a rule is written once
(the pattern of NetBox's `RestrictedQuerySet.restrict`).

Outsiders get 404 (the object is simply not in their queryset); insiders who may
read but not change get 403 (see `core.access`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q

from shegong.core.roles import LEVEL_FIELD, ROLE_LEVEL, Level, Role

VIEW = "view"
CHANGE = "change"
CREATE = "create"
ACTIONS = (VIEW, CHANGE, CREATE)
# `Scope.superuser_acts` of the stations' own work (residents, cases, services,
# plans...): superusers read it but write none of it.
STAFF_WORK: frozenset[str] = frozenset()

# Set on the user object loaded for one request (accounts.backends): per-request
# caches may live on it. Its evaluator stations are then read once per request.
REQUEST_USER_FLAG = "_shegong_request_user"
EVALUATOR_STATIONS_CACHE = "_shegong_evaluator_stations"

# Where an evaluator's stations come from: the evaluation rounds, which core does
# not know. The evaluation app registers its reader at start-up
# (EvaluationConfig.ready); until then an evaluator's scope is empty (fails closed).
_evaluator_stations: Callable[[Any], list[Any]] | None = None


def register_evaluator_stations(provider: Callable[[Any], list[Any]]) -> None:
    """Name the function that lists an evaluator's station ids."""
    global _evaluator_stations
    _evaluator_stations = provider


def _evaluator_station_ids(user: Any) -> list[Any]:
    return [] if _evaluator_stations is None else list(_evaluator_stations(user))


def _paths(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@dataclass(frozen=True)
class Scope:
    """How a model hangs from the organisation tree.

    Each level names one or more lookups (OR-ed) from the model to that level's
    primary key. A level left empty means users anchored there see nothing of the
    model. `distinct` marks lookups that cross a to-many relation.
    """

    station: str | tuple[str, ...] | None = None
    agency: str | tuple[str, ...] | None = None
    # The street office (the buyer): the lookups to its street. Left empty on most
    # models (residents, cases, services...), which the buyer then does not read.
    street: str | tuple[str, ...] | None = None
    district: str | tuple[str, ...] | None = None
    city: str | tuple[str, ...] | None = None
    change_roles: frozenset[str] = field(default_factory=frozenset)
    create_roles: frozenset[str] = field(default_factory=frozenset)
    # Roles that read nothing of this model even inside their scope.
    hidden_from: frozenset[str] = field(default_factory=frozenset)
    # Roles that read every row whatever their anchor (the audit log: city
    # officers oversee the whole deployment, rows without a station included).
    everything_roles: frozenset[str] = field(default_factory=frozenset)
    # For social workers, lookups to users: a worker sees only the rows on which
    # they are named (their caseload), not every row of their station.
    assigned: str | tuple[str, ...] | None = None
    # The actions the `assigned` rule narrows; None: every one, the view
    # included. A case is read by its whole station, but only its assigned
    # workers work on its file (`assigned_acts={"work"}`).
    assigned_acts: frozenset[str] | None = None
    # For evaluators, lookups to users: an evaluator sees only the rows of the
    # evaluation sheets they are assigned to, not every row of their stations.
    evaluators: str | tuple[str, ...] | None = None
    # Named actions beyond change and create, each with the roles that may
    # perform it on a row of their scope (e.g. a plan's "decide": approve or
    # return, by district and city officers, who do not draft it). An API
    # action declares the one it needs: `@action(..., scope_action="decide")`.
    acts: Mapping[str, frozenset[str]] = field(default_factory=dict, compare=False)
    # Per role, a condition on the rows: that role reads and acts on a row of its
    # scope only while the condition holds (e.g. a station sees its evaluation
    # sheets only once the round is finalised, an evaluator only while it is open).
    # Applied to the view and to every action.
    role_conditions: Mapping[str, Q] = field(default_factory=dict, compare=False)
    # Confidential content (case files) is not shown even to superusers.
    superuser_sees: bool = True
    # The write actions (change, create, named) superusers may perform; None:
    # every one (they administer the organisation's own tables). Where the work
    # belongs to the stations or the officials alone (`STAFF_WORK`), superusers
    # read it but are refused the writes, as every other reader is.
    superuser_acts: frozenset[str] | None = None
    distinct: bool = False
    # A row visible exactly when the object at this foreign key is (e.g. a
    # statistics rollup and its station): filtered by a subquery of the visible
    # objects, which is cheaper than joining up the tree for every row of a big table.
    follows: str | None = None
    # Rows matching this condition are readable (never changeable) by every active
    # account, whatever its role or anchor: e.g. published entries of the
    # excellent-case library 优秀案例, a city-wide training resource.
    public: Q | None = None
    # A lookup to a user: each row is visible to that user alone, whatever the
    # role, superusers included (a background job and its result belong to the
    # person who started it). The levels and roles above are then not consulted.
    owner: str | None = None
    # With `owner`: rows without an owner (the system's, e.g. a scheduled run) are
    # read and acted on by superusers.
    unowned_to_superusers: bool = False

    def paths(self, level: str) -> tuple[str, ...]:
        return _paths(getattr(self, level))


def station_scope(via: str = "", *, street: bool = False, **options) -> Scope:
    """The usual scope of a record that belongs to one station, reached through
    `via` (e.g. "event" for an attendance): visible to the station's staff, its
    agency, its district and its city; with `street`, also to the street office
    that buys the station's services (plans, contracts, evaluation results, never
    the residents' records)."""
    prefix = f"{via}__" if via else ""
    return Scope(
        city=f"{prefix}station__street__district__city",
        district=f"{prefix}station__street__district",
        street=f"{prefix}station__street" if street else None,
        agency=f"{prefix}station__agency",
        station=f"{prefix}station",
        **options,
    )


def user_anchor(user: Any) -> tuple[str, list[Any]] | None:
    """The level and key(s) a user's scope hangs from, or None for no scope."""
    level = ROLE_LEVEL.get(user.role)
    if level is None:
        return None
    if user.role == Role.EVALUATOR:
        # The evaluation rounds are the source of an evaluator's stations: those
        # of their assignments in rounds open for scoring (docs/decisions.md),
        # read through the provider the evaluation app registers.
        # Read once per request: the user object of a request lives for that request
        # only (accounts.backends); other user objects are asked every time.
        if not getattr(user, REQUEST_USER_FLAG, False):
            return Level.STATION, _evaluator_station_ids(user)
        if EVALUATOR_STATIONS_CACHE not in user.__dict__:
            user.__dict__[EVALUATOR_STATIONS_CACHE] = _evaluator_station_ids(user)
        return Level.STATION, list(user.__dict__[EVALUATOR_STATIONS_CACHE])
    key = getattr(user, f"{LEVEL_FIELD[level]}_id")
    if key is None:
        return None
    return level, [key]


def is_unrestricted(user: Any) -> bool:
    return bool(user.is_superuser)


def _hidden(user: Any, scope: Scope) -> bool:
    """Whether `user`'s role reads nothing of the model: named in `hidden_from`,
    or a street office on a model that declares no `street` lookup (the street
    level is opt-in, so a model says so before the buyer reads any of it)."""
    if user.role in scope.hidden_from:
        return True
    return (
        ROLE_LEVEL.get(user.role) == Level.STREET
        and not scope.street
        and not scope.follows
        and not scope.owner
        and scope.public is None
        and user.role not in scope.everything_roles
    )


def restrict(queryset: models.QuerySet, user: Any, action: str = VIEW) -> models.QuerySet:
    """Filter `queryset` to the rows `user` may act on."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    scope: Scope = queryset.model.scope
    if action not in ACTIONS and action not in scope.acts:
        raise ValueError(f"unknown action {action!r} for {queryset.model.__name__}")
    if scope.owner:
        if (
            action != VIEW
            and not is_unrestricted(user)
            and user.role not in roles_for(scope, action)
        ):
            return queryset.none()
        owned = Q(**{scope.owner: user.pk})
        if scope.unowned_to_superusers and is_unrestricted(user):
            owned |= Q(**{f"{scope.owner}__isnull": True})
        return queryset.filter(owned)
    if action == VIEW and scope.public is not None and not is_unrestricted(user):
        own = _restrict_to_anchor(queryset.model._base_manager.all(), user, action, scope)
        return queryset.filter(Q(pk__in=own.values("pk")) | scope.public)
    return _restrict_to_anchor(queryset, user, action, scope)


# `_anchor_rule`'s answer for a model whose rows follow another's visibility.
FOLLOWS = "follows"


@dataclass(frozen=True)
class _Anchored:
    """The rows whose lookups `paths` reach one of the user's anchor `keys`,
    narrowed by `narrowing` (the assigned workers', an evaluator's sheets, a role's
    condition; an empty Q narrows nothing)."""

    paths: tuple[str, ...]
    keys: list[Any]
    narrowing: Q


def _anchor_rule(user: Any, action: str, scope: Scope) -> bool | str | _Anchored:
    """What `user` may do to `scope`'s rows: True (every row), False (none),
    FOLLOWS (the rows whose `scope.follows` object they see) or the anchored
    lookups. The one ladder behind the lists (`restrict`) and the single row in
    hand (`_decided_from_row`)."""
    if is_unrestricted(user):
        return _superuser_may(scope, action)
    if _hidden(user, scope):
        return False
    if action == VIEW and user.role in scope.everything_roles:
        return True
    if action != VIEW and user.role not in roles_for(scope, action):
        return False
    if scope.follows:
        return FOLLOWS
    anchor = user_anchor(user)
    if anchor is None:
        return False
    level, keys = anchor
    paths = scope.paths(level)
    if not paths or not keys:
        return False
    narrowing = Q()
    if (
        user.role == Role.SOCIAL_WORKER
        and scope.assigned
        and (scope.assigned_acts is None or action in scope.assigned_acts)
    ):
        mine = Q()
        for path in _paths(scope.assigned):
            mine |= Q(**{path: user.pk})
        narrowing &= mine
    if user.role == Role.EVALUATOR and scope.evaluators:
        mine = Q()
        for path in _paths(scope.evaluators):
            mine |= Q(**{path: user.pk})
        narrowing &= mine
    if user.role in scope.role_conditions:
        narrowing &= scope.role_conditions[user.role]
    return _Anchored(paths, keys, narrowing)


def _restrict_to_anchor(
    queryset: models.QuerySet, user: Any, action: str, scope: Scope
) -> models.QuerySet:
    rule = _anchor_rule(user, action, scope)
    if rule is True:
        return queryset
    if rule is False:
        return queryset.none()
    if rule == FOLLOWS:
        target = queryset.model._meta.get_field(scope.follows).related_model
        visible = restrict(target._default_manager.all(), user, VIEW).values("pk")
        return queryset.filter(**{f"{scope.follows}__in": visible})
    condition = Q()
    for path in rule.paths:
        lookup = "pk" if path == "self" else path
        condition |= Q(**{f"{lookup}__in": rule.keys})
    condition &= rule.narrowing
    if scope.distinct:
        # A subquery instead of DISTINCT keeps ordering and counting simple.
        inner = queryset.model._base_manager.filter(condition).values("pk")
        return queryset.filter(pk__in=inner)
    return queryset.filter(condition)


def role_condition(user: Any, conditions: Mapping[str, Q]) -> Q:
    """The condition `conditions` (as in `Scope.role_conditions`) sets for
    `user`'s role; an empty Q (every row) for a role it does not name."""
    return conditions.get(getattr(user, "role", None), Q())


def roles_for(scope: Scope, action: str) -> frozenset[str]:
    """The roles that may perform the write `action` (change, create or one of
    the scope's named actions) on rows of their scope."""
    if action == CHANGE:
        return scope.change_roles
    if action == CREATE:
        return scope.create_roles
    if action in scope.acts:
        return frozenset(scope.acts[action])
    raise ValueError(f"unknown action {action!r}")


def _superuser_may(scope: Scope, action: str) -> bool:
    if not scope.superuser_sees:
        return False
    return action == VIEW or scope.superuser_acts is None or action in scope.superuser_acts


# What a lookup reaches through the objects in hand: its values, and whether it
# crossed a to-many relation (a prefetched many-to-many); None: not in hand.
Reached = tuple[list, bool] | None


def can(user: Any, action: str, obj: models.Model, *, loaded: bool = True) -> bool:
    """Whether `user` may perform `action` on the saved object `obj`.

    Where the rule compares what is in hand with the user's anchor (the row's own
    keys, most of the platform's rows; with `loaded`, also the related objects read
    with it) it is answered without a query (`_decided_from_row`); every other
    rule asks the database, through `restrict` like every list."""
    decided = _decided_from_row(user, action, obj, loaded=loaded)
    if decided is not None:
        return decided
    return restrict(type(obj)._default_manager.all(), user, action).filter(pk=obj.pk).exists()


def _decided_from_row(
    user: Any, action: str, obj: models.Model, *, loaded: bool = True
) -> bool | None:
    """`restrict`'s answer for the single row `obj`, where it follows from what is
    in hand: the row's own columns and, with `loaded`, the related objects read
    with it (`select_related`, `prefetch_related`). None where it takes the
    database. tests/test_scope_from_row.py compares every answer with the query's."""
    if obj.pk is None or obj._state.adding:
        return None  # not a row read or saved: e.g. Model(pk=...) naming a row by its key
    rule = _rule_in_hand(user, action, type(obj).scope)
    if rule == FOLLOWS:
        return None
    if rule is None or isinstance(rule, bool):
        return rule

    def reach(path: str) -> Reached:
        if path == "self":
            return [obj.pk], False
        return _reached(obj, path.split("__"), follow=loaded)

    return _decided(rule, reach)


def _rule_in_hand(user: Any, action: str, scope: Scope) -> bool | str | _Anchored | None:
    """`_anchor_rule`, for an answer without the database; None where `restrict`
    has to run: an action the scope does not declare (it raises), owned or public rows."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if action not in ACTIONS and action not in scope.acts:
        return None
    if scope.owner or scope.public is not None:
        return None
    return _anchor_rule(user, action, scope)


def restrict_under(
    queryset: models.QuerySet, user: Any, field_name: str, parent: models.Model, action: str = VIEW
) -> models.QuerySet:
    """`restrict(queryset.filter(<field_name>=parent), user, action)`: the rows of
    one parent in hand (a case's notes). Where the rule reads through that foreign
    key alone, it is decided once on `parent` and what was read with it
    (`_decided_under`), and the query is the plain filter, without the scope's
    joins; otherwise the scope filters as usual."""
    rows = queryset.filter(**{field_name: parent})
    decided = _decided_under(user, action, queryset.model, field_name, parent)
    if decided is None:
        return restrict(rows, user, action)
    return rows if decided else rows.none()


def _decided_under(user: Any, action: str, model, field_name: str, parent) -> bool | None:
    """`restrict`'s answer for every `model` row whose `field_name` is `parent`, where
    the rule reads through that foreign key only and `parent` (with what was read
    with it) answers it: the same for all of them. None where it takes the database."""
    rule = _rule_in_hand(user, action, model.scope)
    if rule is None or isinstance(rule, bool):
        return rule
    if rule == FOLLOWS:
        return can(user, VIEW, parent) if model.scope.follows == field_name else None
    prefix = f"{field_name}__"

    def reach(path: str) -> Reached:
        if path == field_name:
            return [parent.pk], False
        if path.startswith(prefix):
            return _reached(parent, path[len(prefix) :].split("__"), follow=True)
        return None

    return _decided(rule, reach)


def _reached(obj: models.Model, parts: list[str], *, follow: bool) -> Reached:
    """What the lookup `parts` reaches from `obj` without a query: the row's own
    columns and, with `follow`, the related objects read with it (a foreign key's
    object already read, a prefetched many-to-many)."""
    rows, model, crossed = [obj], type(obj), False
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None  # a lookup such as __in or __isnull: the database knows
        if not field.is_relation:
            return ([getattr(row, field.attname) for row in rows], crossed) if last else None
        if field.auto_created or not (field.many_to_many or field.concrete):
            return None  # a reverse or generic relation: not read with the row
        if field.many_to_many:
            if not follow:
                return None
            related = []
            for row in rows:
                cache = getattr(row, "_prefetched_objects_cache", {})
                if field.name not in cache:
                    return None
                related.extend(cache[field.name])
            rows, crossed = related, True
            if last:
                return [row.pk for row in rows], crossed
        else:
            if last:
                return [getattr(row, field.attname) for row in rows], crossed
            if not follow or not all(field.is_cached(row) for row in rows):
                return None
            rows = [r for r in (field.get_cached_value(row) for row in rows) if r is not None]
        model = field.related_model
    return None


def _decided(rule: _Anchored, reach: Callable[[str], Reached]) -> bool | None:
    """Whether `rule` holds, given `reach`. A rule with more than one lookup across
    a to-many relation asks the database: in SQL its conditions must hold on the
    same related row, which the values alone do not tell."""
    lookups = [*rule.paths, *_lookups(rule.narrowing)]
    found = {lookup: reach(lookup) for lookup in lookups}
    if any(value is None for value in found.values()):
        return None
    if sum(crossed for _, crossed in found.values()) > 1:
        return None
    anchored = any(
        value is not None and value in rule.keys for path in rule.paths for value in found[path][0]
    )
    narrowed = _holds(rule.narrowing, found)
    return None if narrowed is None else anchored and narrowed


def _lookups(condition: Q) -> list[str]:
    found = []
    for child in condition.children:
        found.extend(_lookups(child) if isinstance(child, Q) else [child[0]])
    return found


def _holds(condition: Q, found: Mapping[str, tuple[list, bool]]) -> bool | None:
    """Whether the Q `condition` holds on the values `found` for its lookups:
    exact lookups (`path=value`), AND or OR, negated or not; None for any other."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            result = _holds(child, found)
            if result is None:
                return None
        else:
            lookup, expected = child
            if isinstance(expected, models.Model):
                expected = expected.pk
            if isinstance(expected, (list, tuple, set, frozenset, dict, Q)) or hasattr(
                expected, "resolve_expression"
            ):
                return None
            result = expected in found[lookup][0]
        results.append(result)
    held = any(results) if condition.connector == Q.OR else all(results)
    return not held if condition.negated else held


def may(user: Any, action: str, model: type[models.Model]) -> bool:
    """Whether `user`'s role may perform the write `action` on some `model` rows
    at all, before any row is at hand (the row itself is checked by `can`, or
    re-checked after saving, see `core.access.ensure_visible`)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    scope: Scope = model.scope
    if is_unrestricted(user):
        return _superuser_may(scope, action)
    if _hidden(user, scope):
        return False
    return action == VIEW or user.role in roles_for(scope, action)


def may_create(user: Any, model: type[models.Model]) -> bool:
    """Whether `user`'s role may create `model` rows at all."""
    return may(user, CREATE, model)


def can_at(user: Any, action: str, model: type[models.Model], station: Any) -> bool:
    """Whether `user` may perform the write `action` on a `model` row placed at
    `station` (a Station, or None for a row that hangs from no station), before
    the row exists: e.g. create a resident at this station, import this
    station's service records. The role must hold the action on the model's
    scope, and the station must be within the user's view (a station's own
    staff see their station only). The saved row is still re-checked inside the
    write's transaction (`core.access.ensure_visible`)."""
    if not may(user, action, model):
        return False
    if station is None:
        return True
    return can(user, VIEW, station)


def actions_for(user: Any, obj: models.Model) -> frozenset[str]:
    """The actions `user` may perform on the saved `obj`: view, change and the
    named actions its scope declares. What templates and UI flags ask, so that a
    button is shown exactly when the service would accept the action."""
    scope: Scope = type(obj).scope
    allowed = {action for action in (CHANGE, *scope.acts) if can(user, action, obj)}
    if allowed or can(user, VIEW, obj):
        # Every write action implies the view: its rows are a subset of the visible.
        allowed.add(VIEW)
    return frozenset(allowed)


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user: Any, action: str = VIEW) -> ScopedQuerySet:
        return restrict(self, user, action)

    def visible_under(
        self, user: Any, field_name: str, parent: models.Model, action: str = VIEW
    ) -> ScopedQuerySet:
        """The rows of `parent` (at `field_name`) `user` may act on (`restrict_under`)."""
        return restrict_under(self, user, field_name, parent, action)
