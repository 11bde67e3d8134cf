"""The /api/ router: one registration per viewset, all scoped."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from shegong.accounts.api import UserViewSet
from shegong.accounts.two_factor import ObtainAuthToken
from shegong.agenda import api as agenda_api
from shegong.cases import api as cases_api
from shegong.cases import library_api, scoring_api, signoff_api
from shegong.clients import api as clients_api
from shegong.clients import document_api as client_document_api
from shegong.community import api as community_api
from shegong.contracts import api as contracts_api
from shegong.core.access_log_api import AccessLogViewSet
from shegong.core.audit_views import AuditEntryViewSet
from shegong.delivery import api as delivery_api
from shegong.evaluation import api as evaluation_api
from shegong.evaluation import sampling_api as evaluation_sampling_api
from shegong.org import api as org_api
from shegong.plans import api as plans_api
from shegong.referrals import api as referrals_api
from shegong.referrals.stats_api import ReferralCountsView
from shegong.rosters.api import CoverageView
from shegong.stats.api import PersonTimesView
from shegong.surveys import api as surveys_api
from shegong.workforce import api as workforce_api
from shegong.workforce import hours_api as workforce_hours_api

router = DefaultRouter()
router.register("districts", org_api.DistrictViewSet)
router.register("streets", org_api.StreetViewSet)
router.register("agencies", org_api.AgencyViewSet)
router.register("stations", org_api.StationViewSet)
router.register("service-points", org_api.ServicePointViewSet)
router.register("special-projects", org_api.SpecialProjectViewSet)
router.register("contracts", org_api.ContractViewSet)
router.register("users", UserViewSet)
router.register("residents", clients_api.ResidentViewSet)
router.register("households", clients_api.HouseholdViewSet)
router.register("consents", clients_api.ConsentViewSet)
router.register("client-statuses", clients_api.ClientStatusViewSet)
router.register("tags", clients_api.ResidentTagViewSet)
router.register("resident-documents", client_document_api.ResidentDocumentViewSet)
router.register("cases", cases_api.CaseViewSet)
router.register("observations", cases_api.ObservationViewSet)
router.register("alerts", cases_api.AlertViewSet)
router.register("alert-rules", cases_api.AlertRuleViewSet)
router.register("signoffs", signoff_api.SignoffViewSet)
router.register("signoff-settings", signoff_api.SignoffSettingViewSet)
router.register("case-documents", signoff_api.CaseDocumentViewSet)
router.register("instruments", scoring_api.InstrumentViewSet)
router.register("instrument-scores", scoring_api.InstrumentScoreViewSet)
router.register("access-log", AccessLogViewSet)
router.register("case-library", library_api.LibraryCaseViewSet)
router.register("audit-log", AuditEntryViewSet)
router.register("plans", plans_api.AnnualPlanViewSet)
router.register("plan-projects", plans_api.PlanProjectViewSet)
router.register("service-events", delivery_api.ServiceEventViewSet)
router.register("groups", delivery_api.GroupViewSet)
router.register("volunteers", community_api.VolunteerViewSet)
router.register("volunteer-teams", community_api.VolunteerTeamViewSet)
router.register("volunteer-signups", community_api.VolunteerSignupViewSet)
router.register("party-organisations", community_api.PartyOrganisationViewSet)
router.register("party-members", community_api.PartyMemberViewSet)
router.register("community-organisations", community_api.CommunityOrganisationViewSet)
router.register("governance-projects", community_api.GovernanceProjectViewSet)
router.register("deliberation-meetings", community_api.DeliberationMeetingViewSet)
router.register("meal-enrolments", community_api.MealEnrolmentViewSet)
router.register("meal-records", community_api.MealRecordViewSet)
router.register("staff-profiles", workforce_api.StaffProfileViewSet)
router.register("pay-rates", workforce_hours_api.PayRateViewSet)
router.register("directory", referrals_api.PartnerViewSet)
router.register("training-records", workforce_api.TrainingRecordViewSet)
router.register("supervision-records", workforce_api.SupervisionRecordViewSet)
router.register("evaluation-rounds", evaluation_api.EvaluationRoundViewSet)
router.register("evaluation-assignments", evaluation_api.RoundAssignmentViewSet)
router.register("station-evaluations", evaluation_api.StationEvaluationViewSet)
router.register("indicator-scores", evaluation_api.IndicatorScoreViewSet)
router.register("evaluation-evidence", evaluation_api.EvidenceViewSet)
router.register("evaluation-samples", evaluation_sampling_api.ClientSampleViewSet)
router.register("sample-entries", evaluation_sampling_api.SampleEntryViewSet)
router.register("inspections", evaluation_api.InspectionViewSet)
router.register("rectifications", evaluation_api.RectificationViewSet)
router.register("rectification-alerts", evaluation_api.RectificationAlertViewSet)
router.register("surveys", surveys_api.SurveyViewSet)
router.register("survey-questions", surveys_api.QuestionViewSet)
router.register("appointments", agenda_api.AppointmentViewSet)
router.register("tenders", contracts_api.TenderViewSet)
router.register("contract-terms", contracts_api.ContractTermsViewSet)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("token/", ObtainAuthToken.as_view(), name="token"),
    path("stats/person-times/", PersonTimesView.as_view(), name="stats-person-times"),
    path("referrals/statistics/", ReferralCountsView.as_view(), name="referral-stats"),
    path("rosters/coverage/", CoverageView.as_view(), name="roster-coverage"),
    path("workforce/staffing/", workforce_api.StaffingView.as_view(), name="workforce-staffing"),
    path(
        "workforce/stations/<int:pk>/service-hours/",
        workforce_hours_api.ServiceHoursView.as_view(),
        name="workforce-service-hours",
    ),
    path("meal-roll-calls/", community_api.MealRollCallView.as_view(), name="meal-roll-calls"),
    path("", include(router.urls)),
]
