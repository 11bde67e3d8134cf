"""`core.scope.can` answers from the row in hand where the rule is a plain
comparison of the row's own key with the user's anchor (`_decided_from_row`), and
asks the database otherwise. Every answer it gives from the row must be the
query's: checked for every person of the test world, every model with rows, every
action its scope declares."""

from django.apps import apps

from shegong.core import scope
from tests.delivery_world import group, make_delivery, record


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
