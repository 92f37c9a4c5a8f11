from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports made from the account and the plan: the Miljøfyrtårn annual report, the public climate page."""

    name = "klimabok.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from klimabok.reports.jobs import delete_file
        from klimabok.reports.models import ReportJob

        def deleted(sender: type[ReportJob], instance: ReportJob, **kwargs: object) -> None:
            delete_file(instance)

        post_delete.connect(deleted, sender=ReportJob, weak=False, dispatch_uid="reports.job.file")
