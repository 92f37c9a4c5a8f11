"""What the claims page needs, loaded once: the year's totals, the retired credits, the prerequisites.

Query budget: the account's entries (one query, as the account page), one query
for every retired credit range of the client that counts for the year (only blocks that passed
screening), one for the tonnes left out because their block did not, one for the credits reserved
and not yet retired (ESRS E1-7's planned cancellations), one for the prerequisites.
Nothing here subtracts credits from emissions: the core
compares them and the page shows them side by side.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from klimabok.account.read_models import load_account
from klimabok.account.screening import scope_3_categories
from klimabok.accounts.models import Organisation
from klimabok.core.claims import (
    AccountTotals,
    CreditKind,
    PlannedCredit,
    Prerequisites,
    ReductionPlans,
    RetiredCredit,
    is_eu_country,
)
from klimabok.core.credits.serials import format_serial, parse_serial
from klimabok.core.engine import AccountResult
from klimabok.core.errors import KlimabokError
from klimabok.credits.models import CreditBlock, CreditProject, CreditRange
from klimabok.inventory.models import ReportingYear
from klimabok.plans.pathway import PlanFacts, plan_facts

from .models import FROM_PLAN, PREREQUISITES, ClaimPrerequisites

CCP_LABEL = "ICVCM CCP"
REGISTRY_STANDARDS = {"verra": "Verra VCS", "gold-standard": "Gold Standard", "isometric": "Isometric",
                      "cdm": "CDM", "puro": "Puro.earth", "plan-vivo": "Plan Vivo"}


def account_totals(account: AccountResult) -> AccountTotals:
    """The account's totals, the scopes it has lines in (a scope without lines is not covered) and
    the scope 3 categories it has lines in (what the ISO 14068-1 boundary checks the screening against)."""
    totals = account.totals
    categories = account.by_category()
    covered = {scope for scope, prefix in ((1, "scope_1"), (2, "scope_2"), (3, "scope_3"))
               if any(key.startswith(prefix) for key in categories)}
    return AccountTotals(totals.scope_1, totals.scope_2_location, totals.scope_2_market, totals.scope_3,
                         totals.total_location, totals.total_market, frozenset(covered),
                         scope_3_categories(account))


def load_totals(reporting_year: ReportingYear) -> AccountTotals | None:
    """The year's totals; None when the account cannot be computed or has no lines."""
    try:
        account = load_account(reporting_year)
    except KlimabokError:
        return None
    return account_totals(account) if len(account.columns) else None


def _serial(block: CreditBlock, start: int, end: int) -> str:
    try:
        parsed = parse_serial(block.raw_serial, registry=block.registry)
    except KlimabokError:
        return f"{block.raw_serial} [{start}–{end}]"
    return format_serial(parsed, start, end)


def _standard(project: CreditProject) -> str:
    return project.program or REGISTRY_STANDARDS.get(project.registry, project.get_registry_display())


def retired_credit(credit_range: CreditRange) -> RetiredCredit:
    """A retired range with its block, project, order and retirement loaded, as the claim rules read it."""
    block, project = credit_range.block, credit_range.block.project
    retirement, order = credit_range.retirement, credit_range.order
    assert retirement is not None and order is not None  # a retired range has both (a database constraint)
    kind = block.kind if block.kind != CreditKind.UNKNOWN else project.kind
    return RetiredCredit(
        tonnes=Decimal(credit_range.quantity), for_year=order.reporting_year,
        retired_on=retirement.retired_on,
        standard=_standard(project), registry=project.get_registry_display(), project=project.name,
        project_type=project.project_type, kind=CreditKind(kind or CreditKind.UNKNOWN),
        ccp_label=project.ccp_label or CCP_LABEL in (block.labels or []),
        corresponding_adjustment=project.corresponding_adjustment is True,
        eu_project=is_eu_country(block.serial_country or project.country), vintage=block.vintage,
        serials=_serial(block, credit_range.start, credit_range.end))


def _retired_ranges(organisation: Organisation, year: int) -> QuerySet[CreditRange]:
    return (CreditRange.objects
            .filter(order__client=organisation, status=CreditRange.Status.RETIRED)
            .filter(Q(order__reporting_year=year) | Q(retirement__retired_on__gte=date(year, 1, 1),
                                                      retirement__retired_on__lte=date(year, 12, 31))))


