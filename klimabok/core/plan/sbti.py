"""Science-based target rules as named, versioned rule sets: check targets, propose the minimum ones.

Three rule sets (:data:`RULESETS`), each a list of rules with a status — met, not met, or **not
checked** where klimabok does not know the threshold for certain (it never guesses):

- ``sbti-near-term-v1`` — SBTi near-term criteria (V1.x): linear absolute contraction of at least
  4.2 % of base-year emissions a year for scope 1+2 (1.5 °C) and 2.5 % a year for scope 3
  (well-below 2 °C); the scope 1+2 target covers ≥ 95 % of scope 1+2; a scope 3 target when scope 3
  is ≥ 40 % of scopes 1+2+3, covering ≥ 67 % of scope 3; the target year 5–10 years from
  submission; a base year no earlier than 2015.
- ``sbti-sme-v1`` — the SME route (V1): fewer than 10,000 t scope 1 + location-based scope 2, not a
  financial institution or in oil and gas, plus size tests on which sources disagree ("two or
  three of" fewer than 250 employees, turnover below €50 M, total assets below €25 M, not FLAG) —
  so they are shown and never decided here; a scope 1+2 target for 2030, scope 3 measured.
- ``sbti-net-zero-v2`` — the Corporate Net-Zero Standard V2.0 (published 11 June 2026): 5-year
  targets; separate scope 1 and scope 2 targets; a location-based scope 2 target for every company;
  scope 3 targets for category A companies only; no separate SME route. Its category thresholds,
  its rates and how its five years are counted are not read from the standard here: not checked.

Sources: the documents are cited by name (SBTi *Corporate Near-Term Criteria*, the SBTi SME route,
SBTi *Corporate Net-Zero Standard* V2.0) with the rule in words; no criterion or paragraph numbers
are given, because none was verified against the text. A figure of the domain notes
(docs/domain.md, "Targets and measures") is a rule here; nothing else is.

Which scope 2 figure counts toward "scope 3 is 40 % of the total" is not settled in those notes:
the rule is computed under both the location- and the market-based total and is "not checked"
when the two disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from klimabok.core.messages import Message, message
from klimabok.core.plan.pathway import (
    RATE_1_5C,
    RATE_WELL_BELOW_2C,
    SCOPE_1_2,
    Scope2Method,
    Target,
    percent,
)

if TYPE_CHECKING:
    from klimabok.core.engine import AccountResult

EARLIEST_BASE_YEAR = 2015
SCOPE_1_2_COVERAGE = 0.95
SCOPE_3_SHARE_FOR_TARGET = 0.40
SCOPE_3_COVERAGE = 0.67
TIMEFRAME_YEARS = (5, 10)
SME_LIMIT_T = 10_000.0
SME_TARGET_YEAR = 2030
_TOLERANCE = 1e-9

NEAR_TERM = "SBTi Corporate Near-Term Criteria (V1.x)"
SME = "SBTi SME route (V1)"
NET_ZERO_V2 = "SBTi Corporate Net-Zero Standard V2.0 (published 11 June 2026)"


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_CHECKED = "not_checked"


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule of a rule set: its ``rule`` key, ``status``, what it found and the ``source`` cited."""

    rule: str
    status: Status
    message: Message
    source: str


@dataclass(frozen=True, slots=True)
class InventoryFacts:
    """The base year's figures a rule set reads, tonnes CO2e.

    ``scope_3_by_category`` maps category 1…15 to tonnes. The yes/no facts a user records
    (``financial_institution``, ``oil_and_gas``, V2.0's ``category_a``) are None until recorded:
    the rules that need them are then "not checked".
    """

    base_year: int
    scope_1: float
    scope_2_location: float
    scope_2_market: float
    scope_3_by_category: Mapping[int, float] = field(default_factory=dict)
    submission_year: int | None = None
    financial_institution: bool | None = None
    oil_and_gas: bool | None = None
    category_a: bool | None = None

    @classmethod
    def from_account(cls, account: AccountResult, **recorded: object) -> InventoryFacts:
        """The facts of an account (its year is the base year); ``recorded`` adds the user's answers."""
        by_category = account.by_category()
        scope_3 = {int(label.split(".")[1]): t for label, t in by_category.items()
                   if label.startswith("scope_3.")}
        totals = account.totals
        return cls(base_year=account.year, scope_1=totals.scope_1, scope_2_location=totals.scope_2_location,
                   scope_2_market=totals.scope_2_market, scope_3_by_category=scope_3,
                   **recorded)  # type: ignore[arg-type]

    @property
    def scope_3(self) -> float:
        return sum(self.scope_3_by_category.values())

    def scope_2(self, method: Scope2Method) -> float:
        return self.scope_2_location if method == "location" else self.scope_2_market

    def emissions_in(self, label: str, method: Scope2Method) -> float:
        """Tonnes of one scope label (``scope_1``, ``scope_2``, ``scope_3.6``) under ``method``."""
        if label == "scope_1":
            return self.scope_1
        if label == "scope_2":
            return self.scope_2(method)
        return self.scope_3_by_category.get(int(label.split(".")[1]), 0.0)

    def covered_t(self, labels: frozenset[str] | set[str], method: Scope2Method) -> float:
        return sum(self.emissions_in(label, method) for label in labels)


