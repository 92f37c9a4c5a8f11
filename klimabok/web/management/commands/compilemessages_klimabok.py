"""Compile every ``locale/*/LC_MESSAGES/django.po`` under klimabok to ``.mo`` in pure Python.

Django's own ``compilemessages`` needs GNU gettext's ``msgfmt`` (a system
package); polib does the same job from PyPI, so ``make run`` needs nothing
but Python. Only files whose ``.po`` is newer than the ``.mo`` are rebuilt, and each
``.mo`` is replaced atomically, so parallel test workers may all run this at start-up.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the klimabok translation catalogues (.po → .mo) without GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for po_path in sorted(Path(settings.BASE_DIR).rglob("locale/*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            # Write beside and rename: a process reading the catalogue (a parallel test
            # worker, a running server) never sees a half-written file.
            partial = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.tmp")
            polib.pofile(str(po_path)).save_as_mofile(str(partial))
            os.replace(partial, mo_path)
            compiled += 1
        self.stdout.write(f"compiled {compiled} translation catalogue(s)")
