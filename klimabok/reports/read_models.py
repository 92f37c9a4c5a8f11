"""What the report pages read, loaded once: the Miljøfyrtårn report of a year, the public climate page.

- :func:`load_miljofyrtarn` — a year's entries (with their sites), its ledger's spend parts (through the
  account's year overview, the same parts the account counts), the year's FTE and floor area, the
  plan's measures and the entered figures, assembled by :func:`klimabok.core.reports.miljofyrtarn.assemble`.
- :func:`load_public_page` — the public page of an organisation that opted in, as the explicit
  :class:`~klimabok.core.reports.public_page.PublicClimatePage` (None: not published, a 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from klimabok.account.read_models import load_account, load_year_overview
from klimabok.account.screening import load_screening
from klimabok.accounts.models import Organisation
from klimabok.certificates.models import Certificate
from klimabok.claims.read_models import (
    account_totals,
    load_plan,
    load_planned_credits,
    load_prerequisites,
    load_retired_credits,
    reduction_plans,
    with_plan,
)
from klimabok.core.claims import Audience, ClaimsInput, advise
from klimabok.core.engine import AccountResult
from klimabok.core.errors import InputError, KlimabokError
from klimabok.core.reports.miljofyrtarn import (
    Activity,
    EnteredFigures,
    MiljofyrtarnReport,
    OwnIndicator,
    PlanItem,
    ReportInput,
    Spend,
    assemble,
)
from klimabok.core.reports.public_page import (
    PublicAccount,
    PublicCategory,
    PublicCertificate,
    PublicClimatePage,
    PublicTarget,
)
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.plans.models import Measure, Status
from klimabok.web.core_messages import localise

from .models import MiljofyrtarnFigures, PublicPage


def entered_figures(row: MiljofyrtarnFigures | None) -> EnteredFigures:
    if row is None:
        return EnteredFigures()
    return EnteredFigures(
        sick_leave_percent=row.sick_leave_percent,
        normal_degree_days=row.normal_degree_days,
        actual_degree_days=row.actual_degree_days,
        heating_share_percent=row.heating_share_percent,
        own_indicators=tuple(
            OwnIndicator(i["name"], i["unit"], Decimal(i["value"])) for i in row.own_indicators
        ),
    )


def _flights(entry: ActivityEntry) -> int | None:
    """Flights flown of an entry made in the flight form: trips, twice for a return trip."""
    trips = entry.details.get("trips")
    if not entry.activity.startswith("flight.") or trips in (None, ""):
        return None
    return int(trips) * (2 if entry.details.get("return_trip") else 1)


def _plan_item(measure: Measure) -> PlanItem:
    return PlanItem(
        measure.title, measure.status, str(measure.owner or ""), measure.deadline, measure.start_year
    )


@dataclass(frozen=True)
class MiljofyrtarnPage:
    reporting_year: ReportingYear
    report: MiljofyrtarnReport
    figures: MiljofyrtarnFigures | None
    #: why the ledger's spend is missing (the account cannot be computed); empty when it is not
    problems: list[InputError]


def load_miljofyrtarn(reporting_year: ReportingYear) -> MiljofyrtarnPage:
    """The year's Miljøfyrtårn report: a fixed number of queries (the year overview's, the measures, the
    figures)."""
    overview = load_year_overview(reporting_year)
    figures = MiljofyrtarnFigures.objects.filter(reporting_year=reporting_year).first()
    measures = Measure.objects.filter(organisation_id=reporting_year.organisation_id).select_related("owner")
    spend = [
        Spend(part.group, part.net_nok, part.counted and not part.covered)
        for part in overview.spend_parts
        if part.group and (part.counted or part.covered)
    ]
    report = assemble(
        ReportInput(
            year=reporting_year.year,
            fte=reporting_year.fte,
            floor_area_m2=overview.floor_area_m2,
            activities=[Activity(e.activity, e.quantity, e.unit, _flights(e)) for e in overview.entries],
            spend=spend,
            entered=entered_figures(figures),
            measures=[_plan_item(m) for m in measures],
        )
    )
    return MiljofyrtarnPage(reporting_year, report, figures, overview.problems)


# --- The public climate page ----------------------------------------------------------------------


def is_published(organisation: Organisation) -> bool:
    return PublicPage.objects.filter(organisation=organisation, enabled=True).exists()


def published_organisation(slug: str) -> Organisation | None:
    """The client organisation at ``slug`` if it publishes its climate page, else None."""
    return Organisation.objects.filter(
        slug=slug, kind=Organisation.Kind.CLIENT, public_page__enabled=True
    ).first()


def _t(value: float) -> float:
    return round(value, 1)


def _public_account(reporting_year: ReportingYear, account: AccountResult) -> PublicAccount:
    totals = account.totals
    categories = tuple(
        PublicCategory(key, _t(t)) for key, t in account.by_category().items() if key.startswith("scope_3.")
    )
    return PublicAccount(
        reporting_year.year,
        reporting_year.gwp_set,
        _t(totals.scope_1),
        _t(totals.scope_2_location),
        _t(totals.scope_2_market),
        _t(totals.scope_3),
        _t(totals.total_location),
        _t(totals.total_market),
        categories,
    )


def _claims(
    organisation: Organisation, reporting_year: ReportingYear, account: AccountResult
) -> tuple[str, ...]:
    """The sentences the claims rules allow toward consumers for the year, in the active language."""
    year = reporting_year.year
    prerequisites, _row = load_prerequisites(reporting_year)
    plan = load_plan(organisation, year)
    advice = advise(
        ClaimsInput(
            organisation=organisation.legal_name or organisation.name,
            year=year,
            totals=account_totals(account) if len(account.columns) else None,
            credits=load_retired_credits(organisation, year),
            prerequisites=with_plan(prerequisites, plan),
            audience=Audience.CONSUMERS,
            today=timezone.localdate(),
            screening=load_screening(reporting_year),
            plans=reduction_plans(plan),
            planned=load_planned_credits(organisation),
        )
    )
    return tuple(localise(text) for text in advice.wording_for(Audience.CONSUMERS))


def _targets(organisation: Organisation, year: int) -> tuple[PublicTarget, ...]:
    out = []
    for standing in load_plan(organisation, year).standings:
        target, progress = standing.target, standing.progress
        out.append(
            PublicTarget(
                name=target.name,
                coverage=target.coverage,
                base_year=target.base_calendar_year,
                target_year=target.target_year,
                reduction_percent=target.reduction_percent,
                progress_year=progress.year if progress else None,
                change_percent=round(100 * progress.change, 1) if progress else None,
                required_percent=round(100 * progress.required, 1) if progress else None,
                on_track=progress.on_track if progress else None,
            )
        )
    return tuple(out)


def _certificates(organisation: Organisation) -> tuple[PublicCertificate, ...]:
    rows = []
    for certificate in Certificate.objects.filter(organisation=organisation, revoked_at__isnull=True):
        facts = certificate.certificate_facts()
        rows.append(
            PublicCertificate(
                certificate.number,
                facts.reporting_year,
                facts.tonnes,
                facts.retired_on,
                reverse("certificates:verify", args=[certificate.token]),
            )
        )
    return tuple(sorted(rows, key=lambda c: (-c.reporting_year, c.number)))


def load_public_page(organisation: Organisation) -> PublicClimatePage:
    """The public page of ``organisation`` (which publishes it), in the active language.

    The account is the latest closed year's (an open year's figures still change); targets are judged
    on the closed years up to it; measures are those done; certificates those not revoked; the claims
    those the rules allow toward consumers, for the same year.
    """
    closed = (
        ReportingYear.objects.filter(organisation=organisation, status=ReportingYear.Status.CLOSED)
        .order_by("-year")
        .first()
    )
    account: AccountResult | None = None
    public_account: PublicAccount | None = None
    claims_text: tuple[str, ...] = ()
    if closed is not None:
        try:
            account = load_account(closed)
        except KlimabokError:
            account = None
        if account is not None:
            public_account = _public_account(closed, account)
            claims_text = _claims(organisation, closed, account)
    done = tuple(
        Measure.objects.filter(organisation=organisation, status=Status.DONE)
        .order_by("title")
        .values_list("title", flat=True)
    )
    return PublicClimatePage(
        organisation_name=organisation.legal_name or organisation.name,
        account=public_account,
        targets=_targets(organisation, closed.year) if closed is not None else (),
        measures_done=done,
        certificates=_certificates(organisation),
        claims=claims_text,
    )
