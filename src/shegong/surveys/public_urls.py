from django.urls import path

from shegong.surveys import public

app_name = "surveys-public"

urlpatterns = [
    path("<str:token>/", public.answer, name="answer"),
    path("<str:token>/thanks/", public.thanks, name="thanks"),
]
