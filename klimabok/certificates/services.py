"""Issue and revoke certificates; each is one transaction that appends its audit-trail event.

A certificate is issued only for a recorded retirement (a ``Retirement`` with
retired ranges). Its facts are read once from the retirement, its order and
its ranges, frozen into ``Certificate.facts`` and hashed into the event
"certificate issued" of the audit trail; the printed ``ledger_hash`` is that event's hash, so
anyone can find the event in the chain that ``klimabok audit verify`` checks.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from klimabok.accounts.models import Organisation, User
from klimabok.audit.hashing import canonical
from klimabok.audit.kinds import Kind
from klimabok.audit.services import lock_chain, record_event, subject_of
from klimabok.certificates.facts import CertificateFacts, ProjectFacts, SerialRangeFacts
from klimabok.certificates.models import Certificate
from klimabok.core.credits.serials import format_serial
from klimabok.core.errors import KlimabokError
from klimabok.credits.holdings import serial_block_of
from klimabok.credits.models import CreditProject, CreditRange, Retirement

logger = logging.getLogger(__name__)

NUMBER_PREFIX = "KB"


class CertificateError(KlimabokError):
    """A certificate cannot be issued or revoked as asked; nothing was changed."""


def new_token() -> str:
    """128 random bits, URL-safe (22 characters): the certificate's public address cannot be guessed."""
    return secrets.token_urlsafe(16)


def verification_path(token: str) -> str:
    return reverse("certificates:verify", kwargs={"token": token})


def site_url(request_url: str = "") -> str:
    """The address printed on certificates: ``KLIMABOK_SITE_URL``, else the issuing request's."""
    base = settings.KLIMABOK_SITE_URL or request_url.rstrip("/")
    if not base:
        raise ImproperlyConfigured("Set KLIMABOK_SITE_URL (e.g. https://klimabok.example) to issue "
                                   "certificates outside a web request: it is printed on them.")
    return base


def _org_number(raw: str) -> str:
    """A Norwegian organisation number as it is written, ``974 760 673``; anything else as given."""
    digits = raw.replace(" ", "")
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}" if len(digits) == 9 and digits.isdigit() else raw


def _nature(project: CreditProject) -> str:
    if project.nature_based is None:
        return ""
    return "nature-based" if project.nature_based else "technological"


def _labels(project: CreditProject, block_labels: list[str]) -> tuple[str, ...]:
    """The registry's own labels for the project and the retired units, then the SDGs it lists."""
    labels = [*project.labels, *block_labels]
    labels += [f"SDG {goal}" for goal in project.sdgs]
    return tuple(dict.fromkeys(str(label).strip() for label in labels if str(label).strip()))


def _vintage(range_: CreditRange) -> str:
    block = range_.block
    if block.vintage is not None:
        return str(block.vintage)
    if block.vintage_start and block.vintage_end:
        return f"{block.vintage_start.isoformat()} – {block.vintage_end.isoformat()}"
    return ""


def retirement_facts(retirement: Retirement, *, number: str, verification_url: str, ledger_hash: str,
                     issued_at: datetime, language: str = "nb") -> CertificateFacts:
    """What a certificate for ``retirement`` states (one query for the ranges with their blocks)."""
    order = retirement.order
    client: Organisation = order.client
    partner: Organisation = order.partner
    ranges = list(CreditRange.objects.filter(retirement=retirement, status=CreditRange.Status.RETIRED)
                  .select_related("block__project")
                  .order_by("block__project__name", "block__registry", "block__identity", "start"))
    if not ranges:
        raise CertificateError(_("This retirement has no retired credits, so there is nothing to certify."))
    projects: dict[int, CreditProject] = {}
    unit_labels: dict[int, list[str]] = defaultdict(list)
    for range_ in ranges:
        projects.setdefault(range_.block.project_id, range_.block.project)
        unit_labels[range_.block.project_id].extend(range_.block.labels)
    return CertificateFacts(
        number=number,
        organisation_name=client.legal_name or client.name,
        organisation_number=_org_number(client.org_number),
        tonnes=sum(r.quantity for r in ranges),
        reporting_year=order.reporting_year,
        retired_on=retirement.retired_on,
        projects=tuple(ProjectFacts(name=p.name, registry=p.registry, project_id=p.registry_project_id,
                                    country=p.country, kind=p.kind, nature=_nature(p),
                                    labels=_labels(p, unit_labels[pk]), url=p.url)
                       for pk, p in projects.items()),
        serial_ranges=tuple(SerialRangeFacts(
            serial=format_serial(serial_block_of(r.block), r.start, r.end),
            project_id=r.block.project.registry_project_id, vintage=_vintage(r), quantity=r.quantity)
            for r in ranges),
        beneficiary=retirement.beneficiary,
        registry_reference=retirement.registry_reference,
        registry_reference_url=retirement.registry_url,
        verification_url=verification_url,
        ledger_hash=ledger_hash,
        issued_at=issued_at,
        partner_name=partner.legal_name or partner.name,
        language=language,
    )


