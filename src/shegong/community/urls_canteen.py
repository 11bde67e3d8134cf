"""The meal programme's money (docs/meals.md): check-in, cards, settlements."""

from django.urls import path

from shegong.community.views import meals_money as views

app_name = "canteen"

_MONTH = "settlements/<int:station>/<str:month>/<str:funder>/"

urlpatterns = [
    path("check-in/", views.check_in, name="check-in"),
    path("cards/", views.cards, name="cards"),
    path("cards/<int:pk>/", views.card, name="card"),
    path("cards/<int:pk>/class/", views.eligibility, name="eligibility"),
    path("settlements/", views.settlements, name="settlements"),
    path(_MONTH, views.settlement, name="settlement"),
    path(f"{_MONTH}adjust/", views.settlement_adjust, name="settlement-adjust"),
    path(f"{_MONTH}export/", views.settlement_export, name="settlement-export"),
]
