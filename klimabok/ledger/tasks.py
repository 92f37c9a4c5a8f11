"""The background task that reads an uploaded ledger file (``manage.py db_worker`` runs it).

Enqueued by :func:`klimabok.ledger.services.imports.start_import` once the upload's transaction commits;
with the database backend (``settings.TASKS``) the task waits in the database for a worker.
"""

from __future__ import annotations

from django_tasks import task

from klimabok.ledger.models import LedgerImport
from klimabok.ledger.services.imports import process_import


@task()
def process_ledger_import(import_id: int) -> str | None:
    """Read the import's stored file (nothing when it was deleted meanwhile); its final status."""
    imported = LedgerImport.objects.select_related("reporting_year").filter(pk=import_id).first()
    if imported is None:
        return None
    return process_import(imported).status
