"""Every write of a client's compensation: place and cancel an order, record its retirement.

Each function is one transaction. The credits themselves are moved only by
the credits app's locked primitives (:func:`klimabok.credits.services.reserve`,
``release``, ``retire``: row locks on the blocks in primary-key order, the
core's holding arithmetic, invariants checked, audit events appended), so
two concurrent orders can never reserve the same serials or more than exist.

Lock order, the same in every function here, so no two of them deadlock:
the order row (``FOR NO KEY UPDATE`` on PostgreSQL, which still lets another
transaction re-insert range rows that point at the order) → the blocks (by
primary key) → the audit trail's head (``audit.ChainHead``).

Idempotency: an order carries the client's ``idempotency_key`` (unique per
client in the database). Placing an order again with the same key returns the
first order unchanged — even if it has been cancelled since — and the same key
with other parameters is refused (:class:`IdempotencyConflict`). An order
that was refused (not enough credits, year open) stored nothing, so its key
may be used again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from klimabok.accounts.models import Membership, Organisation, User
from klimabok.accounts.roles import Role
from klimabok.certificates.models import Certificate
from klimabok.certificates.services import issue_certificate
from klimabok.core.credits.blocks import NotEnoughCredits
from klimabok.core.errors import KlimabokError
from klimabok.core.messages import message
from klimabok.credits import services as credits
from klimabok.credits.models import CompensationOrder, CreditProject, Retirement
from klimabok.inventory.models import ReportingYear

#: Roles that may order and cancel credits for a client: its administrator and its partner's staff.
ORDERING_ROLES = frozenset({Role.ADMIN, Role.PARTNER})
#: What an idempotency key may look like: what a UUID, a ULID or a client's own request id uses.
KEY_PATTERN = re.compile(r"[A-Za-z0-9._:\-]{8,200}")
#: The coverages a client may say an order is for (stored on the order, shown on the page).
COVERAGES = ("scope_1_2", "scope_1_2_travel", "all")


class CompensationError(KlimabokError):
    """An order, cancellation or retirement that cannot be made as asked; nothing was changed."""


class YearNotClosed(CompensationError):
    """Credits are ordered for a closed reporting year only."""


class IdempotencyConflict(CompensationError):
    """An idempotency key the client already used for an order with other parameters."""


class NotAllowed(CompensationError):
    """The user's role does not allow this (the views and the API check first; this is the last word)."""


@dataclass(frozen=True)
class PlacedOrder:
    """The order and whether this call created it (``False``: the key's first order, returned again)."""

    order: CompensationOrder
    created: bool


def may_order(role: str | None) -> bool:
    """Whether a role may order and cancel credits for a client (its administrator, its partner's staff)."""
    return role in ORDERING_ROLES


def is_partner_staff(user: User | None, partner: Organisation) -> bool:
    """Whether ``user`` works for the climate partner ``partner`` (role partner there)."""
    return user is not None and user.is_authenticated and Membership.objects.filter(
        user=user, organisation=partner, role=Role.PARTNER).exists()


def check_key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not KEY_PATTERN.fullmatch(key):
        raise CompensationError(message(
            "the idempotency key must be 8 to 200 letters, digits or . _ : - (for example a UUID)"))
    return key


def _same_request(order: CompensationOrder, reporting_year: int, tonnes: int,
                  project: CreditProject | None) -> bool:
    return (order.reporting_year, order.tonnes, order.project_id) == (
        reporting_year, tonnes, project.pk if project is not None else None)


def _replayed(client: Organisation, key: str, reporting_year: int, tonnes: int,
              project: CreditProject | None) -> PlacedOrder | None:
    """The first order placed with ``key``, if any; a different request under that key is refused."""
    order = CompensationOrder.objects.filter(client=client, idempotency_key=key).first()
    if order is None:
        return None
    if not _same_request(order, reporting_year, tonnes, project):
        raise IdempotencyConflict(message(
            "the idempotency key %(key)s was already used for order %(order)s (%(tonnes)s t for "
            "%(year)s): use a new key for a different order", key=key, order=order.pk, tonnes=order.tonnes,
            year=order.reporting_year))
    return PlacedOrder(order, created=False)


def _closed_year(client: Organisation, year: int) -> ReportingYear:
    reporting_year = ReportingYear.objects.filter(organisation=client, year=year).first()
    if reporting_year is None:
        raise YearNotClosed(message("%(client)s has no climate account for %(year)s", client=client.name,
                                    year=year))
    if not reporting_year.is_closed:
        raise YearNotClosed(message(
            "the climate account for %(year)s is still open: close it before ordering credits, "
            "since compensating a number that can still change would be misleading", year=year))
    return reporting_year


