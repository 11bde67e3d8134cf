from django.urls import path

from shegong.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("satisfaction/", views.satisfaction, name="satisfaction"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/questions/", views.question_add, name="question-add"),
    path("<int:pk>/publish/", views.survey_publish, name="publish"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/new-version/", views.survey_new_version, name="new-version"),
    path("<int:pk>/qr.png", views.survey_qr, name="qr"),
    path("<int:pk>/poster/", views.survey_poster, name="poster"),
    path("<int:pk>/poster.pdf", views.survey_poster_pdf, name="poster-pdf"),
    path("<int:pk>/paper/", views.survey_paper, name="paper"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/attach-plan/", views.survey_attach_plan, name="attach-plan"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question-edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question-delete"),
    path("questions/<int:pk>/move/", views.question_move, name="question-move"),
]
