"""Reminder e-mails (``klimabok remind``): before a due date, and the ombudsman's weekly summary.

Each e-mail is sent once: :class:`~klimabok.plans.models.ReminderSent` records it (kind, what it is
about, the date it is for, the recipient; unique in the database), in the same transaction as the
sending. Unlike the other services' side effects this one is not deferred to ``on_commit``: the row is
*the record that the e-mail went out*, so a failed send must roll it back (the next run tries again),
and two runs at once queue on the row, so only one of them sends.

Recipients: an item's owner; without one, the organisation's ombudsmen (else its administrators).
The weekly summary goes to the ombudsmen (else the administrators). Each e-mail is in its recipient's
language (``User.language``, else bokmål).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from klimabok.accounts.models import Membership, Organisation, User
from klimabok.accounts.roles import Role
from klimabok.plans.models import OPEN_STATUSES, Goal, Measure, ReminderSent, WheelCompletion, WheelTask
from klimabok.plans.read_models import due_date, late_items, moved_since

logger = logging.getLogger(__name__)


@dataclass
class ReminderRun:
    """What a run sent (``"due measure:nordlys/12 → carl@…"``) and how many it had sent before."""

    sent: list[str] = field(default_factory=list)
    already_sent: int = 0


@dataclass(frozen=True)
class Upcoming:
    area: str
    pk: int
    title: str
    due: date
    owner: User | None
    url: str


def _link(path: str) -> str:
    return f"{settings.KLIMABOK_SITE_URL}{path}"


def _upcoming(organisation: Organisation, today: date, until: date) -> list[Upcoming]:
    slug = organisation.slug
    items = [
        Upcoming(
            "measure",
            m.pk,
            m.title,
            m.deadline,
            m.owner,
            _link(reverse("plans:measure", kwargs={"slug": slug, "pk": m.pk})),
        )
        for m in Measure.objects.filter(
            organisation=organisation, status__in=OPEN_STATUSES, deadline__gte=today, deadline__lte=until
        ).select_related("owner")
        if m.deadline
    ]
    items += [
        Upcoming(
            "goal", g.pk, g.title, g.deadline, g.owner, _link(reverse("plans:goals", kwargs={"slug": slug}))
        )
        for g in Goal.objects.filter(
            organisation=organisation, status__in=OPEN_STATUSES, deadline__gte=today, deadline__lte=until
        ).select_related("owner")
        if g.deadline
    ]
    tasks = list(WheelTask.objects.filter(organisation=organisation).select_related("owner"))
    done = set(
        WheelCompletion.objects.filter(
            task__organisation=organisation, year__in={today.year, until.year}
        ).values_list("task_id", "year")
    )
    for task in tasks:
        for year in sorted({today.year, until.year}):
            when = due_date(task, year)
            if today <= when <= until and (task.pk, year) not in done:
                items.append(
                    Upcoming(
                        "wheel",
                        task.pk,
                        task.title,
                        when,
                        task.owner,
                        _link(reverse("plans:wheel", kwargs={"slug": slug}) + f"?year={year}"),
                    )
                )
    return items


def _people(organisation: Organisation, *roles: str) -> list[User]:
    """Active members of ``organisation`` with the first of ``roles`` anyone has."""
    for role in roles:
        people = [
            m.user
            for m in Membership.objects.filter(
                organisation=organisation, role=role, user__is_active=True
            ).select_related("user")
        ]
        if people:
            return sorted(people, key=lambda user: user.email)
    return []


def _send_once(
    organisation: Organisation,
    kind: str,
    subject: str,
    period: date,
    user: User,
    compose: Callable[[], tuple[str, str]],
    run: ReminderRun,
) -> None:
    """Send the e-mail ``compose()`` makes (subject, body) to ``user``, unless it was sent before."""
    with transaction.atomic():
        _row, created = ReminderSent.objects.get_or_create(
            kind=kind,
            subject=subject,
            period=period,
            recipient=user.email,
            defaults={"organisation": organisation},
        )
        if not created:
            run.already_sent += 1
            return
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title, body = compose()
        EmailMessage(title, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    run.sent.append(f"{kind} {subject} → {user.email}")
    logger.info("reminder %s %s sent to %s", kind, subject, user.email)


def _remind_upcoming(organisation: Organisation, today: date, days_ahead: int, run: ReminderRun) -> None:
    stand_ins = None
    for item in _upcoming(organisation, today, today + timedelta(days=days_ahead)):
        if item.owner is not None and item.owner.is_active:
            recipients: Iterable[User] = [item.owner]
        else:
            stand_ins = (
                stand_ins if stand_ins is not None else _people(organisation, Role.OMBUDSMAN, Role.ADMIN)
            )
            recipients = stand_ins
        for user in recipients:

            def compose(item: Upcoming = item) -> tuple[str, str]:
                context = {"item": item, "organisation": organisation, "days": (item.due - today).days}
                return (
                    render_to_string("plans/email/due_subject.txt", context).strip(),
                    render_to_string("plans/email/due.txt", context),
                )

            _send_once(
                organisation,
                ReminderSent.Kind.DUE,
                f"{item.area}:{organisation.slug}/{item.pk}",
                item.due,
                user,
                compose,
                run,
            )


def _weekly_summary(organisation: Organisation, today: date, run: ReminderRun) -> None:
    monday = today - timedelta(days=today.weekday())
    recipients = _people(organisation, Role.OMBUDSMAN, Role.ADMIN)
    if not recipients:
        return
    since = timezone.make_aware(datetime.combine(today - timedelta(days=7), time.min))
    late, moved = late_items(organisation, today), moved_since(organisation, since)

    def compose() -> tuple[str, str]:
        context = {
            "organisation": organisation,
            "late": [(item, item.days_late(today)) for item in late],
            "moved": moved,
            "week": monday.isocalendar().week,
            "url": _link(reverse("plans:dashboard", kwargs={"slug": organisation.slug})),
        }
        return (
            render_to_string("plans/email/weekly_subject.txt", context).strip(),
            render_to_string("plans/email/weekly.txt", context),
        )

    for user in recipients:
        _send_once(
            organisation, ReminderSent.Kind.WEEKLY, f"weekly:{organisation.slug}", monday, user, compose, run
        )


def send_reminders(
    today: date,
    *,
    days_ahead: int | None = None,
    weekly: bool | None = None,
    organisations: Iterable[Organisation] | None = None,
) -> ReminderRun:
    """Send every reminder due on ``today`` that was not sent before.

    ``days_ahead`` (default ``KLIMABOK_REMIND_DAYS_AHEAD``, 7): an owner hears about a deadline in the
    next that many days; ``weekly``: send the weekly summary (default: when ``today`` is a Monday).
    """
    days = settings.KLIMABOK_REMIND_DAYS_AHEAD if days_ahead is None else days_ahead
    send_weekly = today.weekday() == 0 if weekly is None else weekly
    run = ReminderRun()
    clients = (
        organisations
        if organisations is not None
        else Organisation.objects.filter(kind=Organisation.Kind.CLIENT).order_by("slug")
    )
    for organisation in clients:
        _remind_upcoming(organisation, today, days, run)
        if send_weekly:
            _weekly_summary(organisation, today, run)
    return run
