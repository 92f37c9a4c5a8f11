"""Every kind of audit event, in one list: :func:`klimabok.audit.services.record_event` refuses others.

Credit events keep the names they were first chained under (``block_imported``,
not ``credits.block_imported``): the kind is part of each event's hash, so
renaming them would break every link already written. Later kinds are named
``<area>.<what happened>``.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """An event's ``kind``; the comment beside each group says who writes it."""

    # credits.* — klimabok.credits.services (portfolio, orders) and klimabok.certificates.services
    BLOCK_IMPORTED = "block_imported"
    BLOCK_ADDED = "block_added"
    SCREENED = "screened"
    PRICE_SET = "price_set"
    POLICY_CHANGED = "policy_changed"
    RESERVED = "reserved"
    RELEASED = "released"
    SPLIT = "split"
    RETIRED = "retired"
    RETIREMENT_MATCHED = "retirement_matched"
    CERTIFICATE_ISSUED = "certificate_issued"
    CERTIFICATE_REVOKED = "certificate_revoked"
    # year.* — the reporting year's close, reopen and recalculation (klimabok.account.services)
    YEAR_CLOSED = "year.closed"
    YEAR_REOPENED = "year.reopened"
    YEAR_RECALCULATED = "year.recalculated"
    # the year's scope 3 relevance screening (klimabok.inventory.services.save_scope3_screening)
    YEAR_SCOPE3_SCREENED = "year.scope3_screened"
    # spend.* — an override of a spend-based estimate (klimabok.ledger.services.overrides)
    SPEND_OVERRIDE_SET = "spend.override_set"
    SPEND_OVERRIDE_REMOVED = "spend.override_removed"
    # what a category's activity data covers of its spend (klimabok.ledger.services.coverage)
    SPEND_COVERAGE_RULE_SET = "spend.coverage_rule_set"
    # factors.* — the factor library (klimabok.factors.services)
    FACTORS_DATASET_IMPORTED = "factors.dataset_imported"
    FACTORS_DATASET_ARCHIVED = "factors.dataset_archived"
    # plans.* — targets, goals, measures, scenarios and the annual wheel (klimabok.plans.services);
    # subject "<target|goal|measure|scenario|wheel>:<org slug>/<pk>", what changed as {field: [old, new]}
    PLANS_TARGET_SAVED = "plans.target_saved"
    PLANS_TARGET_RECALCULATED = "plans.target_recalculated"
    PLANS_GOAL_SAVED = "plans.goal_saved"
    PLANS_MEASURE_SAVED = "plans.measure_saved"
    PLANS_MEASURE_NOTE_ADDED = "plans.measure_note_added"
    PLANS_MEASURE_EVIDENCE_ADDED = "plans.measure_evidence_added"
    PLANS_SCENARIO_SAVED = "plans.scenario_saved"
    PLANS_WHEEL_TASK_SAVED = "plans.wheel_task_saved"
    PLANS_WHEEL_TASK_DONE = "plans.wheel_task_done"
    PLANS_WHEEL_TASK_UNDONE = "plans.wheel_task_undone"
    # reports.* — the Miljøfyrtårn report's entered figures and the public climate page's opt-in
    # (klimabok.reports.services); what changed as {field: [old, new]}
    REPORTS_MILJOFYRTARN_FIGURES_SAVED = "reports.miljofyrtarn_figures_saved"
    REPORTS_PUBLIC_PAGE_CHANGED = "reports.public_page_changed"
    # engagement.* — a news post published, a suggestion's status or reply changed
    # (klimabok.engagement.services); subject "<post|suggestion>:<org slug>/<pk>"
    ENGAGEMENT_POST_PUBLISHED = "engagement.post_published"
    ENGAGEMENT_SUGGESTION_STATUS_CHANGED = "engagement.suggestion_status_changed"
    # survey.* — a survey's results written into its year's activity data (klimabok.survey.services)
    SURVEY_USED_IN_ACCOUNT = "survey.used_in_account"


CREDIT_KINDS = frozenset({
    Kind.BLOCK_IMPORTED, Kind.BLOCK_ADDED, Kind.SCREENED, Kind.PRICE_SET, Kind.POLICY_CHANGED, Kind.RESERVED,
    Kind.RELEASED, Kind.SPLIT, Kind.RETIRED, Kind.RETIREMENT_MATCHED, Kind.CERTIFICATE_ISSUED,
    Kind.CERTIFICATE_REVOKED})
