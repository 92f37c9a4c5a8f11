"""Carbon credits in the core: serial blocks, their arithmetic, registry imports and quality screening.

Pure Python, no Django (tests/test_architecture.py). The Django ``credits``
app persists what these functions return and calls them for every decision,
so the rules live in one place. Every user-facing text is a
:class:`~klimabok.core.messages.Message`; every bad input an
:class:`~klimabok.core.errors.InputError` naming where and what.

Public API
==========

Serials — :mod:`klimabok.core.credits.serials`
    ``SerialBlock`` (frozen): ``registry`` ("verra" | "gold-standard" | "cdm" | "isometric"),
    ``identity`` (numbering space; two blocks can overlap only when equal), ``start``, ``end``
    (inclusive), ``raw`` (the serial of exactly this range), ``unit_type``, ``project_id``,
    ``country``, ``batch``, ``vintage_start``/``vintage_end`` (``date | None``), ``vintage_year``
    (``int | None``); ``.quantity`` (= end − start + 1);
    ``.sub_block(start, end) -> SerialBlock`` (same numbering, own serial).

    ``parse_serial(serial: str, *, quantity: int | None = None, registry: str | None = None) -> SerialBlock``
    ``check_quantity(block: SerialBlock, quantity: int) -> None``
    ``format_serial(block: SerialBlock, start: int | None = None, end: int | None = None) -> str``
    Raise ``InputError`` with ``field="serial"`` (unknown/malformed, saying the expected form) or
    ``field="quantity"`` (quantity ≠ end − start + 1). Isometric has no serials: a synthetic
    range per issuance, ``isometric:<issuance id>:1-<whole tonnes>`` (see the serials module).

Ranges and holdings — :mod:`klimabok.core.credits.blocks`
    ``overlaps(a: SerialBlock, b: SerialBlock) -> bool``
    ``find_overlaps(block: SerialBlock, existing: Iterable[SerialBlock]) -> list[SerialBlock]``
    ``overlapping_pairs(blocks: Iterable[SerialBlock]) -> list[tuple[SerialBlock, SerialBlock]]``
    (one n log n sweep; empty exactly when no two blocks overlap — for ``audit verify``)
    ``split(block, start, end) -> tuple[SerialBlock | None, SerialBlock, SerialBlock | None]``
    ``Status`` (StrEnum: available | reserved | retired);
    ``SubRange`` (frozen: ``start``, ``end``, ``status``, ``order_id``, ``retirement_id``; ``.quantity``);
    ``Holding`` (frozen: ``block``, ``ranges`` in serial order); ``Holding.of(block)`` (all available);
    ``.available`` / ``.reserved`` / ``.retired`` / ``.quantity_in(status, order_id=None)``;
    ``.ranges_of(order_id)``; ``.serial_block(sub_range) -> SerialBlock``.

    ``reserve(holding, quantity: int, order_id: str) -> tuple[Holding, tuple[SubRange, ...]]``
    ``release(holding, order_id: str) -> Holding``
    ``retire(holding, order_id: str, retirement_id: str) -> Holding``
    ``check_invariants(holding) -> list[Message]`` (empty = sound)
    Errors (``KlimabokError`` subclasses, nothing changed): ``CreditError``,
    ``NotEnoughCredits`` (reserve > available), ``AlreadyRetired`` (retire/release twice).

    Persisting a holding: one row per ``SubRange`` (block FK, start, end, status, order, retirement);
    after a change, replace the block's rows by the new holding's ``ranges`` inside the transaction
    that holds the block's row lock, and run ``check_invariants`` before commit.

Registry exports — :mod:`klimabok.core.credits.registries`
    ``Project`` (frozen): ``registry``, ``project_id``, ``name``, ``country``, ``methodology``,
    ``project_type``, ``url``, ``developer``.
    ``Retirement`` (frozen): ``retired_on``, ``beneficiary``, ``reason``, ``details``, ``status``.
    ``RegistryBlock`` (frozen): ``serial: SerialBlock``, ``project: Project``, ``source``, ``row``,
    ``product_type`` (VCU, VER, PER, CER, CORC…), ``labels: tuple[str, ...]``, ``kind``
    (``CreditKind``: removal | reduction | unknown), ``issued_on``, ``article6``,
    ``total_credits``/``buffer_credits`` (``Decimal | None``, Isometric), ``retirement``
    (``Retirement | None``); ``.quantity``, ``.vintage_year``, ``.has_label(label)``.

    ``read_verra_transactions(path) -> list[RegistryBlock]``
    ``read_gold_standard_issuances(path) -> list[RegistryBlock]`` (also reads GS retirements exports)
    ``read_isometric_issuances(path, *, projects: Path | None = None) -> list[RegistryBlock]``
    ``read_registry_export(path, format: str, *, projects: Path | None = None) -> list[RegistryBlock]``
    (format: verra | gold-standard | isometric; ``projects`` is Isometric's projects export)
    All-or-nothing: ``InputErrors`` listing every bad row (row as in the file, header = row 1, column as
    headed); a missing column is an error naming the file and the column.

Screening — :mod:`klimabok.core.credits.screening`
    ``Policy`` (frozen): ``require_ccp=False``, ``min_vintage_year=None``, ``max_vintage_age_years=None``,
    ``min_removal_share=None`` (0…1, portfolio level), ``allowed_registries=None``,
    ``inactive_methodologies=frozenset()``, ``ex_post_only=True``.
    ``CheckStatus`` (pass | warning | fail); ``Check`` (frozen: ``name``, ``status``, ``message``);
    ``ScreeningResult`` (frozen: ``checks``; ``.offerable`` = no failed check; ``.failed``, ``.warnings``).

    ``screen(block: RegistryBlock, policy: Policy, *, existing_ranges: Iterable[SerialBlock],
    today: date | None = None) -> ScreeningResult`` — checks, in order: serial, overlap, unretired,
    ex_post, registry, ccp, vintage, methodology, kind.
    ``removal_share(blocks: Iterable[RegistryBlock]) -> float | None`` (quantity-weighted; None if empty)
    ``screen_portfolio(blocks, policy) -> Check`` (the ``min_removal_share`` rule).
    ``methodology_codes(text) -> tuple[str, ...]`` ("VMR0006; VM0050" → both codes).
    Store each ``Check`` (name, status, ``message.template`` + ``message.params``) to show it translated.
"""
