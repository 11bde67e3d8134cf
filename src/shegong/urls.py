from django.contrib import admin
from django.urls import include, path

from shegong import home

admin.site.site_header = "Shegong 社工"
admin.site.site_title = "Shegong"

urlpatterns = [
    path("", home.home, name="home"),
    path("", include("shegong.core.urls")),
    path("accounts/", include("shegong.accounts.urls")),
    path("org/", include("shegong.org.urls")),
    path("residents/", include("shegong.clients.urls")),
    path("cases/", include("shegong.cases.urls")),
    path("plans/", include("shegong.plans.urls")),
    path("services/import/", include("shegong.delivery.import_urls")),
    path("services/", include("shegong.delivery.urls")),
    path("community/activities/", include("shegong.community.activity_urls")),
    path("community/", include("shegong.community.urls")),
    path("canteen/", include("shegong.community.urls_canteen")),
    path("stats/", include("shegong.stats.urls")),
    path("workforce/", include("shegong.workforce.urls")),
    path("contracts/", include("shegong.contracts.urls")),
    path("agenda/", include("shegong.agenda.urls")),
    path("evaluation/", include("shegong.evaluation.urls")),
    path("surveys/", include("shegong.surveys.urls")),
    path("s/", include("shegong.surveys.public_urls")),
    path("v/", include("shegong.community.volunteer_public_urls")),
    path("golive/", include("shegong.golive.urls")),
    path("rosters/", include("shegong.rosters.urls")),
    path("referrals/", include("shegong.referrals.urls")),
    path("privacy/", include("shegong.privacy.urls")),
    path("api/", include(("shegong.api_urls", "api"), namespace="api")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "shegong.core.views.error_400"
handler403 = "shegong.core.views.error_403"
handler404 = "shegong.core.views.error_404"
handler500 = "shegong.core.views.error_500"
