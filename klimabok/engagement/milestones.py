"""Drafts of news posts proposed from the organisation's milestones, read from the audit trail: a year
closed (``year.closed``), a target set (``plans.target_saved``, created), a measure done
(``plans.measure_saved`` with its status changed to done), a certificate issued (``certificate_issued``).

Neither a view nor a write (the ombudsman turns a proposal into a draft through
:func:`klimabok.engagement.services.draft_from_milestone`), so apart from ``services`` and
``read_models``. The figures come from each event's payload, frozen when it happened.

The wording follows the claims rules (``klimabok.core.claims``, docs/domain.md): gross tonnes, both
scope 2 figures, reductions of the organisation's own emissions apart from credits, credits "beside,
never deducted"; never a neutral, compensated or positive claim (``OFFSET_CLAIMS``,
``NEVER_WITH_CREDITS``): tests/web/test_engagement_news.py checks every proposal for them in both
languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from klimabok.accounts.models import Organisation
from klimabok.audit.kinds import Kind
from klimabok.audit.models import Event
from klimabok.certificates.models import Certificate
from klimabok.engagement.models import Post
from klimabok.plans.models import Measure, Status, Target

MILESTONE_KINDS = (Kind.YEAR_CLOSED, Kind.PLANS_TARGET_SAVED, Kind.PLANS_MEASURE_SAVED,
                   Kind.CERTIFICATE_ISSUED)
#: How far back the proposals look (events of these kinds, newest first).
LOOK_BACK = 200


@dataclass(frozen=True)
class Proposal:
    """A post proposed from the audit event ``event_pk``: its title and Markdown text."""

    event_pk: int
    kind: str
    when: datetime
    title: str
    body: str


def _tonnes(value: Any) -> str:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    # number_format cuts decimals off; round half up first (511.18 t → 511.2 t)
    return number_format(amount.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), decimal_pos=1,
                         use_l10n=True, force_grouping=True)


def _new_value(payload: dict[str, Any], name: str) -> Any:
    change = (payload.get("changed") or {}).get(name)
    return change[1] if isinstance(change, list) and len(change) == 2 else None


def _year_closed(event: Event) -> tuple[str, str]:
    payload = event.payload
    totals = payload.get("total_t_co2e") or {}
    year = payload.get("year")
    return (_("Our climate account for %(year)s is ready") % {"year": year},
            _("The climate account for %(year)s is closed. Our gross emissions were **%(market)s t CO₂e** "
              "(market-based) and **%(location)s t CO₂e** (location-based), scope 1, 2 and 3 as the GHG "
              "Protocol counts them.\n\nCarbon credits are reported beside these figures and are never "
              "deducted from them.") % {"year": year, "market": _tonnes(totals.get("market_based")),
                                        "location": _tonnes(totals.get("location_based"))})


def _target_set(event: Event, targets: dict[int, Target]) -> tuple[str, str] | None:
    payload = event.payload
    if not payload.get("created"):
        return None
    target = targets.get(_pk(event.subject))
    name = _new_value(payload, "name") or (target.name if target else "")
    coverage = _new_value(payload, "coverage")
    coverage_label = (str(Target.Coverage(coverage).label) if coverage in Target.Coverage.values
                      else str(coverage or ""))
    values = {"name": name, "coverage": coverage_label,
              "percent": number_format(Decimal(str(_new_value(payload, "reduction_percent") or 0)),
                                       use_l10n=True),
              "base": _new_value(payload, "base_calendar_year"), "target": _new_value(payload, "target_year")}
    return (_("New climate target: %(name)s") % values,
            _("We have set a target: to cut our own emissions (%(coverage)s) by %(percent)s %% from "
              "%(base)s to %(target)s.\n\nThe target is measured on our gross emissions; carbon credits "
              "never count toward it.") % values)


def _measure_done(event: Event, measures: dict[int, Measure]) -> tuple[str, str] | None:
    if _new_value(event.payload, "status") != Status.DONE:
        return None
    measure = measures.get(_pk(event.subject))
    title = _new_value(event.payload, "title") or (measure.title if measure else "")
    return (_("Measure done: %(title)s") % {"title": title},
            _("The measure “%(title)s” in our climate plan is done. What it cuts shows in the climate "
              "accounts of the years after, as lower emissions of our own: a reduction, not a credit.")
            % {"title": title})


def _certificate_issued(event: Event, organisation: Organisation,
                        certificates: dict[str, Certificate]) -> tuple[str, str]:
    number = str(event.payload.get("certificate", ""))
    tonnes = event.payload.get("tonnes", "")
    certificate = certificates.get(number)
    projects = ", ".join(p.get("name", "") for p in (certificate.facts.get("projects", []) if certificate
                                                        else []))
    values = {"organisation": organisation.legal_name or organisation.name, "tonnes": tonnes,
              "projects": projects or _("see the certificate"), "number": number}
    return (_("We retired %(tonnes)s carbon credits") % values,
            _("%(organisation)s retired %(tonnes)s verified carbon credits (%(tonnes)s t CO₂e; "
              "%(projects)s) to finance climate action beyond our own value chain, certificate "
              "%(number)s.\n\nThe credits are not deducted from our reported emissions; we report them "
              "beside our climate account.") % values)


def _pk(subject: str) -> int:
    tail = subject.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def proposals(organisation: Organisation, *, taken: set[int] | None = None) -> list[Proposal]:
    """The organisation's milestones not yet made a post (``taken``: event pks already used), newest first,
    each as a proposed post in the active language."""
    events = list(Event.objects.filter(organisation=organisation, kind__in=MILESTONE_KINDS)
                  .order_by("-pk")[:LOOK_BACK])
    if taken is None:
        taken = set(Post.objects.filter(organisation=organisation, milestone__isnull=False)
                    .values_list("milestone_id", flat=True))
    events = [e for e in events if e.pk not in taken]
    wanted = {kind: {_pk(e.subject) for e in events if e.kind == kind} for kind in MILESTONE_KINDS}
    targets = Target.objects.in_bulk(wanted[Kind.PLANS_TARGET_SAVED])
    measures = Measure.objects.in_bulk(wanted[Kind.PLANS_MEASURE_SAVED])
    numbers = [str(e.payload.get("certificate", "")) for e in events if e.kind == Kind.CERTIFICATE_ISSUED]
    certificates = {c.number: c for c in Certificate.objects.filter(number__in=numbers)}
    found = []
    for event in events:
        text: tuple[str, str] | None
        if event.kind == Kind.YEAR_CLOSED:
            text = _year_closed(event)
        elif event.kind == Kind.PLANS_TARGET_SAVED:
            text = _target_set(event, targets)
        elif event.kind == Kind.PLANS_MEASURE_SAVED:
            text = _measure_done(event, measures)
        else:
            text = _certificate_issued(event, organisation, certificates)
        if text is not None:
            found.append(Proposal(event.pk, event.kind, event.created_at, *text))
    return found
