"""Quality screening: each check passes, warns or fails with the message the partner sees."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from klimabok.core.credits.kinds import KIND_RULES, infer_kind
from klimabok.core.credits.registries import CreditKind, Project, RegistryBlock, Retirement
from klimabok.core.credits.screening import (
    CheckStatus,
    Policy,
    kind_of,
    removal_share,
    screen,
    screen_portfolio,
)
from klimabok.core.credits.serials import SerialBlock, parse_serial

TODAY = date(2026, 5, 1)
ARR = RegistryBlock(
    serial=parse_serial("19412-942212405-942213404-VCS-VCU-1491-VER-BR-1-197-01012022-31122022-1"),
    project=Project("verra", "197", "Forest planting", "Brazil", "VM0047",
                    "Agriculture Forestry and Other Land Use"),
    product_type="VCU", labels=("ICVCM CCP", "Carbon Dioxide Removals"), kind=CreditKind.REMOVAL)


DEFAULT = Policy()


def statuses(block: RegistryBlock, policy: Policy = DEFAULT,
             existing: tuple[SerialBlock, ...] = ()) -> dict[str, str]:
    result = screen(block, policy, existing_ranges=existing, today=TODAY)
    return {c.name: str(c.status) for c in result.checks}


def messages(block: RegistryBlock, policy: Policy = DEFAULT,
             existing: tuple[SerialBlock, ...] = ()) -> dict[str, str]:
    result = screen(block, policy, existing_ranges=existing, today=TODAY)
    return {c.name: str(c.message) for c in result.checks}


def test_a_good_block_passes_every_check() -> None:
    result = screen(ARR, Policy(require_ccp=True, min_vintage_year=2020), existing_ranges=[], today=TODAY)
    assert result.offerable and not result.warnings
    assert [c.name for c in result.checks] == ["serial", "overlap", "unretired", "ex_post", "registry", "ccp",
                                               "vintage", "methodology", "kind"]
    assert str(result.checks[0].message) == (
        "serial 19412-942212405-942213404-VCS-VCU-1491-VER-BR-1-197-01012022-31122022-1: 1000 credits "
        "(end − start + 1)")  # 942213404 − 942212405 + 1


def test_an_overlap_with_any_existing_range_fails() -> None:
    sold = ARR.serial.sub_block(942213000, 942213010)
    elsewhere = parse_serial("GS1-1-KE-GS11603-16-2025-30256-110-5463")
    assert statuses(ARR, existing=(elsewhere,))["overlap"] == "pass"
    assert messages(ARR, existing=(elsewhere, sold))["overlap"] == (
        "overlaps 1 range(s) already on the platform, first "
        "19412-942213000-942213010-VCS-VCU-1491-VER-BR-1-197-01012022-31122022-1")


def test_ex_ante_units_are_rejected() -> None:
    per = replace(ARR, product_type="PER")
    assert messages(per)["ex_post"] == ("PER: issued before the reduction or removal happened (ex ante); "
                                        "only ex-post credits may be offered")
    assert statuses(replace(ARR, product_type="fPVC"))["ex_post"] == "fail"
    assert statuses(replace(ARR, labels=("Forward contract",)))["ex_post"] == "fail"
    assert statuses(per, Policy(ex_post_only=False))["ex_post"] == "warning"


def test_ccp_label_required_by_default() -> None:
    plain = replace(ARR, labels=())
    assert messages(plain)["ccp"] == "no ICVCM CCP label, and the policy requires it"
    assert not screen(plain, DEFAULT, existing_ranges=[], today=TODAY).offerable
    assert statuses(plain, Policy(require_ccp=False))["ccp"] == "pass"


def test_vintage_by_year_and_by_age() -> None:
    assert messages(ARR, Policy(min_vintage_year=2023))["vintage"] == (
        "vintage 2022 fails the policy's oldest-vintage rule (2023 or later)")
    assert statuses(ARR, Policy(max_vintage_age_years=4))["vintage"] == "pass"  # 2026 − 4 = 2022
    assert messages(ARR, Policy(max_vintage_age_years=3))["vintage"] == (
        "vintage 2022 fails the policy's vintage-age rule: at most 3 years before 2026, so 2023 or later")
    assert statuses(ARR, Policy(max_vintage_age_years=None))["vintage"] == "pass"


def test_a_2016_vintage_fails_the_default_vintage_rule_for_2025() -> None:
    old = replace(ARR, serial=parse_serial(
        "19412-942212405-942213404-VCS-VCU-1491-VER-BR-1-197-01012016-31122016-1"))
    result = screen(old, DEFAULT, existing_ranges=[], today=date(2025, 6, 1))
    assert [c.name for c in result.failed] == ["vintage"]
    assert str(result.failed[0].message) == (
        "vintage 2016 fails the policy's vintage-age rule: at most 5 years before 2025, so 2020 or later")
    assert statuses(replace(old, serial=ARR.serial))["vintage"] == "pass"  # 2022 ≥ 2026 − 5


def test_inactive_methodologies_come_from_the_policy() -> None:
    redd = replace(ARR, project=replace(ARR.project, methodology="VM0007; VM0015"))
    assert statuses(redd)["methodology"] == "pass"
    assert messages(redd, Policy(inactive_methodologies=frozenset({"VM0007"})))["methodology"] == (
        "methodology VM0007 is no longer active (policy)")
    unnamed = replace(ARR, project=replace(ARR.project, methodology=""))
    assert statuses(unnamed)["methodology"] == "warning"


def test_unknown_kind_is_a_warning_and_retired_ranges_fail() -> None:
    unknown = replace(ARR, kind=CreditKind.UNKNOWN, project=replace(ARR.project, methodology="VM0003"))
    result = screen(unknown, Policy(), existing_ranges=[], today=TODAY)
    assert result.offerable and [c.name for c in result.warnings] == ["kind"]
    retired = replace(ARR, retirement=Retirement(date(2026, 4, 10)))
    assert messages(retired)["unretired"] == "the registry export records this range as retired on 2026-04-10"
    assert statuses(ARR, Policy(allowed_registries=frozenset({"gold-standard"})))["registry"] == "fail"


def test_the_removal_share_of_a_portfolio() -> None:
    reduction = replace(ARR, serial=parse_serial("GS1-1-KE-GS11603-16-2025-30256-1-3000"),
                        kind=CreditKind.REDUCTION)
    assert removal_share([ARR, reduction]) == 0.25  # 1000 / (1000 + 3000)
    assert removal_share([]) is None
    check = screen_portfolio([ARR, reduction], Policy(min_removal_share=0.5))
    assert (check.status, str(check.message)) == (
        CheckStatus.FAIL, "removals are 25.0 % of the credits offered; the policy asks for at least 50.0 %")
    assert screen_portfolio([ARR], Policy(min_removal_share=0.5)).status == CheckStatus.PASS


def test_a_redd_vcs_block_is_screened_as_a_reduction() -> None:
    """Verra's VM0007 "REDD+ Methodology Framework": avoided deforestation, a reduction (avoidance)."""
    redd = replace(ARR, labels=("ICVCM CCP",), kind=CreditKind.UNKNOWN,
                   project=replace(ARR.project, name="Katingan Peatland", methodology="VM0007",
                                   project_type="Agriculture Forestry and Other Land Use"))
    result = screen(redd, DEFAULT, existing_ranges=[], today=TODAY)
    assert result.offerable and not result.warnings
    kind = {c.name: c for c in result.checks}["kind"]
    assert str(kind.message).startswith("reduction (avoidance), inferred from VM0007 (REDD+ methodology")
    assert kind_of(redd) == CreditKind.REDUCTION
    assert removal_share([redd]) == 0.0


def test_the_kind_table_infers_from_the_methodology_or_the_project_type() -> None:
    def kind(methodology: str = "", project_type: str = "") -> CreditKind | None:
        found = infer_kind(Project("verra", "1", methodology=methodology, project_type=project_type))
        return found.kind if found else None

    assert kind("AR-ACM0003") == CreditKind.REMOVAL  # CDM A/R: the demo's Bateke Plateau issuance
    assert kind("VM0047") == CreditKind.REMOVAL
    assert kind("VM0048") == CreditKind.REDUCTION
    assert kind("GS TPDDTEC v3.1") == CreditKind.REDUCTION
    assert kind("", "Improved Cookstoves") == CreditKind.REDUCTION
    assert kind("", "REDD+") == CreditKind.REDUCTION
    assert kind("", "Afforestation/Reforestation") == CreditKind.REMOVAL
    assert kind("VM0003", "Agriculture Forestry and Other Land Use") is None  # IFM: no rule
    assert kind("VM0047", "REDD+") is None  # rows that disagree: not inferred
    assert all(rule.source for rule in KIND_RULES)
    # the label or the project's record wins over the table
    assert kind_of(replace(ARR, kind=CreditKind.REDUCTION)) == CreditKind.REDUCTION