@contextmanager
def _told_how_many(tonnes: int, project: CreditProject | None) -> Iterator[None]:
    """The credits' ``NotEnoughCredits`` as the client reads it: what was ordered, what is available."""
    try:
        yield
    except NotEnoughCredits as exc:
        available = exc.message.params.get("available", 0) if hasattr(exc.message, "params") else 0
        raise NotEnoughCredits(message(
            "not enough credits: %(tonnes)s t ordered, but only %(available)s t available%(where)s",
            tonnes=tonnes, available=available,
            where=f" in {project.name}" if project is not None else "")) from exc


def _one_call(order: CompensationOrder, tonnes: int, project: CreditProject | None,
              user: User | None) -> bool:
    with _told_how_many(tonnes, project):
        return credits.order_in_one_call(order, project, user=user)


def _new_order(client: Organisation, partner: Organisation, reporting_year: int, tonnes: int,
               project: CreditProject | None, coverage: str, key: str,
               user: User | None) -> CompensationOrder:
    now = timezone.now()
    return CompensationOrder(client=client, partner=partner, reporting_year=reporting_year, tonnes=tonnes,
                             project=project, coverage=coverage, idempotency_key=key, created_by=user,
                             created_at=now, updated_at=now)


def _insert_order(client: Organisation, partner: Organisation, reporting_year: int, tonnes: int,
                  project: CreditProject | None, coverage: str, key: str,
                  user: User | None) -> CompensationOrder | None:
    """The new order, inserted in one statement when the year is closed and the key unused; else None.

    ``ON CONFLICT DO NOTHING`` on the key's unique index: a concurrent order with the
    same key is waited for, and then this one inserts nothing (the caller replays it).
    """
    order = _new_order(client, partner, reporting_year, tonnes, project, coverage, key, user)
    fields = [f for f in CompensationOrder._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(order, add=False), connection) for f in fields]
    year, quote = ReportingYear._meta, connection.ops.quote_name
    table, columns = quote(CompensationOrder._meta.db_table), ", ".join(quote(str(f.column)) for f in fields)
    where = " AND ".join(f"{quote(column)} = %s" for column in ("organisation_id", "year", "status"))
    # Table and column names from the models' metadata, every value a parameter.
    sql = (f"INSERT INTO {table} ({columns}) SELECT {', '.join(['%s'] * len(values))} "  # noqa: S608
           f"WHERE EXISTS (SELECT 1 FROM {quote(year.db_table)} WHERE {where}) "
           "ON CONFLICT DO NOTHING RETURNING id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, client.pk, reporting_year, ReportingYear.Status.CLOSED])
        row = cursor.fetchone()
    if row is None:
        return None
    order.pk = row[0]
    order._state.adding = False
    return order


def create_order(client: Organisation, reporting_year: int, tonnes: int, *,
                 project: CreditProject | None = None, idempotency_key: str, user: User | None,
                 coverage: str = "") -> PlacedOrder:
    """Order ``tonnes`` credits for the client's closed ``reporting_year`` from its partner's portfolio.

    Reserves specific serial sub-ranges, lowest serials of the oldest offered
    block first (of ``project`` only, when given), atomically. Raises the core's
    ``NotEnoughCredits`` ("… only N t available") and changes nothing when the
    partner cannot serve the order; :class:`YearNotClosed` for an open year;
    :class:`IdempotencyConflict` for a key reused with other parameters.
    """
    key = check_key(idempotency_key)
    if isinstance(tonnes, bool) or not isinstance(tonnes, int) or tonnes <= 0:
        raise CompensationError(message("order a whole, positive number of tonnes, not %(tonnes)s",
                                        tonnes=tonnes))
    if coverage and coverage not in COVERAGES:
        raise CompensationError(message("unknown coverage %(coverage)s", coverage=coverage))
    partner = client.partner
    if partner is None:
        raise CompensationError(message("%(client)s has no climate partner to order credits from",
                                        client=client.name))
    if project is not None and project.owner_id != partner.pk:
        raise CompensationError(message("project %(project)s is not in %(partner)s's portfolio",
                                        project=project.pk, partner=partner.name))
    try:
        if connection.vendor == "postgresql":
            # The order, its reservation and its events in one statement (credits migration 0008).
            new = _new_order(client, partner, reporting_year, tonnes, project, coverage, key, user)
            if _one_call(new, tonnes, project, user):
                return PlacedOrder(new, created=True)
        with transaction.atomic():
            order = _insert_order(client, partner, reporting_year, tonnes, project, coverage, key, user)
            if order is None:  # the key was used before, or the year is not closed: say which
                replayed = _replayed(client, key, reporting_year, tonnes, project)
                if replayed is not None:
                    return replayed
                _closed_year(client, reporting_year)
                order = CompensationOrder.objects.create(
                    client=client, partner=partner, reporting_year=reporting_year, tonnes=tonnes,
                    project=project, coverage=coverage, idempotency_key=key, created_by=user)
            with _told_how_many(tonnes, project):
                credits.reserve(order, tonnes, project, user=user)
    except IntegrityError:
        # A concurrent request with the same key committed first (the database's unique key refused
        # this one): answer as if this request came second, which it did.
        replayed = _replayed(client, key, reporting_year, tonnes, project)
        if replayed is None:
            raise
        return replayed
    return PlacedOrder(order, created=True)


def _locked(order: CompensationOrder) -> CompensationOrder:
    # no_key: a FOR UPDATE lock would block other orders' reservations re-inserting range rows of this
    # order's blocks (their foreign key takes FOR KEY SHARE on this row) while we wait for those blocks.
    return (CompensationOrder.objects.select_for_update(no_key=True)
            .select_related("client", "partner").get(pk=order.pk))


def cancel_order(order: CompensationOrder, user: User | None) -> CompensationOrder:
    """Cancel a reserved order: its credits become available again. Refused once retired.

    Cancelling a cancelled order changes nothing (a double-click is harmless).
    """
    with transaction.atomic():
        locked = _locked(order)
        if locked.status == CompensationOrder.Status.RETIRED:
            raise CompensationError(message(
                "order %(order)s is retired in the registry and can no longer be cancelled", order=locked.pk))
        if locked.status == CompensationOrder.Status.RESERVED:
            credits.release(locked, user=user)
            locked.status = CompensationOrder.Status.CANCELLED
            locked.cancelled_at = timezone.now()
            locked.save(update_fields=["status", "cancelled_at", "updated_at"])
    return locked


def record_retirement(order: CompensationOrder, retired_on: date, registry_reference: str, registry_url: str,
                      reason: str, details: str, user: User | None, *,
                      request_url: str = "") -> tuple[Retirement, Certificate]:
    """Record the registry retirement of an order's credits (partner staff only), then issue its certificate.

    The beneficiary is the client's legal name. The order's reserved ranges
    become retired (a block is split into contiguous sub-ranges, never
    renumbered). A second retirement of the same order is refused.
    ``request_url`` is the site address printed on the certificate when
    ``KLIMABOK_SITE_URL`` is not set.
    """
    registry_reference = registry_reference.strip()
    if not is_partner_staff(user, order.partner):
        raise NotAllowed(message("only the climate partner's staff can record a retirement"))
    if not registry_reference:
        raise CompensationError(message("the registry's reference of the retirement is needed"))
    if retired_on > timezone.localdate():
        raise CompensationError(message("a retirement date cannot be in the future (%(date)s)",
                                        date=retired_on.isoformat()))
    with transaction.atomic():
        locked = _locked(order)
        if locked.status == CompensationOrder.Status.RETIRED:
            first = locked.retirements.order_by("pk").first()
            raise CompensationError(message(
                "order %(order)s was already retired (%(reference)s, %(date)s): a range is retired once",
                order=locked.pk, reference=first.registry_reference if first else "?",
                date=first.retired_on.isoformat() if first else "?"))
        if locked.status == CompensationOrder.Status.CANCELLED:
            raise CompensationError(message(
                "order %(order)s was cancelled: its credits are no longer reserved", order=locked.pk))
        client = locked.client
        retirement = Retirement.objects.create(
            order=locked, retired_on=retired_on, registry_reference=registry_reference,
            registry_url=registry_url.strip(), beneficiary=client.legal_name or client.name,
            reason=reason.strip(), details=details.strip(), recorded_by=user)
        credits.retire(locked, retirement, user=user)
        locked.status = CompensationOrder.Status.RETIRED
        locked.save(update_fields=["status", "updated_at"])
        certificate = issue_certificate(retirement, user, request_url=request_url)
    order.status = locked.status
    return retirement, certificate
