"""The monthly digest e-mail to an organisation's members: news, the pathway's progress, the survey
invitation, suggestions accepted; sent by ``klimabok remind`` (the reminders' scheduled command).

- Once a month per person: :class:`~klimabok.engagement.models.DigestSent` is written in the same
  transaction as the sending (as the plan's reminders do), so a failed send rolls it back and the next run
  tries again, and two runs at once queue on the row.
- What it covers: news published and suggestions accepted since the first day of the previous month.
  A month with neither sends nothing (the progress alone is on the start page).
- Opting out: one click on the signed link in every digest (:func:`unsubscribe_token`; no login), or the
  setting on the person's digest page. Partner staff are not members and get none.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from klimabok.accounts.models import Membership, Organisation, User
from klimabok.engagement.models import DigestOptOut, DigestSent
from klimabok.engagement.read_models import DigestContent, digest_content

logger = logging.getLogger(__name__)

_SALT = "klimabok.engagement.digest-opt-out"


@dataclass
class DigestRun:
    """What a run sent (``"digest nordlys 2026-03 → emma@…"``) and how many it had sent before."""

    sent: list[str] = field(default_factory=list)
    already_sent: int = 0


def unsubscribe_token(organisation: Organisation, user: User) -> str:
    """The signed token of the one-click opt-out link: who and which organisation, nothing to log in with."""
    return signing.dumps({"o": organisation.pk, "u": user.pk}, salt=_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[Organisation, User] | None:
    """The organisation and person of a token from :func:`unsubscribe_token`; None when forged or stale."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    organisation = Organisation.objects.filter(pk=data.get("o")).first()
    user = User.objects.filter(pk=data.get("u")).first()
    return (organisation, user) if organisation and user else None


@transaction.atomic
def set_digest(organisation: Organisation, user: User, *, wanted: bool) -> None:
    """Receive the organisation's digest (``wanted``) or not."""
    if wanted:
        DigestOptOut.objects.filter(organisation=organisation, user=user).delete()
        return
    try:
        with transaction.atomic():
            DigestOptOut.objects.get_or_create(organisation=organisation, user=user)
    except IntegrityError:
        pass  # clicked twice at once: opted out once


def receives_digest(organisation: Organisation, user: User) -> bool:
    return not DigestOptOut.objects.filter(organisation=organisation, user=user).exists()


def _recipients(organisation: Organisation) -> list[User]:
    opted_out = DigestOptOut.objects.filter(organisation=organisation).values("user_id")
    members = (Membership.objects.filter(organisation=organisation, user__is_active=True)
               .exclude(user_id__in=opted_out).select_related("user").order_by("user__email"))
    return [m.user for m in members]


def _link(path: str) -> str:
    return f"{settings.KLIMABOK_SITE_URL}{path}"


def send_digests(today: date, *, organisations: Iterable[Organisation] | None = None) -> DigestRun:
    """Send this month's digest to every member of every client organisation who has not had it."""
    run = DigestRun()
    month = today.replace(day=1)
    since_day = (month - timedelta(days=1)).replace(day=1)
    since = timezone.make_aware(datetime.combine(since_day, time.min))
    clients = (organisations if organisations is not None
               else Organisation.objects.filter(kind=Organisation.Kind.CLIENT).order_by("slug"))
    for organisation in clients:
        recipients = _recipients(organisation)
        if not recipients:
            continue
        contents: dict[str, DigestContent] = {}

        def content_in(language: str, organisation: Organisation = organisation,
                       contents: dict[str, DigestContent] = contents) -> DigestContent:
            if language not in contents:
                with translation.override(language):
                    contents[language] = digest_content(organisation, since, today)
            return contents[language]

        if not content_in(settings.LANGUAGE_CODE).has_news:
            continue  # nothing new this month: no digest, nothing recorded
        for user in recipients:
            language = user.language or settings.LANGUAGE_CODE
            with transaction.atomic():
                _row, created = DigestSent.objects.get_or_create(organisation=organisation, user=user,
                                                                 month=month)
                if not created:
                    run.already_sent += 1
                    continue
                with translation.override(language):
                    context = {
                        "organisation": organisation, "content": content_in(language), "month": month,
                        "user": user,
                        "start_url": _link(reverse("account:org_home", kwargs={"slug": organisation.slug})),
                        "unsubscribe_url": _link(reverse("engagement:unsubscribe", kwargs={
                            "token": unsubscribe_token(organisation, user)})),
                    }
                    subject = render_to_string("engagement/email/digest_subject.txt", context).strip()
                    body = render_to_string("engagement/email/digest.txt", context)
                message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
                # RFC 8058: the mail client's own "unsubscribe" button posts to the same one-click link.
                message.extra_headers = {"List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                                         "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
                message.send()
            run.sent.append(f"digest {organisation.slug} {month:%Y-%m} → {user.email}")
            logger.info("digest %s %s sent to %s", organisation.slug, f"{month:%Y-%m}", user.email)
    return run