@dataclass(frozen=True)
class RuleSet:
    """A named, versioned rule set: ``check`` gives one :class:`RuleResult` per rule."""

    key: str
    name: str
    version: str
    source: str
    check: Callable[[InventoryFacts, Sequence[Target]], list[RuleResult]] = field(repr=False)
    propose: Callable[[InventoryFacts, int | None], Proposal] = field(repr=False)


@dataclass(frozen=True, slots=True)
class Proposal:
    """The minimum targets a rule set asks of an organisation, with notes on what is assumed."""

    ruleset: str
    targets: tuple[Target, ...]
    notes: tuple[Message, ...] = ()


def check_targets(facts: InventoryFacts, targets: Sequence[Target],
                  ruleset: RuleSet | str) -> list[RuleResult]:
    """Each rule of ``ruleset`` (a :class:`RuleSet` or its key in :data:`RULESETS`) on ``targets``."""
    rules = RULESETS[ruleset] if isinstance(ruleset, str) else ruleset
    return rules.check(facts, targets)


def propose(facts: InventoryFacts, ruleset: RuleSet | str, *, target_year: int | None = None) -> Proposal:
    """The minimum targets ``ruleset`` asks for, from the base year's figures in ``facts``."""
    rules = RULESETS[ruleset] if isinstance(ruleset, str) else ruleset
    return rules.propose(facts, target_year)


# --- shared rules ------------------------------------------------------------------------------------

def _result(rule: str, ok: bool | None, text: Message, source: str) -> RuleResult:
    status = Status.NOT_CHECKED if ok is None else Status.MET if ok else Status.NOT_MET
    return RuleResult(rule, status, text, source)


def _covers_scope_1_2(target: Target) -> bool:
    return bool(target.covers & SCOPE_1_2)


def _scope_3_labels(target: Target) -> frozenset[str]:
    return frozenset(label for label in target.covers if label.startswith("scope_3."))


def _base_year_rule(targets: Sequence[Target], source: str) -> RuleResult:
    early = [t for t in targets if t.base_year < EARLIEST_BASE_YEAR]
    if early:
        return _result("base_year", False, message(
            "base year %(year)s is earlier than %(earliest)s", year=early[0].base_year,
            earliest=EARLIEST_BASE_YEAR), source)
    return _result("base_year", True, message("every base year is %(earliest)s or later",
                                              earliest=EARLIEST_BASE_YEAR), source)


def _rate_rule(rule: str, targets: Sequence[Target], minimum: float, source: str) -> RuleResult:
    """Each absolute target's linear yearly rate ≥ ``minimum``; intensity targets are not checked."""
    if not targets:
        return _result(rule, False, message("no target to check"), source)
    for target in targets:
        if target.kind != "absolute":
            return _result(rule, None, message(
                "an intensity target is judged by other methods than the linear rate: not checked here"),
                source)
        if target.annual_rate < minimum - _TOLERANCE:
            return _result(rule, False, message(
                "%(reduction)s %% over %(years)s years is %(rate)s %% a year; at least %(minimum)s %% a year "
                "is asked for (%(needed)s %% by %(target_year)s)",
                reduction=percent(target.reduction), years=target.years, rate=percent(target.annual_rate),
                minimum=percent(minimum), needed=percent(minimum * target.years),
                target_year=target.target_year), source)
    first = targets[0]
    return _result(rule, True, message(
        "%(reduction)s %% over %(years)s years is %(rate)s %% a year, at least the %(minimum)s %% asked for",
        reduction=percent(first.reduction), years=first.years, rate=percent(first.annual_rate),
        minimum=percent(minimum)), source)


def _scope_3_share(facts: InventoryFacts) -> tuple[float, float]:
    """Scope 3's share of scopes 1+2+3 under the location- and the market-based scope 2."""
    shares = []
    for method in ("location", "market"):
        total = facts.scope_1 + facts.scope_2(method) + facts.scope_3
        shares.append(facts.scope_3 / total if total else 0.0)
    return shares[0], shares[1]


