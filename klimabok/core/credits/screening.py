"""Quality screening: may a block be offered to clients under the partner's policy?

:func:`screen` runs every check on one block and returns each result with a
message, so the result can be stored and shown as it is. A block is
offerable when no check failed; a warning (e.g. removal or reduction not
recorded) is shown but does not block. Checks (``Check.name``):

``serial``       the serial parses and its quantity is end − start + 1
``overlap``      no credit of the block is already held, reserved, sold or retired (``existing_ranges``)
``unretired``    the export records no retirement or cancellation of the range
``ex_post``      issued for reductions/removals that happened: no Gold Standard PERs, no Plan Vivo
                 fPVC/rPVC, nothing labelled forward or ex-ante (when ``policy.ex_post_only``)
``registry``     the registry is one the policy allows
``ccp``          the unit carries the ICVCM CCP label (when the policy requires it: by default)
``vintage``      the vintage is within the policy (minimum year and/or maximum age; by default at
                 most 5 years before the year screened in)
``methodology``  the methodology is not one the policy lists as inactive (no list is built in: which
                 methodologies are withdrawn changes, and the partner keeps it current)
``kind``         removal or reduction: the registry label or the project's record, else inferred from
                 the methodology or project type (:data:`~klimabok.core.credits.kinds.KIND_RULES`);
                 unknown → warning

The default :class:`Policy` is the strict one a reviewer expects: CCP label required, vintage at
most 5 years old, ex-post only; no methodology refused until the partner lists one.

:func:`screen_portfolio` applies the portfolio-level rule (minimum share of removals).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from klimabok.core.credits.blocks import find_overlaps
from klimabok.core.credits.kinds import infer_kind
from klimabok.core.credits.registries import CCP_LABEL, CreditKind, RegistryBlock
from klimabok.core.credits.serials import SerialBlock, check_quantity, parse_serial
from klimabok.core.errors import InputError
from klimabok.core.messages import Message, message

#: Unit types issued before the reduction or removal happened (ex ante): Gold Standard's Planned
#: Emission Reductions, Plan Vivo's future and "retrospective-ex-ante" certificates.
EX_ANTE_UNITS = frozenset({"PER", "FPVC", "RPVC"})
_EX_ANTE_WORDS = re.compile(r"\b(forward|ex[- ]?ante|planned)\b", re.IGNORECASE)


#: The default vintage rule: no older than this many years before the year the block is screened in.
DEFAULT_MAX_VINTAGE_AGE = 5


class CheckStatus(StrEnum):
    PASS = "pass"  # noqa: S105 — a check's outcome, not a password
    WARNING = "warning"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Policy:
    """The partner's rules for what may be offered (e.g. "CCP only, vintage ≥ 2020, ≥ 50 % removals").

    The defaults are strict (:data:`DEFAULT_MAX_VINTAGE_AGE`, CCP required, ex post only).
    """

    require_ccp: bool = True
    min_vintage_year: int | None = None
    max_vintage_age_years: int | None = DEFAULT_MAX_VINTAGE_AGE
    min_removal_share: float | None = None  #: 0…1, of the portfolio's offered quantity
    allowed_registries: frozenset[str] | None = None  #: None = any
    inactive_methodologies: frozenset[str] = frozenset()  #: codes, e.g. {"VM0007"}
    ex_post_only: bool = True


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    status: CheckStatus
    message: Message


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    checks: tuple[Check, ...]

    @property
    def offerable(self) -> bool:
        return not self.failed

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status == CheckStatus.FAIL)

    @property
    def warnings(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status == CheckStatus.WARNING)


def screen(block: RegistryBlock, policy: Policy, *, existing_ranges: Iterable[SerialBlock],
           today: date | None = None) -> ScreeningResult:
    """Every check of ``block`` under ``policy``; ``existing_ranges``: all ranges on the platform."""
    today = today or date.today()
    return ScreeningResult((
        _serial(block), _overlap(block, existing_ranges), _unretired(block), _ex_post(block, policy),
        _registry(block, policy), _ccp(block, policy), _vintage(block, policy, today),
        _methodology(block, policy), _kind(block)))


def kind_of(block: RegistryBlock) -> CreditKind:
    """The block's kind as recorded, else as :func:`~klimabok.core.credits.kinds.infer_kind` infers it."""
    if block.kind != CreditKind.UNKNOWN:
        return block.kind
    inferred = infer_kind(block.project)
    return inferred.kind if inferred else CreditKind.UNKNOWN


