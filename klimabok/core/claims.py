"""What a client may say in public about its climate work — pure rules, no Django.

:func:`advise` takes a :class:`ClaimsInput` (the year's account totals, the
credits retired for it, the prerequisites the client has recorded, the
audience and today's date) and returns :class:`ClaimsAdvice`:

(a) **Directive (EU) 2024/825** (empowering consumers for the green transition;
    it adds point 4c to Annex I of the Unfair Commercial Practices Directive
    2005/29/EC) — from **27 September 2026** it is banned in every case to claim
    toward consumers, *based on the offsetting of greenhouse gas emissions*, that
    a product has a neutral, reduced or positive impact on the environment in
    terms of GHG emissions. Klimabok applies the ban to the company as presented
    to consumers as well (the same claim about "us" sells the same products).
    Saying that the company finances credit projects stays allowed if it is not
    misleading. Before that date the advice says the ban applies from the date.
    In Norway (EEA, not EU) the directive applies through the EEA Agreement once
    incorporated and in force there (no Norwegian date is assumed); the rule says
    so, and that Forbrukertilsynet already applies the Marketing Control Act
    (markedsføringsloven) to climate claims (:data:`NORWAY_2024_825`).
(b) **ISO 14068-1:2023** (carbon neutrality; replaces PAS 2060): the boundary
    covers scope 1, scope 2 and every scope 3 category screened relevant
    (:mod:`klimabok.core.scope3_screening`: all 15 screened, each relevant one
    quantified in the account); reduce first, under reduction targets and a
    carbon-neutrality management plan (:class:`ReductionPlans`, which the plans
    module will supply: until then absent, and the conditions say so); the
    residual emissions are offset by credits retired no later than 12 months
    after the end of the period; the claim is verified by a third party. Each
    condition is met or not, with what is missing and its source. Clause numbers
    of the standard are not cited: only its section names, as read.
(c) **VCMI Claims Code of Practice** (v3): only with its prerequisites recorded
    (public scope 1–3 inventory, science-based target validated, on track); the
    tier from the CCP-labelled credits retired for the year as a share of the
    year's *remaining* emissions: Silver 20 – < 60 %, Gold 60 – < 100 %,
    Platinum ≥ 100 %.
(d) **ESRS E1-7** (Delegated Regulation (EU) 2023/2772, E1 §56–61): credits
    cancelled in the reporting year (t), the share of removals and reductions,
    the share per quality standard, the share from projects in the EU and the
    share with a corresponding adjustment. "Cancelled in the year" is by the
    registry's retirement date, whichever year's emissions the credits were for;
    beside it, labelled apart, the credits cancelled *for* the year's emissions
    (often retired the year after) — each figure with its retirement dates.
    Apart from both, the *planned* cancellations E1 §59(b) asks for ("planned to be
    cancelled in the future and whether they are based on existing contractual
    agreements"): credits reserved for the client under orders not yet retired
    (:class:`PlannedCredit`), as of the day the page is read, with the same shares,
    the year each order is for and the day it was placed.
(e) Suggested wording by audience (consumers; business partners and the annual
    report) and by what was done, and the phrases to avoid. The annual report is a
    public document that reaches consumers, so the business audience gets the
    same restrictions as consumers: the (a) ban, and no carbon-neutral sentence
    even when ISO 14068-1 is met (the checklist still says whether it is). A credit sentence
    says for which year's emissions the credits were retired and on which
    dates: "For its 2025 emissions … retired 837 … (…; retired on 4 December
    2026)", never "In 2025 … retired" for credits retired in 2026.

Dates of retirement are :attr:`RetiredCredit.retired_on`: the date the registry retired the
credits, as the climate partner recorded it (not the day it was typed into klimabok).

Credits are never netted off the account (docs/architecture.md; SBTi: credits never count
toward targets): no figure here is emissions minus credits. Comparing credits to
emissions (a share) is what VCMI and ISO 14068-1 ask for, and that is all.

Tonnes are compared exactly: the account's totals are rounded to whole kg once
(:func:`~klimabok.core.engine.result.to_tonnes_decimal`, the account's one rounding) and the
tier thresholds are checked in :class:`~decimal.Decimal`, so 20 % is 20 %.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Protocol

from klimabok.core.credits.registries import CreditKind as CreditKind  # the registries' kinds, re-exported
from klimabok.core.engine.result import Totals, to_tonnes_decimal
from klimabok.core.messages import Message, message
from klimabok.core.scope3_screening import CategoryScreening, boundary_gaps, category_list

#: The day Directive (EU) 2024/825 applies (its Article 4(1), second subparagraph).
DIRECTIVE_2024_825_APPLIES = date(2026, 9, 27)
#: ISO 14068-1:2023: offsetting credits are retired within 12 months after the period ends.
ISO_RETIREMENT_MONTHS = 12
#: VCMI Claims Code tiers: (name, lowest share in percent), highest first.
VCMI_TIERS: tuple[tuple[str, Decimal], ...] = (
    ("platinum", Decimal(100)), ("gold", Decimal(60)), ("silver", Decimal(20)))
_HUNDRED = Decimal(100)

#: EU member states (ISO 3166 alpha-2 and alpha-3): ESRS E1-7 asks for the share "within the EU".
#: Norway, Iceland and Liechtenstein are EEA, not EU.
EU_COUNTRIES = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
    "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE"})

#: The account's one rounding (tonnes CO2e as Decimal), under the name the claims use.
reported_tonnes = to_tonnes_decimal


def is_eu_country(code: str) -> bool:
    """Whether an ISO 3166 alpha-2 or alpha-3 country code is an EU member state."""
    return code.strip().upper() in EU_COUNTRIES


class Audience(StrEnum):
    CONSUMERS = "consumers"  #: marketing, packaging, website aimed at consumers
    #: business partners, tenders, the annual/sustainability report — public, so under the consumer rules too
    BUSINESS = "business"


@dataclass(frozen=True, slots=True)
class AccountTotals(Totals):
    """The year's account in t CO2e (both scope 2 views), the scopes it has lines in, and the scope 3
    categories it has lines in (1 … 15)."""

    scopes_covered: frozenset[int] = frozenset({1, 2, 3})
    scope_3_categories: frozenset[int] = frozenset()

    @property
    def remaining(self) -> Decimal:
        """The VCMI base: the market-based total of the year, as reported (see :func:`vcmi_tier`)."""
        return reported_tonnes(self.total_market)


@dataclass(frozen=True, slots=True)
class RetiredCredit:
    """One retired serial range (or a project's retirements summed), as the registry recorded it."""

    tonnes: Decimal
    for_year: int                   #: the reporting year whose emissions the retirement was made for
    retired_on: date                #: the registry's retirement (cancellation) date
    standard: str                   #: quality standard / programme, e.g. "Verra VCS"
    registry: str = ""
    project: str = ""
    project_type: str = ""          #: e.g. "afforestation" (as the registry names it)
    kind: CreditKind = CreditKind.UNKNOWN
    ccp_label: bool = False
    corresponding_adjustment: bool = False
    eu_project: bool = False
    vintage: int | None = None
    serials: str = ""


@dataclass(frozen=True, slots=True)
class PlannedCredit:
    """Credits reserved for the client under an order and not yet retired: a cancellation planned
    under an existing contractual agreement (ESRS E1 §59(b)), for ``for_year``'s emissions."""

    tonnes: Decimal
    for_year: int                   #: the reporting year the order is for
    ordered_on: date                #: the day the order was placed (the agreement's date)
    standard: str                   #: quality standard / programme, e.g. "Verra VCS"
    project: str = ""
    kind: CreditKind = CreditKind.UNKNOWN
    corresponding_adjustment: bool = False
    eu_project: bool = False


@dataclass(frozen=True, slots=True)
class Prerequisites:
    """What the client has recorded for the year (the claims page's checkboxes)."""

    public_inventory: bool = False     #: scope 1–3 inventory published
    sbt_validated: bool = False        #: science-based target validated (SBTi)
    on_track: bool = False             #: on track toward that target
    management_plan: bool = False      #: reduction / carbon-neutrality management plan
    claim_verified: bool = False       #: third-party verification of the claim


@dataclass(frozen=True, slots=True)
class ReductionPlans:
    """The year's reduction targets and carbon-neutrality management plan (ISO 14068-1: reduce first).

    The plans module (issue 11) will record them; until it exists :attr:`ClaimsInput.plans` is
    None and the two conditions are not met, saying so. A ticked box is not a plan: the claims
    page's "reduction plan" prerequisite does not stand in for this.
    """

    targets: tuple[str, ...] = ()  #: each reduction target as recorded (scope, base year, target year, cut)
    management_plan: str = ""      #: the recorded carbon-neutrality management plan (a reference); "" none


@dataclass(frozen=True, slots=True)
class ClaimsInput:
    organisation: str                  #: legal name (the beneficiary of the retirements)
    year: int
    totals: AccountTotals | None       #: None: the account cannot be computed
    credits: tuple[RetiredCredit, ...]
    prerequisites: Prerequisites
    audience: Audience
    today: date
    #: the year's scope 3 relevance screening (categories not in it are not screened)
    screening: tuple[CategoryScreening, ...] = ()
    plans: ReductionPlans | None = None  #: None: the plans module is not built yet
    #: credits reserved under orders and not yet retired, as of ``today`` (ESRS E1 §59(b))
    planned: tuple[PlannedCredit, ...] = ()

    @property
    def credits_for_year(self) -> tuple[RetiredCredit, ...]:
        return tuple(c for c in self.credits if c.for_year == self.year)

    @property
    def credits_cancelled_in_year(self) -> tuple[RetiredCredit, ...]:
        return tuple(c for c in self.credits if c.retired_on.year == self.year)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A claim word as it is said in each language (shown verbatim: it is the word to avoid)."""

    nb: str
    en: str


#: Neutral, reduced or positive climate impact based on offsetting (Directive 2024/825, Annex I 4c).
OFFSET_CLAIMS: tuple[Phrase, ...] = (
    Phrase("klimanøytral", "climate neutral"), Phrase("CO2-nøytral", "CO2 neutral"),
    Phrase("karbonnøytral", "carbon neutral"), Phrase("klimakompensert", "climate compensated"),
    Phrase("CO2-kompensert", "CO2 compensated"), Phrase("klimapositiv", "climate positive"),
    Phrase("karbonpositiv", "carbon positive"), Phrase("redusert klimaavtrykk med kreditter",
                                                       "reduced climate impact through credits"))
#: Never true with credits, for any audience (SBTi Corporate Net-Zero Standard; docs/domain.md).
NEVER_WITH_CREDITS: tuple[Phrase, ...] = (
    Phrase("netto null", "net zero"), Phrase("utslippsfri", "emission-free"),
    Phrase("våre utslipp er kompensert og dermed null", "our emissions are offset and therefore zero"))


@dataclass(frozen=True, slots=True)
class Rule:
    """Phrases that are not allowed (or not yet), why, and under which law or standard since when."""

    phrases: tuple[Phrase, ...]
    reason: Message
    source: Message
    in_force: bool
    applies_from: date | None = None
    norway: Message | None = None      #: how the rule applies in Norway (Directive 2024/825: the EEA)


@dataclass(frozen=True, slots=True)
class Condition:
    key: str
    met: bool
    requirement: Message
    missing: Message | None = None
    source: Message | None = None    #: the standard (and section) the condition comes from


@dataclass(frozen=True, slots=True)
class IsoAdvice:
    conditions: tuple[Condition, ...]

    @property
    def met(self) -> bool:
        return all(c.met for c in self.conditions)


@dataclass(frozen=True, slots=True)
class VcmiAdvice:
    tier: str | None                 #: "silver" | "gold" | "platinum" | None
    reason: Message
    base_t: Decimal | None           #: remaining emissions (market-based total), t CO2e
    ccp_t: Decimal                   #: CCP-labelled credits retired for the year, t
    share_percent: Decimal | None    #: ccp_t / base_t × 100, when there is a base
    missing: tuple[Message, ...] = ()  #: prerequisites not recorded


@dataclass(frozen=True, slots=True)
class Share:
    label: str
    tonnes: Decimal
    percent: Decimal


@dataclass(frozen=True, slots=True)
class Cancellations:
    """Credits retired for one reporting year's emissions: how many tonnes, on which dates."""

    for_year: int
    tonnes: Decimal
    dates: tuple[date, ...]         #: the registry retirement dates, earliest first


@dataclass(frozen=True, slots=True)
class PlannedForYear:
    """Planned cancellations for one reporting year's emissions: tonnes and the days of the orders."""

    for_year: int
    tonnes: Decimal
    ordered_on: tuple[date, ...]    #: the order dates, earliest first


@dataclass(frozen=True, slots=True)
class PlannedCancellations:
    """ESRS E1 §59(b): credits planned to be cancelled in the future, all under existing contractual
    agreements (orders placed with the climate partner), as of ``as_of``; the same shares as the
    credits cancelled in the period (the shares are of these tonnes, not of the cancelled ones)."""

    as_of: date
    tonnes: Decimal
    removals_percent: Decimal
    reductions_percent: Decimal
    unknown_percent: Decimal
    by_standard: tuple[Share, ...]
    eu_percent: Decimal
    corresponding_adjustment_percent: Decimal
    by_year: tuple[PlannedForYear, ...] = ()


@dataclass(frozen=True, slots=True)
class EsrsE17:
    """ESRS E1-7 credit figures of the credits cancelled in the reporting year.

    ``cancelled_t`` and the shares are over the credits cancelled *in* the year (by retirement
    date); ``cancelled_by_year`` splits that figure by the year's emissions they were for.
    ``for_year`` is the other figure, shown apart: the credits cancelled *for* the year's
    emissions, whenever they were cancelled. ``planned`` is the third, shown apart again: credits
    reserved and not yet retired (:class:`PlannedCancellations`), never part of ``cancelled_t``.
    """

    cancelled_t: Decimal
    removals_percent: Decimal
    reductions_percent: Decimal
    unknown_percent: Decimal
    by_standard: tuple[Share, ...]
    eu_percent: Decimal
    corresponding_adjustment_percent: Decimal
    cancelled_by_year: tuple[Cancellations, ...] = ()
    for_year: Cancellations | None = None
    planned: PlannedCancellations | None = None


@dataclass(frozen=True, slots=True)
class Wording:
    audience: Audience
    text: Message


@dataclass(frozen=True, slots=True)
class ClaimsAdvice:
    not_allowed: tuple[Rule, ...]
    allowed_note: Message
    iso_14068: IsoAdvice
    vcmi: VcmiAdvice
    esrs: EsrsE17
    wording: tuple[Wording, ...]
    credits_note: Message

    def wording_for(self, audience: Audience) -> tuple[Message, ...]:
        return tuple(w.text for w in self.wording if w.audience == audience)


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a percentage of ``whole`` (0 when the whole is 0), exact to 2 decimals for display."""
    return (part * _HUNDRED / whole) if whole else Decimal(0)


def total_tonnes(credits: Iterable[RetiredCredit]) -> Decimal:
    return sum((c.tonnes for c in credits), Decimal(0))


# ---- (a) Directive (EU) 2024/825 ---------------------------------------------------------------

#: Norway is in the EEA, not the EU: the directive binds Norway only once it is incorporated into the
#: EEA Agreement and in force there (no date is assumed here: the EU date is not Norway's). Meanwhile
#: Forbrukertilsynet already judges climate claims under the Marketing Control Act
#: (markedsføringsloven), following its guidance on climate claims in marketing.
NORWAY_2024_825 = message(
    "In Norway: the directive applies through the EEA Agreement, once it has been incorporated into the "
    "agreement and is in force in Norway; that date may differ from the EU date, so check the status "
    "before relying on it. Forbrukertilsynet already applies the Marketing Control Act "
    "(markedsføringsloven) to climate claims today, following its guidance on climate claims in "
    "marketing: a misleading neutrality claim based on credits can be unlawful in Norway now.")


def directive_rules(data: ClaimsInput, iso: IsoAdvice) -> tuple[Rule, ...]:
    """The claims the Directive bans toward consumers (in force or from its date) and the never-claims."""
    in_force = data.today >= DIRECTIVE_2024_825_APPLIES
    source = message("Directive (EU) 2024/825, Annex I point 4c of Directive 2005/29/EC (unfair "
                     "commercial practices)")
    if in_force:
        reason = message("Since %(date)s it is banned to claim toward consumers, based on offsetting "
                         "emissions with carbon credits, that a product or the company has a neutral, "
                         "reduced or positive climate impact.", date=DIRECTIVE_2024_825_APPLIES.isoformat())
    else:
        reason = message("From %(date)s it is banned to claim toward consumers, based on offsetting "
                         "emissions with carbon credits, that a product or the company has a neutral, "
                         "reduced or positive climate impact. The Nordic consumer authorities, Norway's "
                         "Forbrukertilsynet among them, already warned against such claims in May 2024.",
                         date=DIRECTIVE_2024_825_APPLIES.isoformat())
    rules = []
    norway = NORWAY_2024_825
    if data.audience is Audience.CONSUMERS:
        rules.append(Rule(OFFSET_CLAIMS, reason, source, in_force, DIRECTIVE_2024_825_APPLIES, norway))
    else:
        # The annual report is a public document: it reaches consumers as well as business partners,
        # so what may not be said to consumers may not be said in it either (and a sentence written for
        # partners ends up in the report). The same ban, from the same date.
        rules.append(Rule(OFFSET_CLAIMS, message(
            "%(ban)s The annual report is a public document that reaches consumers too, so the same "
            "restriction applies to it and to what you tell business partners where it can reach "
            "consumers.", ban=reason), source, in_force, DIRECTIVE_2024_825_APPLIES, norway))
    if data.audience is Audience.BUSINESS and not iso.met:
        rules.append(Rule(OFFSET_CLAIMS, message(
            "A carbon-neutrality claim to business partners or in the annual report needs every "
            "ISO 14068-1 condition met; see the checklist."), message("ISO 14068-1:2023"), True))
    rules.append(Rule(NEVER_WITH_CREDITS, message(
        "Credits never count toward emission reductions or targets, and they are never deducted from "
        "reported emissions: net zero means cutting emissions, not buying credits."),
        message("SBTi Corporate Net-Zero Standard; GHG Protocol"), True))
    return tuple(rules)


def allowed_note(data: ClaimsInput) -> Message:
    if data.audience is Audience.CONSUMERS:
        return message("You may say that you finance climate projects with carbon credits, as long as "
                       "it is not misleading: name the credits, the tonnes, the projects and that they "
                       "are not deducted from your emissions.")
    return message("You may report your emissions and, beside them, the credits you retired. The annual "
                   "report is public, so it follows the consumer rules: no neutrality claim based on "
                   "credits. ISO 14068-1 is shown as a checklist; a VCMI claim needs its prerequisites.")


# ---- (b) ISO 14068-1:2023 ----------------------------------------------------------------------

def _retirement_deadline(year: int) -> date:
    return date(year + 1, 12, 31)


#: Where each ISO 14068-1 condition comes from (section names of the standard; no clause numbers,
#: which were not verified against the text).
ISO_FOOTPRINT = message("ISO 14068-1:2023, carbon footprint of the subject (boundary)")
SCOPE_3_SCREENING = message("GHG Protocol Scope 3 Standard, chapter 6 and table 6.1; ISO 14068-1:2023, "
                            "carbon footprint of the subject (boundary)")
ISO_PLAN = message("ISO 14068-1:2023, carbon neutrality management plan")
ISO_OFFSETTING = message("ISO 14068-1:2023, offsetting")
ISO_CLAIM = message("ISO 14068-1:2023, carbon neutrality claims")


def _boundary(data: ClaimsInput) -> list[Condition]:
    """Scope 1 and 2 with lines in the account; all 15 scope 3 categories screened; every category
    screened relevant quantified (has lines in the account)."""
    totals = data.totals
    missing_scopes = sorted({1, 2} - set(totals.scopes_covered)) if totals else [1, 2]
    gaps = boundary_gaps(data.screening, totals.scope_3_categories if totals else ())
    return [
        Condition("boundary", not missing_scopes,
                  message("The boundary covers scope 1 and scope 2"),
                  None if not missing_scopes else message(
                      "The account has no lines in scope(s) %(scopes)s.",
                      scopes=", ".join(map(str, missing_scopes))), ISO_FOOTPRINT),
        Condition("scope3_screened", not gaps.unscreened,
                  message("Every scope 3 category (15) is screened for relevance"),
                  None if not gaps.unscreened else message(
                      "%(count)s of 15 scope 3 categories not screened: %(categories)s.",
                      count=len(gaps.unscreened), categories=category_list(gaps.unscreened)),
                  SCOPE_3_SCREENING),
        Condition("scope3_quantified", not gaps.relevant_without_data,
                  message("Every scope 3 category screened relevant is quantified in the account"),
                  None if not gaps.relevant_without_data else message(
                      "Screened relevant but without data in the account: %(categories)s.",
                      categories=category_list(gaps.relevant_without_data)), SCOPE_3_SCREENING),
    ]


def _plans(data: ClaimsInput) -> list[Condition]:
    """Reduction targets and a carbon-neutrality management plan: absent until the plans module."""
    plans = data.plans
    targets = bool(plans and plans.targets)
    plan = bool(plans and plans.management_plan.strip())
    return [
        Condition("reduction_target", targets,
                  message("Reduce first: reduction targets for the subject's emissions are set"),
                  None if targets else
                  message("No reduction target recorded (coming with the plans module).") if plans is None
                  else message("No reduction target recorded."),
                  ISO_PLAN),
        Condition("management_plan", plan,
                  message("A carbon-neutrality management plan (targets, reduction measures, offsetting "
                          "of the residual emissions) is recorded"),
                  None if plan else
                  message("No carbon-neutrality management plan recorded (coming with the plans module).")
                  if plans is None else message("No carbon-neutrality management plan recorded."),
                  ISO_PLAN),
    ]


def iso_14068(data: ClaimsInput) -> IsoAdvice:
    """The ISO 14068-1 carbon-neutrality conditions for the reporting year, each met or not."""
    prerequisites, totals = data.prerequisites, data.totals
    credits = data.credits_for_year
    retired = total_tonnes(credits)
    deadline = _retirement_deadline(data.year)
    late = [c for c in credits if c.retired_on > deadline]
    # The claim must hold in either scope 2 view, so the larger total is the one to cover.
    residual = max(reported_tonnes(totals.total_location), reported_tonnes(totals.total_market)) \
        if totals else None
    conditions = [
        *_boundary(data),
        *_plans(data),
        Condition("offset", residual is not None and residual > 0 and retired >= residual,
                  message("Credits retired for the year cover the residual emissions (the larger of the "
                          "location- and market-based totals)"),
                  None if residual is not None and residual > 0 and retired >= residual else message(
                      "%(retired)s t retired for %(year)s; the residual emissions are %(residual)s t.",
                      retired=_tonnes(retired), year=data.year,
                      residual=_tonnes(residual) if residual is not None else "?"), ISO_OFFSETTING),
        Condition("retired_in_time", bool(credits) and not late,
                  message("Credits retired no later than 12 months after the period (by %(deadline)s)",
                          deadline=deadline.isoformat()),
                  None if credits and not late else (
                      message("No credits are retired for %(year)s.", year=data.year) if not credits
                      else message("%(count)s retirement(s) after %(deadline)s.", count=len(late),
                                   deadline=deadline.isoformat())), ISO_OFFSETTING),
        Condition("verified", prerequisites.claim_verified,
                  message("The claim is verified by an independent third party"),
                  None if prerequisites.claim_verified
                  else message("No third-party verification of the claim is recorded."), ISO_CLAIM),
    ]
    return IsoAdvice(tuple(conditions))


# ---- (c) VCMI Claims Code ----------------------------------------------------------------------

def vcmi_tier(share_percent: Decimal) -> str | None:
    """The VCMI tier of a CCP-credit share of remaining emissions (percent), or None below 20 %."""
    for tier, lowest in VCMI_TIERS:
        if share_percent >= lowest:
            return tier
    return None


def vcmi(data: ClaimsInput) -> VcmiAdvice:
    """The VCMI Claims Code tier, or why there is none.

    The base ("remaining emissions", VCMI Claims Code v3: the emissions the company still
    emits in the claim year, after its reductions) is the year's **market-based** total of
    scope 1–3 as reported — the view SBTi targets are set in. The share is compared exactly:
    ``ccp × 100 ≥ threshold × base``.
    """
    ccp_t = total_tonnes(c for c in data.credits_for_year if c.ccp_label)
    totals, prerequisites = data.totals, data.prerequisites
    base = totals.remaining if totals else None
    share = percent(ccp_t, base) if base else None
    missing = tuple(name for name, done in (
        (message("a public scope 1–3 inventory"), prerequisites.public_inventory),
        (message("a validated science-based target"), prerequisites.sbt_validated),
        (message("being on track toward that target"), prerequisites.on_track)) if not done)
    if missing:
        return VcmiAdvice(None, message("No VCMI claim: its prerequisites are not recorded."),
                          base, ccp_t, share, missing)
    if totals is None or not base:
        return VcmiAdvice(None, message("No VCMI claim: the year's account has no emissions to compare "
                                        "with."), base, ccp_t, share)
    if set(totals.scopes_covered) != {1, 2, 3}:
        return VcmiAdvice(None, message("No VCMI claim: the account does not cover scope 1, 2 and 3."),
                          base, ccp_t, share)
    tier = vcmi_tier(ccp_t * _HUNDRED / base)
    if tier is None:
        return VcmiAdvice(None, message(
            "No VCMI claim: CCP-labelled credits retired for %(year)s are %(share)s %% of the remaining "
            "emissions; Silver needs at least 20 %%.", year=data.year, share=_shown(share)),
            base, ccp_t, share)
    return VcmiAdvice(tier, message(
        "CCP-labelled credits retired for %(year)s: %(ccp)s t, %(share)s %% of the remaining emissions "
        "(%(base)s t, market-based total).", year=data.year, ccp=_tonnes(ccp_t), share=_shown(share),
        base=_tonnes(base)), base, ccp_t, share)


def _shown(share: Decimal | None) -> str:
    """A share for a sentence in whole percent, rounded down so 59.9 % never reads as 60 %."""
    return str((share or Decimal(0)).quantize(Decimal(1), rounding=ROUND_DOWN))


# ---- (d) ESRS E1-7 -----------------------------------------------------------------------------

class _CreditFacts(Protocol):
    """What the E1-7 shares read of a credit, retired or planned."""

    @property
    def tonnes(self) -> Decimal: ...
    @property
    def standard(self) -> str: ...
    @property
    def kind(self) -> CreditKind: ...
    @property
    def eu_project(self) -> bool: ...
    @property
    def corresponding_adjustment(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class _Breakdown:
    total: Decimal
    removals: Decimal
    reductions: Decimal
    unknown: Decimal
    by_standard: tuple[Share, ...]
    eu: Decimal
    corresponding_adjustment: Decimal


def _breakdown(credits: Sequence[_CreditFacts]) -> _Breakdown:
    """The E1-7 shares of ``credits`` (percent of their own total; 0 when there are none)."""
    total = sum((c.tonnes for c in credits), Decimal(0))

    def share_of(predicate: Callable[[_CreditFacts], bool]) -> Decimal:
        return percent(sum((c.tonnes for c in credits if predicate(c)), Decimal(0)), total)

    standards: dict[str, Decimal] = {}
    for credit in credits:
        standards[credit.standard] = standards.get(credit.standard, Decimal(0)) + credit.tonnes
    return _Breakdown(
        total=total,
        removals=share_of(lambda c: c.kind is CreditKind.REMOVAL),
        reductions=share_of(lambda c: c.kind is CreditKind.REDUCTION),
        unknown=share_of(lambda c: c.kind is CreditKind.UNKNOWN),
        by_standard=tuple(Share(name, t, percent(t, total))
                          for name, t in sorted(standards.items(), key=lambda item: (-item[1], item[0]))),
        eu=share_of(lambda c: c.eu_project),
        corresponding_adjustment=share_of(lambda c: c.corresponding_adjustment))


def esrs_e1_7(data: ClaimsInput) -> EsrsE17:
    """The credit figures ESRS E1-7 asks for, over the credits cancelled in the reporting year, and
    apart the planned cancellations (E1 §59(b))."""
    credits = data.credits_cancelled_in_year
    shares = _breakdown(credits)
    for_years = sorted({c.for_year for c in credits})
    return EsrsE17(
        cancelled_t=shares.total,
        removals_percent=shares.removals,
        reductions_percent=shares.reductions,
        unknown_percent=shares.unknown,
        by_standard=shares.by_standard,
        eu_percent=shares.eu,
        corresponding_adjustment_percent=shares.corresponding_adjustment,
        cancelled_by_year=tuple(cancellations(c for c in credits if c.for_year == year)
                                for year in for_years),
        for_year=cancellations(data.credits_for_year, data.year),
        planned=planned_cancellations(data.planned, data.today))


def planned_cancellations(planned: Sequence[PlannedCredit], as_of: date) -> PlannedCancellations:
    """ESRS E1 §59(b): the credits reserved and not yet retired on ``as_of``, with the E1-7 shares and,
    per reporting year the orders are for, the tonnes and the days the orders were placed."""
    shares = _breakdown(planned)
    by_year = tuple(
        PlannedForYear(year, sum((p.tonnes for p in planned if p.for_year == year), Decimal(0)),
                       tuple(sorted({p.ordered_on for p in planned if p.for_year == year})))
        for year in sorted({p.for_year for p in planned}))
    return PlannedCancellations(
        as_of=as_of, tonnes=shares.total, removals_percent=shares.removals,
        reductions_percent=shares.reductions, unknown_percent=shares.unknown,
        by_standard=shares.by_standard, eu_percent=shares.eu,
        corresponding_adjustment_percent=shares.corresponding_adjustment, by_year=by_year)


def cancellations(credits: Iterable[RetiredCredit], for_year: int | None = None) -> Cancellations:
    """The tonnes and retirement dates of ``credits`` (all for one year; ``for_year`` when there are none)."""
    credits = tuple(credits)
    year = credits[0].for_year if credits else for_year
    assert year is not None, "credits or a year"
    return Cancellations(year, total_tonnes(credits), tuple(sorted({c.retired_on for c in credits})))


# ---- (e) Wording -------------------------------------------------------------------------------

def _projects(credits: Iterable[RetiredCredit]) -> str:
    """"afforestation, Verra VCS" per project type and standard (the registry's words, not translated)."""
    seen = dict.fromkeys(", ".join(part for part in (c.project_type or c.project, c.standard) if part)
                         for c in credits)
    return "; ".join(p for p in seen if p)


def _serials(credits: Iterable[RetiredCredit]) -> str:
    return ", ".join(c.serials for c in credits if c.serials)


def _tonnes(value: Decimal) -> str:
    """Whole tonnes for a sentence (half up): no decimal separator to get wrong in either language."""
    return str(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def long_date(day: date) -> Message:
    """``day`` for a sentence, "4 December 2026" (bokmål "4. desember 2026"): the reader's language
    names the month, and no numeric format can be read as another day."""
    months = (
        message("%(day)s January %(year)s", day=day.day, year=day.year),
        message("%(day)s February %(year)s", day=day.day, year=day.year),
        message("%(day)s March %(year)s", day=day.day, year=day.year),
        message("%(day)s April %(year)s", day=day.day, year=day.year),
        message("%(day)s May %(year)s", day=day.day, year=day.year),
        message("%(day)s June %(year)s", day=day.day, year=day.year),
        message("%(day)s July %(year)s", day=day.day, year=day.year),
        message("%(day)s August %(year)s", day=day.day, year=day.year),
        message("%(day)s September %(year)s", day=day.day, year=day.year),
        message("%(day)s October %(year)s", day=day.day, year=day.year),
        message("%(day)s November %(year)s", day=day.day, year=day.year),
        message("%(day)s December %(year)s", day=day.day, year=day.year))
    return months[day.month - 1]


def _and(items: Sequence[Message]) -> Message:
    """"a, b and c" in the reader's language."""
    head = items[0]
    if len(items) == 1:
        return head
    for item in items[1:-1]:
        head = message("%(first)s, %(next)s", first=head, next=item)
    return message("%(first)s and %(last)s", first=head, last=items[-1])


def _retired_when(credits: Iterable[RetiredCredit]) -> Message:
    """When ``credits`` were retired: "retired on 4 December 2026", or per date with the tonnes
    ("retired 12 on 10 December 2025 and 5 on 15 January 2026")."""
    by_day: dict[date, Decimal] = {}
    for credit in credits:
        by_day[credit.retired_on] = by_day.get(credit.retired_on, Decimal(0)) + credit.tonnes
    days = sorted(by_day)
    if len(days) == 1:
        return message("retired on %(date)s", date=long_date(days[0]))
    return message("retired %(parts)s", parts=_and([
        message("%(count)s on %(date)s", count=_tonnes(by_day[day]), date=long_date(day)) for day in days]))


def wording(data: ClaimsInput, iso: IsoAdvice, vcmi_advice: VcmiAdvice) -> tuple[Wording, ...]:
    """Sentences the client may use, for its audience, from what it has done."""
    credits = data.credits_for_year
    out: list[Wording] = []
    audience = data.audience
    if data.totals is not None:
        out.append(Wording(audience, message(
            "In %(year)s %(organisation)s emitted %(market)s t CO2e (market-based; %(location)s t "
            "location-based) under the GHG Protocol.", year=data.year, organisation=data.organisation,
            market=_tonnes(reported_tonnes(data.totals.total_market)),
            location=_tonnes(reported_tonnes(data.totals.total_location)))))
    if data.prerequisites.management_plan:
        out.append(Wording(audience, message(
            "We are cutting our own emissions first, following a reduction plan with targets.")))
    if credits:
        # For the year's emissions, on the registry's dates: credits for 2025 retired in 2026 were
        # not retired "in 2025" (the ESRS E1-7 block counts what was cancelled in the year).
        tonnes = total_tonnes(credits)
        serials = _serials(credits)
        when = _retired_when(credits)
        if serials:
            text = message(
                "For its %(year)s emissions, %(organisation)s retired %(count)s verified carbon credits "
                "(%(tonnes)s t CO2e, %(projects)s, serials %(serials)s; %(when)s) to finance climate "
                "action beyond its own value chain. They are not deducted from our reported emissions.",
                year=data.year, organisation=data.organisation, count=_tonnes(tonnes),
                tonnes=_tonnes(tonnes), projects=_projects(credits), serials=serials, when=when)
        else:
            text = message(
                "For its %(year)s emissions, %(organisation)s retired %(count)s verified carbon credits "
                "(%(tonnes)s t CO2e, %(projects)s; %(when)s) to finance climate action beyond its own "
                "value chain. They are not deducted from our reported emissions.", year=data.year,
                organisation=data.organisation, count=_tonnes(tonnes), tonnes=_tonnes(tonnes),
                projects=_projects(credits), when=when)
        out.append(Wording(audience, text))
    if audience is Audience.BUSINESS and vcmi_advice.tier:
        out.append(Wording(audience, message(
            "%(organisation)s makes a VCMI Carbon Integrity %(tier)s claim for %(year)s: it has a "
            "validated science-based target, is on track, and retired CCP-labelled credits equal to "
            "%(share)s %% of its remaining emissions.", organisation=data.organisation,
            tier=vcmi_advice.tier.title(), year=data.year, share=_shown(vcmi_advice.share_percent))))
    # No "carbon neutral" sentence for the business audience either, even with every ISO 14068-1
    # condition met: the audience includes the annual report, a public document that reaches consumers,
    # where a neutrality claim based on credits is what Directive (EU) 2024/825 bans.
    return tuple(out)


CREDITS_NOTE = message("Credits are reported beside the emissions and never deducted from them.")


def advise(data: ClaimsInput) -> ClaimsAdvice:
    """Everything the claims page shows for ``data`` (see the module docstring for the rules)."""
    iso = iso_14068(data)
    vcmi_advice = vcmi(data)
    return ClaimsAdvice(
        not_allowed=directive_rules(data, iso), allowed_note=allowed_note(data), iso_14068=iso,
        vcmi=vcmi_advice, esrs=esrs_e1_7(data), wording=wording(data, iso, vcmi_advice),
        credits_note=CREDITS_NOTE)