# --- SBTi near-term criteria (V1.x) ----------------------------------------------------------------

def _near_term_check(facts: InventoryFacts, targets: Sequence[Target]) -> list[RuleResult]:
    results = [_base_year_rule(targets, f"{NEAR_TERM}: base year no earlier than {EARLIEST_BASE_YEAR}")]
    timeframe = f"{NEAR_TERM}: target year 5–10 years from submission"
    if facts.submission_year is None:
        results.append(_result("timeframe", None, message(
            "give the year the targets are submitted to check the 5–10 year timeframe"), timeframe))
    else:
        low, high = TIMEFRAME_YEARS
        wrong = [t for t in targets if not low <= t.target_year - facts.submission_year <= high]
        results.append(_result("timeframe", not wrong and bool(targets), message(
            "target year %(year)s is %(years)s years from submission in %(submission)s; "
            "5 to 10 are asked for",
            year=wrong[0].target_year, years=wrong[0].target_year - facts.submission_year,
            submission=facts.submission_year) if wrong else message(
            "every target year is 5 to 10 years from submission in %(submission)s",
            submission=facts.submission_year), timeframe))
    scope_12 = [t for t in targets if _covers_scope_1_2(t)]
    coverage_source = f"{NEAR_TERM}: scope 1 and 2 target boundary ≥ 95 %"
    if not scope_12:
        results.append(_result("scope_1_2_coverage", False, message("no scope 1+2 target"), coverage_source))
    else:
        method = next((t.scope_2_method for t in scope_12 if "scope_2" in t.covers),
                      scope_12[0].scope_2_method)
        covered = set().union(*(t.covers & SCOPE_1_2 for t in scope_12))
        total = facts.scope_1 + facts.scope_2(method)
        share = facts.covered_t(covered, method) / total if total else 1.0
        results.append(_result("scope_1_2_coverage", share >= SCOPE_1_2_COVERAGE - _TOLERANCE, message(
            "the scope 1+2 targets cover %(share)s %% of scope 1+2 emissions; "
            "at least %(minimum)s %% is asked for",
            share=percent(share), minimum=percent(SCOPE_1_2_COVERAGE)), coverage_source))
    results.append(_rate_rule("scope_1_2_ambition", scope_12, RATE_1_5C,
                              f"{NEAR_TERM}: scope 1 and 2, 1.5 °C, linear absolute contraction ≥ 4.2 %/yr"))
    results += _scope_3_rules(facts, targets, NEAR_TERM)
    return results


def _scope_3_rules(facts: InventoryFacts, targets: Sequence[Target], document: str) -> list[RuleResult]:
    required_source = f"{document}: scope 3 target when scope 3 is ≥ 40 % of scopes 1, 2 and 3"
    location, market = _scope_3_share(facts)
    low, high = sorted((location, market))
    scope_3 = [t for t in targets if _scope_3_labels(t)]
    if high < SCOPE_3_SHARE_FOR_TARGET:
        return [_result("scope_3_required", True, message(
            "scope 3 is %(share)s %% of the total, under %(threshold)s %%: no scope 3 target is required",
            share=percent(high), threshold=percent(SCOPE_3_SHARE_FOR_TARGET)), required_source)]
    if low < SCOPE_3_SHARE_FOR_TARGET:
        return [_result("scope_3_required", None, message(
            "scope 3 is %(location)s %% of the total with location-based and %(market)s %% with market-based "
            "scope 2, on either side of %(threshold)s %%: which one counts is not checked",
            location=percent(location), market=percent(market), threshold=percent(SCOPE_3_SHARE_FOR_TARGET)),
            required_source)]
    results = [_result("scope_3_required", bool(scope_3), message(
        "scope 3 is %(share)s %% of the total: a scope 3 target is required", share=percent(low)),
        required_source)]
    covered = set().union(*(_scope_3_labels(t) for t in scope_3)) if scope_3 else set()
    share = facts.covered_t(covered, "market") / facts.scope_3 if facts.scope_3 else 1.0
    results.append(_result("scope_3_coverage", share >= SCOPE_3_COVERAGE - _TOLERANCE, message(
        "the scope 3 targets cover %(share)s %% of scope 3; at least %(minimum)s %% is asked for",
        share=percent(share), minimum=percent(SCOPE_3_COVERAGE)),
        f"{document}: scope 3 target boundary ≥ 67 % of scope 3"))
    if document == NEAR_TERM:
        results.append(_rate_rule(
            "scope_3_ambition", scope_3, RATE_WELL_BELOW_2C,
            f"{NEAR_TERM}: scope 3, well-below 2 °C, linear absolute contraction ≥ 2.5 %/yr"))
    return results


