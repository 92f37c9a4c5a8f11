from django.apps import AppConfig


class SurveyConfig(AppConfig):
    """The commuting and homeworking survey: one anonymous link per organisation and year, its answers,
    their results (GHG Protocol Scope 3 category 7) and writing them into the year's activity data."""

    name = "klimabok.survey"
    label = "survey"
