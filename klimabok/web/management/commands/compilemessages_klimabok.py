"""Compile every ``locale/*/LC_MESSAGES/django.po`` under klimabok to ``.mo`` in pure Python.

Django's own ``compilemessages`` needs GNU gettext's ``msgfmt`` (a system
package); polib does the same job from PyPI, so ``make run`` needs nothing
but Python. Only files whose ``.po`` is newer than the ``.mo`` are rebuilt.
"""

from __future__ import annotations

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
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled += 1
        self.stdout.write(f"compiled {compiled} translation catalogue(s)")
