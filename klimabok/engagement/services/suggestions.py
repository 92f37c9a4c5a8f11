"""Suggestions: submitting (named or anonymous), votes, comments, and the ombudsman's answer.

Anonymous means that nothing stores who wrote it: the row has no author, no audit event is recorded for
the submission, nothing is logged. Accepting a suggestion makes it a measure of the plan through
:func:`klimabok.plans.services.save_measure` (the measure's ``source_ref`` says "suggestion #n", and the
suggestion links to it). Each change of status or reply is an audit event
(``engagement.suggestion_status_changed``) and, when the suggestion is named, an e-mail to its author
once the transaction commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.engagement.models import Comment, Suggestion, Vote
from klimabok.engagement.services.common import record, refuse
from klimabok.plans import services as plans

logger = logging.getLogger(__name__)

#: The longest suggestion or comment (characters): a paragraph or two, not a report.
MAX_TEXT = 5000


@transaction.atomic
def submit_suggestion(organisation: Organisation, title: str, text: str, author: User,
                      *, anonymous: bool) -> Suggestion:
    """A new suggestion, numbered in the organisation; ``anonymous``: no author is stored at all."""
    if not title.strip():
        refuse("title", gettext_noop("Give the suggestion a title."))
    if not text.strip():
        refuse("text", gettext_noop("Describe the suggestion."))
    if len(text) > MAX_TEXT:
        refuse("text", gettext_noop("A suggestion has at most %(limit)s characters."), limit=MAX_TEXT)
    for _attempt in range(3):  # two suggestions at the same moment: the second takes the next number
        latest = Suggestion.objects.filter(organisation=organisation).aggregate(n=Max("number"))["n"]
        number = (latest or 0) + 1
        try:
            with transaction.atomic():
                return Suggestion.objects.create(
                    organisation=organisation, number=number, title=title.strip()[:200], text=text.strip(),
                    anonymous=anonymous, author=None if anonymous else author)
        except IntegrityError:
            continue
    refuse("title", gettext_noop("Many suggestions arrived at once; send it again."))


@transaction.atomic
def toggle_vote(suggestion: Suggestion, user: User) -> bool:
    """Vote for ``suggestion``, or take the vote back; whether ``user`` now votes for it."""
    deleted, _rows = Vote.objects.filter(suggestion=suggestion, user=user).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Vote.objects.create(suggestion=suggestion, user=user)
    except IntegrityError:
        pass  # a double click: the vote is there once
    return True


@transaction.atomic
def add_comment(suggestion: Suggestion, text: str, user: User) -> Comment:
    if not text.strip():
        refuse("text", gettext_noop("Write the comment first."))
    if len(text) > MAX_TEXT:
        refuse("text", gettext_noop("A comment has at most %(limit)s characters."), limit=MAX_TEXT)
    return Comment.objects.create(suggestion=suggestion, text=text.strip(), author=user)


@dataclass(frozen=True)
class Answer:
    """The ombudsman's answer: the new status, a reply to the author, the reason when declined."""

    status: str
    reply: str = ""
    declined_reason: str = ""


def _tell_author(suggestion: Suggestion) -> None:
    author = suggestion.author
    if author is None or not author.is_active:
        return
    url = settings.KLIMABOK_SITE_URL + reverse(
        "engagement:suggestion", kwargs={"slug": suggestion.organisation.slug, "pk": suggestion.pk})
    with translation.override(author.language or settings.LANGUAGE_CODE):
        context = {"suggestion": suggestion, "url": url, "status": suggestion.get_status_display()}
        subject = render_to_string("engagement/email/answer_subject.txt", context).strip()
        body = render_to_string("engagement/email/answer.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [author.email]).send()
    logger.info("suggestion %s: its author was told of the answer", suggestion.pk)


@transaction.atomic
def answer_suggestion(suggestion: Suggestion, answer: Answer, user: User | None,
                      measure: plans.MeasureDraft | None = None) -> Suggestion:
    """Move ``suggestion`` to ``answer.status`` with a reply; accepted, ``measure`` becomes its measure in
    the plan (needed unless it has one). Recorded in the audit trail; the named author hears by e-mail."""
    suggestion.refresh_from_db(from_queryset=Suggestion.objects.select_for_update())
    if answer.status not in Suggestion.Status.values:
        refuse("status", gettext_noop("Choose a status."))
    if answer.status == Suggestion.Status.DECLINED and not answer.declined_reason.strip():
        refuse("declined_reason", gettext_noop("Say why the suggestion is declined."))
    before = (suggestion.status, suggestion.reply)
    if answer.status == Suggestion.Status.ACCEPTED and suggestion.measure_id is None:
        if measure is None:
            refuse("kind", gettext_noop("An accepted suggestion becomes a measure: choose its kind."))
        draft = replace(measure, source_ref=f"suggestion #{suggestion.number}")
        suggestion.measure = plans.save_measure(suggestion.organisation, draft, user)
    suggestion.status = answer.status
    suggestion.declined_reason = (answer.declined_reason.strip()
                                  if answer.status == Suggestion.Status.DECLINED else "")
    if answer.reply.strip() and answer.reply.strip() != suggestion.reply:
        suggestion.reply, suggestion.replied_by = answer.reply.strip(), user
        suggestion.replied_at = timezone.now()
    if (suggestion.status, suggestion.reply) == before:
        return suggestion
    suggestion.save()
    record(suggestion, "suggestion", suggestion.organisation, user, Kind.ENGAGEMENT_SUGGESTION_STATUS_CHANGED,
           {"number": suggestion.number, "status": [before[0], suggestion.status],
            "replied": suggestion.reply != before[1], "measure": suggestion.measure_id})
    transaction.on_commit(lambda: _tell_author(suggestion))
    return suggestion
