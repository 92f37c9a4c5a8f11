"""Evidence files on a measure: checked, stored in default storage under ``plan-evidence/``, recorded.

Stored like the other uploads (files in default storage, a row with the SHA-256, size and name):
refused with nothing kept when empty, over ``KLIMABOK_MAX_UPLOAD_BYTES`` (10 MB by default) or not
one of :data:`TYPES` — judged by the name's extension *and* the content's first bytes, so a program
renamed to .pdf is refused. The download is always an attachment with the type stored here.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from klimabok.accounts.models import User
from klimabok.audit.kinds import Kind
from klimabok.plans.models import Measure, MeasureEvidence
from klimabok.plans.services.common import problem, record, refuse

EVIDENCE_DIR = "plan-evidence"


def _starts(*signatures: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(signatures)


def _text(head: bytes) -> bool:
    """UTF-8 text without NUL bytes (the head may end inside a character)."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3
    return True


_ZIP = _starts(b"PK\x03\x04")  # the Office Open XML formats are zip files
#: Extension → (content type, check of the first bytes).
TYPES: dict[str, tuple[str, Callable[[bytes], bool]]] = {
    ".pdf": ("application/pdf", _starts(b"%PDF-")),
    ".png": ("image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    ".csv": ("text/csv", _text),
    ".txt": ("text/plain", _text),
}


@transaction.atomic
def add_evidence(measure: Measure, uploaded_file: Any, user: User | None) -> MeasureEvidence:
    """Store ``uploaded_file`` as evidence of ``measure``; refused (field ``file``) with nothing kept."""
    name = Path(getattr(uploaded_file, "name", None) or "evidence").name[:255]
    limit = settings.KLIMABOK_MAX_UPLOAD_BYTES
    size = uploaded_file.size or 0
    if size > limit:
        refuse(
            "file",
            problem(
                gettext_noop("%(name)s is %(size)s MB; at most %(limit)s MB can be uploaded."),
                name=name,
                size=round(size / 1e6, 1),
                limit=round(limit / 1e6),
            ),
        )
    extension = Path(name).suffix.lower()
    uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if not data:
        refuse("file", problem(gettext_noop("%(name)s is empty."), name=name))
    if len(data) > limit:
        refuse(
            "file",
            problem(gettext_noop("%(name)s is over %(limit)s MB."), name=name, limit=round(limit / 1e6)),
        )
    kind = TYPES.get(extension)
    if kind is None or not kind[1](data[:4096]):
        refuse(
            "file",
            problem(
                gettext_noop(
                    "%(name)s is not a file klimabok keeps as evidence: PDF, PNG, JPEG, XLSX, DOCX, "
                    "PPTX, CSV or text, whose content matches its name."
                ),
                name=name,
            ),
        )
    digest = hashlib.sha256(data).hexdigest()
    earlier = MeasureEvidence.objects.filter(measure=measure, sha256=digest).first()
    if earlier is not None:
        refuse(
            "file",
            problem(
                gettext_noop("This file is already evidence of the measure, as “%(name)s”."),
                name=earlier.filename,
            ),
        )
    stored = default_storage.save(
        f"{EVIDENCE_DIR}/{measure.organisation.slug}/{uuid.uuid4().hex}{extension}", ContentFile(data)
    )
    # The file is written before the row: if the row (or anything after it in this transaction) fails,
    # the file goes too, so storage keeps no evidence the database does not know.
    try:
        with transaction.atomic():
            evidence = MeasureEvidence.objects.create(
                measure=measure,
                filename=name,
                stored_name=stored,
                content_type=kind[0],
                sha256=digest,
                size=len(data),
                uploaded_by=user,
            )
        record(
            measure,
            measure.organisation,
            user,
            Kind.PLANS_MEASURE_EVIDENCE_ADDED,
            "measure",
            {"evidence": evidence.pk, "filename": name, "sha256": digest, "size": len(data)},
        )
    except IntegrityError:
        default_storage.delete(stored)
        refuse("file", problem(gettext_noop("This file is already evidence of the measure.")))
    except BaseException:
        default_storage.delete(stored)
        raise
    return evidence
