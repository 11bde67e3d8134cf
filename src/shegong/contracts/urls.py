from django.urls import path

from shegong.contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.<str:fmt>", views.export, name="export"),
    path("tenders/new/", views.tender_create, name="tender-create"),
    path("tenders/<int:pk>/", views.tender_detail, name="tender-detail"),
    path("tenders/<int:pk>/bids/", views.bid_add, name="bid-add"),
    path("tenders/<int:pk>/award/", views.tender_award, name="tender-award"),
    path("<int:pk>/", views.contract_detail, name="contract-detail"),
    path("<int:pk>/export.<str:fmt>", views.contract_export, name="contract-export"),
    path("<int:pk>/terms/", views.terms_create, name="terms-create"),
    path("<int:pk>/result/", views.result_record, name="result-record"),
    path("<int:pk>/accept/", views.acceptance_record, name="acceptance-record"),
    path("<int:pk>/pay/", views.instalment_pay, name="instalment-pay"),
    path("<int:pk>/spending/", views.spending_add, name="spending-add"),
    path("<int:pk>/renewal/", views.renewal_decide, name="renewal-decide"),
]
