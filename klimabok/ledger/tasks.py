"""The background task that reads an uploaded ledger file (``manage.py db_worker`` runs it).

Enqueued by :func:`klimabok.ledger.services.imports.start_import` once the upload's transaction commits;
with the database backend (``settings.TASKS``) the task waits in the database for a worker.
"""

from __future__ import annotations

import logging

from django_tasks import task

from klimabok.ledger.models import LedgerImport
from klimabok.ledger.services.imports import process_import

logger = logging.getLogger(__name__)


@task()
def process_ledger_import(import_id: int) -> str | None:
    """Read the import's stored file (nothing when it was deleted meanwhile); its final status."""
    logger.info("task process_ledger_import(%s) started", import_id)
    try:
        imported = LedgerImport.objects.select_related("reporting_year").filter(pk=import_id).first()
        status = None if imported is None else process_import(imported).status
    except Exception:
        logger.exception("task process_ledger_import(%s) failed", import_id)
        raise
    logger.info("task process_ledger_import(%s) ended: %s", import_id, status or "import deleted")
    return status
