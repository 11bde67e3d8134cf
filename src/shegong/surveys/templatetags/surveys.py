"""`{% plan_needs plan %}`: the top needs of the needs survey attached to a plan,
shown on the plan page without the plans app knowing about surveys' analysis."""

from django import template

from shegong.core.scope import can
from shegong.surveys import selectors

register = template.Library()


@register.inclusion_tag("surveys/_plan_needs.html", takes_context=True)
def plan_needs(context, plan):
    survey = plan.needs_survey
    user = context["request"].user
    if survey is None or not can(user, "view", survey):
        return {"survey": None}
    return {
        "survey": survey,
        "needs": selectors.top_needs(survey),
        "responses": survey.responses.count(),
    }