def _largest_categories(facts: InventoryFacts, share: float) -> frozenset[str]:
    """The largest scope 3 categories, largest first, until they hold ``share`` of scope 3."""
    chosen: set[str] = set()
    covered = 0.0
    for category, t in sorted(facts.scope_3_by_category.items(), key=lambda item: (-item[1], item[0])):
        if covered >= share * facts.scope_3 - _TOLERANCE:
            break
        chosen.add(f"scope_3.{category}")
        covered += t
    return frozenset(chosen)


def _near_term_propose(facts: InventoryFacts, target_year: int | None) -> Proposal:
    submission = facts.submission_year or facts.base_year + 1
    year = target_year or submission + TIMEFRAME_YEARS[0]
    targets = [Target.from_rate(base_year=facts.base_year, target_year=year, rate=RATE_1_5C,
                                base_t=facts.scope_1 + facts.scope_2_market, covers=SCOPE_1_2,
                                scope_2_method="market", name="Scope 1+2, 1.5 °C")]
    notes = [message("scope 2 is market-based here; a location-based target is the same line on the "
                     "location-based figure")]
    if max(_scope_3_share(facts)) >= SCOPE_3_SHARE_FOR_TARGET:
        labels = _largest_categories(facts, SCOPE_3_COVERAGE)
        targets.append(Target.from_rate(base_year=facts.base_year, target_year=year, rate=RATE_WELL_BELOW_2C,
                                        base_t=facts.covered_t(labels, "market"), covers=labels,
                                        name="Scope 3, well-below 2 °C"))
    return Proposal("sbti-near-term-v1", tuple(targets), tuple(notes))


# --- SBTi SME route (V1) ---------------------------------------------------------------------------

def _sme_check(facts: InventoryFacts, targets: Sequence[Target]) -> list[RuleResult]:
    size = facts.scope_1 + facts.scope_2_location
    results = [_result("sme_emissions", size < SME_LIMIT_T, message(
        "scope 1 + location-based scope 2 is %(t)s t; the SME route is for less than %(limit)s t",
        t=f"{size:.1f}", limit=f"{SME_LIMIT_T:.0f}"),
        f"{SME}: eligibility, < 10,000 t scope 1 + location-based scope 2")]
    sector_source = f"{SME}: eligibility, not a financial institution or in the oil and gas sector"
    if facts.financial_institution is None or facts.oil_and_gas is None:
        results.append(_result("sme_sector", None, message(
            "record whether the organisation is a financial institution or in oil and gas"), sector_source))
    else:
        excluded = facts.financial_institution or facts.oil_and_gas
        results.append(_result("sme_sector", not excluded, message(
            "financial institutions and oil and gas companies cannot use the SME route")
            if excluded else message(
            "neither a financial institution nor in oil and gas"), sector_source))
    results.append(_result("sme_size", None, message(
        "size tests not checked: sources disagree whether two or three of these must hold: fewer than 250 "
        "employees, turnover below 50 million euros, total assets below 25 million euros, not in a "
        "forest, land and agriculture (FLAG) sector"), f"{SME}: eligibility, size tests"))
    scope_12 = [t for t in targets if _covers_scope_1_2(t)]
    for_2030 = [t for t in scope_12 if t.target_year == SME_TARGET_YEAR]
    results.append(_result("sme_target_2030", bool(for_2030), message(
        "a scope 1+2 target for %(year)s", year=SME_TARGET_YEAR) if for_2030 else message(
        "the SME route asks for a scope 1+2 target for %(year)s", year=SME_TARGET_YEAR),
        f"{SME}: scope 1 and 2 target for 2030"))
    results.append(_rate_rule("sme_ambition", for_2030, RATE_1_5C,
                              f"{SME}: the 1.5 °C linear contraction of {NEAR_TERM}, 4.2 %/yr"))
    results.append(_result("sme_scope_3_measured", facts.scope_3 > 0, message(
        "scope 3 is measured (%(t)s t)", t=f"{facts.scope_3:.1f}") if facts.scope_3 > 0 else message(
        "the SME route asks for scope 3 to be measured and reduced; the account has no scope 3 lines"),
        f"{SME}: scope 3 measured and reduced"))
    return results


