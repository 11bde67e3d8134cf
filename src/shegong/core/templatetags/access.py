"""What a template may ask of the scope: which actions the user may perform.

    {% load access %}
    {% actions_for request.user case as acts %}
    {% if "assign" in acts %}<a href="...">...</a>{% endif %}
    {% may_do request.user "create" "clients.Resident" as may_register %}

The same functions the services call (`core.scope`), so a button is shown
exactly when the action would be accepted; no template compares roles.
"""

from django import template
from django.apps import apps

from shegong.core import scope

register = template.Library()


@register.simple_tag
def actions_for(user, obj) -> frozenset[str]:
    if obj is None:
        return frozenset()
    return scope.actions_for(user, obj)


@register.simple_tag
def may_do(user, action: str, model_label: str, station=None) -> bool:
    """Whether `user` may perform `action` on a `model_label` ("app.Model") row
    (placed at `station`, when given)."""
    model = apps.get_model(model_label)
    if station is None:
        return scope.may(user, action, model)
    return scope.can_at(user, action, model, station)
