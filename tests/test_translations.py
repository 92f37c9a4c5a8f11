"""Every bokmål catalogue is complete: no message without its translation, none left fuzzy.

``make messages`` (``manage.py makemessages_klimabok``) re-extracts the catalogues from the code; a
text it finds in a new place arrives untranslated in that place's catalogue, and makemessages marks a
guess from a similar text "fuzzy" (Django does not use fuzzy translations). Either way the page would
show English to a bokmål user: this test names the file and the text.
"""

from __future__ import annotations

from pathlib import Path

import polib

KLIMABOK = Path(__file__).resolve().parents[1] / "klimabok"


def test_every_bokmal_message_is_translated() -> None:
    catalogues = sorted(KLIMABOK.rglob("locale/nb/LC_MESSAGES/django.po"))
    assert len(catalogues) >= 10
    gaps = {str(path.relative_to(KLIMABOK)): [e.msgid for e in polib.pofile(str(path))
                                               if not e.translated() or "fuzzy" in e.flags]
            for path in catalogues}
    assert {name: msgids for name, msgids in gaps.items() if msgids} == {}


def test_the_core_messages_are_in_the_project_catalogue() -> None:
    """The core's message('…') templates (klimabok.core, no Django) live in klimabok/locale."""
    msgids = {e.msgid for e in polib.pofile(str(KLIMABOK / "locale" / "nb" / "LC_MESSAGES" / "django.po"))}
    assert {"row %(row)s", "unknown unit '%(unit)s'",
            "not well-formed XML: the file ends before </AuditFile> (is it cut off?)"} <= msgids
