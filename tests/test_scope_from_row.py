"""`core.scope.can` answers from the row in hand where the rule is a plain
comparison of the row's own key with the user's anchor (`_decided_from_row`), and
asks the database otherwise. Every answer it gives from the row must be the
query's: checked for every person of the test world, every model with rows, every
action its scope declares."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import prefetch_related_objects

from shegong.cases import services as case_services
from shegong.cases.models import Case, CaseNote
from shegong.core import scope
from shegong.core.roles import Role
from tests.conftest import make_user
from tests.delivery_world import group, make_delivery, record
from tests.helpers import days_ago, open_case, register_resident


def _by_query(user, action, obj) -> bool:
    rows = scope.restrict(type(obj)._default_manager.all(), user, action)
    return rows.filter(pk=obj.pk).exists()


def test_every_answer_from_the_row_is_the_querys(world):
    d = make_delivery(world)
    record(d, "key", headcount=3)
    group(d, members=3)
    decided = {True: 0, False: 0}
    asked = 0
    for model in apps.get_models():
        model_scope = getattr(model, "scope", None)
        if not isinstance(model_scope, scope.Scope):
            continue
        actions = (*scope.ACTIONS, *model_scope.acts)
        for obj in model._default_manager.order_by("pk")[:4]:
            for user in world.people.values():
                for action in actions:
                    answer = scope._decided_from_row(user, action, obj)
                    if answer is None:
                        asked += 1
                        continue
                    assert answer == _by_query(user, action, obj), (model, obj.pk, user, action)
                    decided[answer] += 1
    # Most answers come from the row, both ways; the others still ask.
    assert decided[True] > 150 and decided[False] > 600 and asked > 500, (decided, asked)


def test_a_station_reads_its_own_rows_without_a_query(world, django_assert_num_queries):
    d = make_delivery(world)
    event = record(d, "key", headcount=3)
    with django_assert_num_queries(0):
        assert scope.can(world["worker"], scope.VIEW, event)
        assert scope.can(world["director"], scope.CHANGE, event)
        assert not scope.can(world["director_b"], scope.VIEW, event)
        assert scope.can(world["worker"], scope.VIEW, world.station_a)
        assert not scope.can(world["worker"], scope.VIEW, world.station_b)
    # A district officer's rule runs up the tree: the database answers.
    with django_assert_num_queries(1):
        assert scope.can(world["district"], scope.VIEW, event)


def _lookups(model_scope) -> list[str]:
    """Every lookup `model_scope` may filter by: its levels', assigned workers',
    evaluators' and role conditions'."""
    found = []
    for name in ("station", "agency", "street", "district", "city", "assigned", "evaluators"):
        found.extend(scope._paths(getattr(model_scope, name)))
    for condition in model_scope.role_conditions.values():
        found.extend(scope._lookups(condition))
    return [path for path in found if path != "self"]


def _read_with_relations(obj, lookups):
    """`obj` with every relation its scope's lookups cross read into it, as a view
    reads a row with select_related and prefetch_related."""
    for lookup in lookups:
        parts = lookup.split("__")
        for end in range(1, len(parts) + 1):
            try:
                prefetch_related_objects([obj], "__".join(parts[:end]))
            except (AttributeError, ValueError, FieldDoesNotExist):
                break
    return obj


def _sample(world):
    d = make_delivery(world)
    record(d, "key", headcount=3)
    group(d, members=3)
    make_case_file(world)


def test_answers_from_related_rows_in_hand_are_the_querys(world):
    """With the related objects read along (a case's station and workers for its
    notes), more answers come from the row, and each is the query's."""
    _sample(world)
    decided = {True: 0, False: 0}
    for model in apps.get_models():
        model_scope = getattr(model, "scope", None)
        if not isinstance(model_scope, scope.Scope):
            continue
        lookups = _lookups(model_scope)
        if not any("__" in lookup for lookup in lookups):
            continue
        for obj in model._default_manager.order_by("pk")[:4]:
            obj = _read_with_relations(obj, lookups)
            for user in world.people.values():
                for action in (*scope.ACTIONS, *model_scope.acts):
                    answer = scope._decided_from_row(user, action, obj)
                    # The row's own columns alone, as a write re-checks what it saved.
                    own = scope._decided_from_row(user, action, obj, loaded=False)
                    if answer is None:
                        assert own is None
                        continue
                    assert answer == _by_query(user, action, obj), (model, obj, user, action)
                    assert own in (None, answer)
                    if own is None:
                        decided[answer] += 1
    # Answers that only the related rows in hand gave, both ways.
    assert decided[True] > 100 and decided[False] > 100, decided


def test_the_rows_of_a_parent_in_hand_are_the_scoped_rows(world):
    """`restrict_under` gives, for every foreign key a scope's rule reads through,
    the rows `restrict` gives, whether it decided on the parent or asked."""
    _sample(world)
    decided = compared = 0
    for model in apps.get_models():
        model_scope = getattr(model, "scope", None)
        if not isinstance(model_scope, scope.Scope):
            continue
        lookups = _lookups(model_scope)
        firsts = {lookup.split("__")[0] for lookup in lookups} | {model_scope.follows}
        for field in model._meta.concrete_fields:
            if not field.many_to_one or field.name not in firsts:
                continue
            stripped = [
                lookup.split("__", 1)[1]
                for lookup in lookups
                if lookup.startswith(f"{field.name}__")
            ]
            parent_ids = (
                model._default_manager.order_by(field.attname)
                .values_list(field.attname, flat=True)
                .distinct()[:3]
            )
            for parent_id in parent_ids:
                if parent_id is None:
                    continue
                parent = field.related_model._base_manager.get(pk=parent_id)
                parent = _read_with_relations(parent, stripped)
                for user in world.people.values():
                    for action in (*scope.ACTIONS, *model_scope.acts):
                        rows = model._default_manager.all()
                        expected = set(
                            scope.restrict(rows.filter(**{field.name: parent}), user, action)
                        )
                        got = set(scope.restrict_under(rows, user, field.name, parent, action))
                        assert got == expected, (model, field.name, parent, user, action)
                        compared += 1
                        if (
                            scope._decided_under(user, action, model, field.name, parent)
                            is not None
                        ):
                            decided += 1
    assert compared > 1000 and decided > 500, (compared, decided)


def test_a_case_files_parts_are_read_without_the_scope_joins(world, django_assert_num_queries):
    """A case read with its workers decides its content's rule once: its notes
    are the plain `case_id = …` query, for the assigned worker and the director;
    a worker of the station not on the case reads none, with no query."""
    case = make_case_file(world)
    case = Case.objects.prefetch_related("workers").select_related("station").get(pk=case.pk)
    assigned, director = world["worker"], world["director"]
    outsider = make_user("worker_a2", Role.SOCIAL_WORKER, station=world.station_a)
    for user, expected in ((assigned, True), (director, True), (outsider, False)):
        with django_assert_num_queries(0):
            assert scope._decided_under(user, scope.VIEW, CaseNote, "case", case) is expected
    plain = CaseNote.objects.filter(case=case)
    assert str(CaseNote.objects.visible_under(assigned, "case", case).query) == str(plain.query)
    assert list(CaseNote.objects.visible_under(outsider, "case", case)) == []


def make_case_file(world) -> Case:
    """A case of station A, assigned to A's worker, opened and assessed."""
    case = open_case(world, register_resident(world, consented=5), opened_on=days_ago(3))
    case_services.case_assess(
        actor=world["worker"],
        case=case,
        assessed_on=days_ago(2),
        needs="需要陪伴",
        risk_level="low",
    )
    return case
