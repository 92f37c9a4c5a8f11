"""``makemessages`` that also finds the core's message templates: ``message("…", …)``.

The core (:mod:`klimabok.core`, no Django) marks its user-facing texts with
:func:`klimabok.core.messages.message`, and :mod:`klimabok.web.core_messages` translates them when
a page shows them. Plain ``makemessages`` knows only Django's gettext names, so with
``--no-obsolete`` it dropped every core message from ``klimabok/locale``; this command adds
``message`` to xgettext's keywords (``make messages`` runs it).
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    help = "Extract the translation catalogues, the core's message('…') templates included."
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=message"]