def load_retired_credits(organisation: Organisation, year: int) -> tuple[RetiredCredit, ...]:
    """Credits retired for ``organisation``: for reporting ``year``, or retired during it (ESRS E1-7).

    Only credits of blocks that passed the partner's quality screening (status offered) count: a
    block whose screening failed is not counted toward any claim (:func:`load_unscreened_tonnes`).
    A sold block is not screened again, so its status is the screening it was sold under.
    """
    ranges = (_retired_ranges(organisation, year).filter(block__status=CreditBlock.Status.OFFERED)
              .select_related("block__project", "order", "retirement")
              .order_by("retirement__retired_on", "block_id", "start"))
    return tuple(retired_credit(r) for r in ranges)


def load_unscreened_tonnes(organisation: Organisation, year: int) -> int:
    """Tonnes retired for ``organisation`` (as :func:`load_retired_credits` selects them) from blocks
    that did not pass screening: left out of the claims, and the page says so."""
    ranges = _retired_ranges(organisation, year).exclude(block__status=CreditBlock.Status.OFFERED)
    return sum(r.end - r.start + 1 for r in ranges.only("start", "end"))


def planned_credit(credit_range: CreditRange) -> PlannedCredit:
    """A reserved range with its block, project and order loaded: a planned cancellation."""
    block, project, order = credit_range.block, credit_range.block.project, credit_range.order
    assert order is not None  # a reserved range has its order (a database constraint)
    kind = block.kind if block.kind != CreditKind.UNKNOWN else project.kind
    return PlannedCredit(
        tonnes=Decimal(credit_range.quantity), for_year=order.reporting_year,
        ordered_on=timezone.localdate(order.created_at), standard=_standard(project), project=project.name,
        kind=CreditKind(kind or CreditKind.UNKNOWN),
        corresponding_adjustment=project.corresponding_adjustment is True,
        eu_project=is_eu_country(block.serial_country or project.country))


def load_planned_credits(organisation: Organisation) -> tuple[PlannedCredit, ...]:
    """Credits reserved for ``organisation`` under its orders and not yet retired, today: ESRS E1 §59(b)'s
    cancellations "planned … in the future", each under an existing contractual agreement (the order).

    All of them, whichever reporting year the order is for: what is planned is known only as it stands
    now (klimabok keeps no history of reservations). As for retired credits, only blocks that passed
    screening count.
    """
    ranges = (CreditRange.objects
              .filter(order__client=organisation, status=CreditRange.Status.RESERVED,
                      block__status=CreditBlock.Status.OFFERED)
              .select_related("block__project", "order")
              .order_by("order__reporting_year", "order__created_at", "block_id", "start"))
    return tuple(planned_credit(r) for r in ranges)


def load_prerequisites(reporting_year: ReportingYear) -> tuple[Prerequisites, ClaimPrerequisites | None]:
    """The recorded prerequisites as the core reads them, and the row (None when nothing is recorded).

    Only those recorded here; the plan's (:data:`FROM_PLAN`) come from :func:`with_plan`."""
    row = ClaimPrerequisites.objects.filter(reporting_year=reporting_year).first()
    if row is None:
        return Prerequisites(), None
    return Prerequisites(**{name: getattr(row, name) for name, _label, _help in PREREQUISITES
                            if name not in FROM_PLAN}), row


def load_plan(organisation: Organisation, year: int) -> PlanFacts:
    """The plan's targets (each with the latest closed year up to ``year`` against its pathway), its
    measures and the SBTi validations recorded on the targets."""
    return plan_facts(organisation, year)


def with_plan(prerequisites: Prerequisites, plan: PlanFacts) -> Prerequisites:
    """The prerequisites with the plan's answers: a target validated by the SBTi (recorded with date and
    evidence), every target on track in the latest closed year, targets with measures planned, in progress
    or done."""
    return replace(prerequisites, sbt_validated=bool(plan.validated), on_track=plan.on_track,
                   management_plan=plan.has_plan)


def reduction_plans(plan: PlanFacts) -> ReductionPlans:
    """ISO 14068-1's reduction targets and management plan as the plan holds them."""
    targets = tuple(f"{s.target.name}: −{s.target.reduction_percent.normalize():f} % "
                    f"{s.target.base_calendar_year}–{s.target.target_year}" for s in plan.standings)
    management = f"{len(targets)} target(s), {plan.measures} measure(s)" if plan.has_plan else ""
    return ReductionPlans(targets=targets, management_plan=management)