def removal_share(blocks: Iterable[RegistryBlock]) -> float | None:
    """Removals' share of the quantity (0…1); unknown kinds count as not removals. None when empty."""
    total = removals = 0
    for block in blocks:
        total += block.quantity
        removals += block.quantity if kind_of(block) == CreditKind.REMOVAL else 0
    return removals / total if total else None


def screen_portfolio(blocks: Iterable[RegistryBlock], policy: Policy) -> Check:
    """The policy's minimum share of removals, over the blocks offered."""
    share = removal_share(blocks)
    if policy.min_removal_share is None:
        return _pass("removal_share", message("the policy sets no minimum share of removals"))
    if share is None:
        return Check("removal_share", CheckStatus.WARNING, message("no credits offered yet"))
    status = CheckStatus.PASS if share >= policy.min_removal_share else CheckStatus.FAIL
    return Check("removal_share", status, message(
        "removals are %(share).1f %% of the credits offered; the policy asks for at least %(minimum).1f %%",
        share=100 * share, minimum=100 * policy.min_removal_share))


def _pass(name: str, text: Message) -> Check:
    return Check(name, CheckStatus.PASS, text)


def _fail(name: str, text: Message) -> Check:
    return Check(name, CheckStatus.FAIL, text)


def _serial(block: RegistryBlock) -> Check:
    serial = block.serial
    try:
        parsed = parse_serial(serial.raw, registry=serial.registry)
        check_quantity(parsed, serial.quantity)
        if (parsed.identity, parsed.start, parsed.end) != (serial.identity, serial.start, serial.end):
            raise InputError(message("'%(serial)s' does not match the block's range", serial=serial.raw))
    except InputError as exc:
        assert isinstance(exc.problem, Message)  # the core always says why with a message
        return _fail("serial", exc.problem)
    return _pass("serial", message("serial %(serial)s: %(quantity)s credits (end − start + 1)",
                                   serial=serial.raw, quantity=serial.quantity))


def _overlap(block: RegistryBlock, existing: Iterable[SerialBlock]) -> Check:
    clashes = find_overlaps(block.serial, existing)
    if clashes:
        return _fail("overlap", message("overlaps %(count)s range(s) already on the platform, first "
                                        "%(serial)s", count=len(clashes), serial=clashes[0].raw))
    return _pass("overlap", message("no overlap with any range held, reserved, sold or retired"))


def _unretired(block: RegistryBlock) -> Check:
    if block.retirement is not None:
        return _fail("unretired", message("the registry export records this range as %(status)s on %(date)s",
                                          status=block.retirement.status,
                                          date=str(block.retirement.retired_on or "")))
    return _pass("unretired", message("not retired or cancelled in the registry export"))


def _ex_post(block: RegistryBlock, policy: Policy) -> Check:
    unit = (block.product_type or block.serial.unit_type).upper()
    forward = [label for label in block.labels if _EX_ANTE_WORDS.search(label)]
    if unit in EX_ANTE_UNITS or forward:
        what = unit if unit in EX_ANTE_UNITS else forward[0]
        if policy.ex_post_only:
            return _fail("ex_post", message("%(what)s: issued before the reduction or removal happened "
                                            "(ex ante); only ex-post credits may be offered", what=what))
        return Check("ex_post", CheckStatus.WARNING, message(
            "%(what)s: issued before the reduction or removal happened (ex ante)", what=what))
    return _pass("ex_post", message("%(unit)s: issued ex post, for verified reductions or removals",
                                    unit=unit or block.serial.registry))


