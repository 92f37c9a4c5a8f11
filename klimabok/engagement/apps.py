from django.apps import AppConfig


class EngagementConfig(AppConfig):
    """Employees involved and informed: news posts (with drafts proposed from milestones), suggestions
    with votes, comments and replies (an accepted one becomes a measure of the plan), the employee's start
    page and the monthly digest e-mail."""

    name = "klimabok.engagement"
    label = "engagement"