def _next_number(year: int) -> str:
    """``KB-2026-000001``: numbered per issue year, in issue order (callers hold the audit chain's lock)."""
    prefix = f"{NUMBER_PREFIX}-{year}-"
    numbers = Certificate.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    used = [int(m.group(1)) for n in numbers if (m := re.fullmatch(rf"{prefix}(\d+)", n))]
    return f"{prefix}{max(used, default=0) + 1:06d}"


def facts_digest(facts: CertificateFacts) -> str:
    """SHA-256 of the facts without the ledger hash (which is the hash of the event that holds this)."""
    data = facts.to_json()
    data.pop("ledger_hash")
    data.pop("language")
    return hashlib.sha256(canonical(data).encode()).hexdigest()


def issue_certificate(retirement: Retirement, user: User | None, *, request_url: str = "",
                      language: str = "nb") -> Certificate:
    """Issue the certificate for a recorded retirement and append "certificate issued" to the audit trail.

    ``request_url`` is the issuing request's site address, used when
    ``KLIMABOK_SITE_URL`` is not set. Raises :class:`CertificateError` when
    the retirement already has a valid certificate or retired no credits.
    """
    base = site_url(request_url)
    with transaction.atomic():
        retirement = Retirement.objects.select_for_update().select_related(
            "order__client", "order__partner").get(pk=retirement.pk)
        if Certificate.objects.filter(retirement=retirement, revoked_at__isnull=True).exists():
            raise CertificateError(_("This retirement already has a certificate."))
        issued_at = timezone.now()
        token = new_token()
        # The number is taken under the chain's lock: record_event() below takes it too, and
        # taking it first here keeps two issuers from choosing the same number.
        lock_chain()
        number = _next_number(timezone.localtime(issued_at).year)
        facts = retirement_facts(retirement, number=number, verification_url=base + verification_path(token),
                                 ledger_hash="", issued_at=issued_at, language=language)
        event = record_event(organisation=retirement.order.client, actor=user, kind=Kind.CERTIFICATE_ISSUED,
                             subject=subject_of("certificate", number), payload={
                                 "certificate": number, "retirement": retirement.pk,
                                 "order": retirement.order_id, "client": retirement.order.client_id,
                                 "tonnes": facts.tonnes, "facts_sha256": facts_digest(facts)})
        facts = CertificateFacts.from_json({**facts.to_json(), "ledger_hash": event.hash})
        certificate = Certificate.objects.create(
            number=number, token=token, retirement=retirement, organisation=retirement.order.client,
            language=language, facts=facts.to_json(), ledger_hash=event.hash, issued_at=issued_at,
            issued_by=user)
    logger.info("certificate %s issued to %s: %s t (retirement %s)", number, retirement.order.client.slug,
                facts.tonnes, retirement.pk)
    return certificate


def revoke_certificate(certificate: Certificate, reason: str, user: User | None) -> Certificate:
    """Revoke ``certificate`` (its public page then says so) and append "certificate revoked"."""
    reason = reason.strip()
    if not reason:
        raise CertificateError(_("Say why the certificate is revoked: the public page shows the reason."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.is_revoked:
            raise CertificateError(_("This certificate is already revoked."))
        event = record_event(organisation=certificate.organisation, actor=user, kind=Kind.CERTIFICATE_REVOKED,
                             subject=subject_of("certificate", certificate.number), payload={
                                 "certificate": certificate.number, "issued_event": certificate.ledger_hash,
                                 "reason": reason})
        certificate.revoked_at = event.created_at
        certificate.revoked_reason = reason
        certificate.revoked_by = user
        certificate.revoked_ledger_hash = event.hash
        certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by", "revoked_ledger_hash"])
    logger.info("certificate %s revoked: %s", certificate.number, reason)
    return certificate
