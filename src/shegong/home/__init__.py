"""The home page each role lands on: its work queue, each item a link to the
page where it is done. Project wiring, not core: it reads the apps' selectors,
which stand on core. Which blocks a role sees is the rule book's
(`core.roles.SECTIONS`); what is in each block is the user's scope."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from shegong.core import roles
from shegong.home import queues

# The blocks of the home page, each built by its function of `queues` from the
# user and today. Listed in the order the page shows them.
BLOCKS = {
    roles.HOME_DIRECTORY: queues.directory,
    roles.HOME_QUICK_ACTIONS: queues.quick_actions,
    roles.HOME_ROLL_CALL: queues.roll_call,
    roles.HOME_MY_WEEK: queues.my_week,
    roles.HOME_MY_ALERTS: queues.my_alerts,
    roles.HOME_MY_REVIEWS: queues.my_reviews,
    roles.HOME_STATION_INBOX: queues.station_inbox,
    roles.HOME_PLAN_PROGRESS: queues.plan_progress,
    roles.HOME_CASELOADS: queues.caseloads,
    roles.HOME_ALERTS_BY_WORKER: queues.alerts_by_worker,
    roles.HOME_SHEETS: queues.sheets,
    roles.HOME_APPROVALS: queues.approvals,
    roles.HOME_BEHIND_TARGET: queues.behind_target,
    roles.HOME_STATION_PROGRESS: queues.station_progress,
    roles.HOME_CONTRACTS_ENDING: queues.contracts_ending,
    roles.HOME_RECTIFICATIONS: queues.rectifications,
    roles.HOME_ROUNDS: queues.rounds,
    roles.HOME_SATISFACTION: queues.satisfaction,
    roles.HOME_COVERAGE_GAPS: queues.coverage_gaps,
}


@login_required
def home(request):
    user = request.user
    sections = roles.sections_for(user)
    today = timezone.localdate()
    context = {"today": today, "year": today.year}
    for section, build in BLOCKS.items():
        if section in sections:
            context.update(build(user, today))
    return render(request, "home.html", context)
