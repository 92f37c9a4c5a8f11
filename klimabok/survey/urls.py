"""Survey URLs: the public answer page ``/s/<token>/``; a year's survey under ``/o/<slug>/<year>/survey/``."""

from django.urls import path

from klimabok.survey.views import answer, manage

app_name = "survey"

urlpatterns = [
    path("s/<str:token>/", answer.answer, name="answer"),
    path("o/<slug:slug>/<int:year>/survey/", manage.results, name="results"),
    path("o/<slug:slug>/<int:year>/survey/open/", manage.open_survey, name="open"),
    path("o/<slug:slug>/<int:year>/survey/close/", manage.close_survey, name="close"),
    path("o/<slug:slug>/<int:year>/survey/use/", manage.use_in_account, name="use"),
    path("o/<slug:slug>/<int:year>/survey/poster/", manage.poster, name="poster"),
]