def _registry(block: RegistryBlock, policy: Policy) -> Check:
    registry = block.project.registry
    if policy.allowed_registries is not None and registry not in policy.allowed_registries:
        allowed = ", ".join(sorted(policy.allowed_registries))
        return _fail("registry", message("registry %(registry)s is not one the policy allows (%(allowed)s)",
                                         registry=registry, allowed=allowed))
    return _pass("registry", message("registry %(registry)s", registry=registry))


def _ccp(block: RegistryBlock, policy: Policy) -> Check:
    if block.has_label(CCP_LABEL):
        return _pass("ccp", message("carries the ICVCM CCP label"))
    if policy.require_ccp:
        return _fail("ccp", message("no ICVCM CCP label, and the policy requires it"))
    return _pass("ccp", message("no ICVCM CCP label (the policy does not require it)"))


def _vintage(block: RegistryBlock, policy: Policy, today: date) -> Check:
    year = block.vintage_year
    if year is None:
        return _fail("vintage", message("the vintage is not known"))
    if policy.min_vintage_year is not None and year < policy.min_vintage_year:
        return _fail("vintage", message(
            "vintage %(year)s fails the policy's oldest-vintage rule (%(minimum)s or later)",
            year=year, minimum=policy.min_vintage_year))
    if policy.max_vintage_age_years is not None and year < today.year - policy.max_vintage_age_years:
        return _fail("vintage", message(
            "vintage %(year)s fails the policy's vintage-age rule: at most %(age)s years before %(now)s, "
            "so %(minimum)s or later", year=year, age=policy.max_vintage_age_years, now=today.year,
            minimum=today.year - policy.max_vintage_age_years))
    return _pass("vintage", message("vintage %(year)s", year=year))


def methodology_codes(methodology: str) -> tuple[str, ...]:
    """The codes in a registry's methodology text ("VMR0006; VM0050" → both; "ACM0002 Grid-connected …").

    A code is the first word of each ``;``-separated part when it is in capitals
    with a digit or a hyphen ("VM0007", "AMS-III.C."; "GS TPDDTEC v3.1" names
    none); compared without a trailing dot.
    """
    firsts = (part.split()[0] for part in methodology.split(";") if part.split())
    return tuple(_code(word) for word in firsts
                 if word.upper() == word and any(ch.isdigit() or ch == "-" for ch in word))


def _code(word: str) -> str:
    return word.upper().rstrip(".")


def _methodology(block: RegistryBlock, policy: Policy) -> Check:
    text = block.project.methodology
    codes = methodology_codes(text)
    inactive = [code for code in codes if code in {_code(m) for m in policy.inactive_methodologies}]
    if inactive:
        return _fail("methodology", message("methodology %(codes)s is no longer active (policy)",
                                            codes=", ".join(inactive)))
    if not text or text.lower() in ("not provided", "n/a"):
        return Check("methodology", CheckStatus.WARNING, message("the export names no methodology"))
    return _pass("methodology", message("methodology %(methodology)s", methodology=text))


def _kind(block: RegistryBlock) -> Check:
    if block.kind == CreditKind.REMOVAL:
        return _pass("kind", message("removal"))
    if block.kind == CreditKind.REDUCTION:
        return _pass("kind", message("reduction"))
    inferred = infer_kind(block.project)
    if inferred is not None:
        what = (message("removal, inferred from %(text)s (%(rule)s; source: %(source)s)", text=inferred.text,
                        rule=inferred.rule.what, source=inferred.rule.source)
                if inferred.kind == CreditKind.REMOVAL else
                message("reduction (avoidance), inferred from %(text)s (%(rule)s; source: %(source)s)",
                        text=inferred.text, rule=inferred.rule.what, source=inferred.rule.source))
        return _pass("kind", what)
    return Check("kind", CheckStatus.WARNING, message("removal or reduction is not recorded by the registry; "
                                                      "record it on the project"))