def _sme_propose(facts: InventoryFacts, target_year: int | None) -> Proposal:
    target = Target.from_rate(base_year=facts.base_year, target_year=SME_TARGET_YEAR, rate=RATE_1_5C,
                              base_t=facts.scope_1 + facts.scope_2_market, covers=SCOPE_1_2,
                              scope_2_method="market", name="Scope 1+2 by 2030 (SME route)")
    return Proposal("sbti-sme-v1", (target,), (message("scope 3: measure it and reduce it; no scope 3 target "
                                                       "is asked for on the SME route"),))


# --- SBTi Corporate Net-Zero Standard V2.0 --------------------------------------------------------

def _v2_check(facts: InventoryFacts, targets: Sequence[Target]) -> list[RuleResult]:
    horizons = sorted({t.target_year - t.base_year for t in targets})
    results = [_result("v2_five_years", None, message(
        "V2.0 sets targets five years at a time; how the five years are counted is not read from the "
        "standard here (these targets run %(years)s years from their base year)",
        years=", ".join(map(str, horizons)) or "0"), f"{NET_ZERO_V2}: 5-year targets")]
    scope_1_only = any("scope_1" in t.covers and "scope_2" not in t.covers for t in targets)
    scope_2_only = any("scope_2" in t.covers and "scope_1" not in t.covers for t in targets)
    results.append(_result("v2_separate_scopes", scope_1_only and scope_2_only, message(
        "a scope 1 target and a separate scope 2 target") if scope_1_only and scope_2_only else message(
        "V2.0 asks for a scope 1 target and a separate scope 2 target"),
        f"{NET_ZERO_V2}: separate scope 1 and scope 2 targets"))
    location = any("scope_2" in t.covers and t.scope_2_method == "location" for t in targets)
    results.append(_result("v2_location_scope_2", location, message(
        "a location-based scope 2 target") if location else message(
        "V2.0 asks every company for a location-based scope 2 target"),
        f"{NET_ZERO_V2}: location-based scope 2 target for all companies"))
    scope_3 = any(_scope_3_labels(t) for t in targets)
    category_source = f"{NET_ZERO_V2}: scope 3 targets for category A companies only"
    if facts.category_a is None:
        results.append(_result("v2_scope_3", None, message(
            "whether the company is in category A is not checked: its thresholds are not read from the "
            "standard here; record it"), category_source))
    elif facts.category_a:
        results.append(_result("v2_scope_3", scope_3, message(
            "a category A company with a scope 3 target") if scope_3 else message(
            "a category A company needs a scope 3 target"), category_source))
    else:
        results.append(_result("v2_scope_3", True, message("not category A: no scope 3 target is asked for"),
                               category_source))
    results.append(_result("v2_ambition", None, message(
        "the V2.0 reduction rates are not read from the standard here: not checked"),
        f"{NET_ZERO_V2}: target ambition"))
    return results


def _v2_propose(facts: InventoryFacts, target_year: int | None) -> Proposal:
    year = target_year or facts.base_year + 5
    targets = [
        Target.from_rate(base_year=facts.base_year, target_year=year, rate=RATE_1_5C, base_t=facts.scope_1,
                         covers=frozenset({"scope_1"}), name="Scope 1"),
        Target.from_rate(base_year=facts.base_year, target_year=year, rate=RATE_1_5C,
                         base_t=facts.scope_2_location, covers=frozenset({"scope_2"}),
                         scope_2_method="location", name="Scope 2, location-based"),
    ]
    if facts.category_a:
        labels = _largest_categories(facts, SCOPE_3_COVERAGE)
        targets.append(Target.from_rate(base_year=facts.base_year, target_year=year,
                                        rate=RATE_WELL_BELOW_2C, base_t=facts.covered_t(labels, "market"),
                                        covers=labels, name="Scope 3"))
    return Proposal("sbti-net-zero-v2", tuple(targets), (message(
        "V2.0's own rates are not read here: the proposal uses the near-term rates (4.2 %% a year for "
        "scopes 1 and 2, 2.5 %% for scope 3); check them against the standard"),))


RULESETS: dict[str, RuleSet] = {
    "sbti-near-term-v1": RuleSet("sbti-near-term-v1", "SBTi near-term criteria", "V1.x", NEAR_TERM,
                                 _near_term_check, _near_term_propose),
    "sbti-sme-v1": RuleSet("sbti-sme-v1", "SBTi SME route", "V1", SME, _sme_check, _sme_propose),
    "sbti-net-zero-v2": RuleSet("sbti-net-zero-v2", "SBTi Corporate Net-Zero Standard", "V2.0", NET_ZERO_V2,
                                _v2_check, _v2_propose),
}
