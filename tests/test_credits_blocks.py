"""Range arithmetic and holdings: reserve, release, retire keep the block partitioned and counted.

The hypothesis tests drive random sequences of operations and check, after
each step, the invariants ``klimabok ledger verify`` relies on.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimabok.core.credits.blocks import (
    AlreadyRetired,
    CreditError,
    Holding,
    NotEnoughCredits,
    Status,
    SubRange,
    check_invariants,
    find_overlaps,
    overlapping_pairs,
    overlaps,
    release,
    released,
    reserve,
    retire,
    split,
    take_lowest,
)
from klimabok.core.credits.serials import SerialBlock, parse_serial

BALE = parse_serial("19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1")


def block(start: int, end: int, identity: str = "verra:VCS-VCU") -> SerialBlock:
    raw = f"{identity}:{start}-{end}"
    return SerialBlock(registry="verra", identity=identity, start=start, end=end, raw=raw)


def test_overlap_needs_the_same_numbering_space_and_a_shared_credit() -> None:
    assert overlaps(block(1, 10), block(10, 20))
    assert not overlaps(block(1, 10), block(11, 20))
    assert not overlaps(block(1, 10), block(1, 10, identity="gold-standard:GS1:1"))
    assert find_overlaps(block(5, 6), [block(1, 4), block(6, 9), block(1, 100, "cdm:RW-5")]) == [block(6, 9)]


def test_split_keeps_the_numbering() -> None:
    before, middle, after = split(BALE, 941467100, 941467199)
    assert before is not None and after is not None
    # 93 + 100 + 232 = 425, the block's quantity
    assert [(b.start, b.end, b.quantity) for b in (before, middle, after)] == [
        (941467007, 941467099, 93), (941467100, 941467199, 100), (941467200, 941467431, 232)]
    assert middle.raw == "19385-941467100-941467199-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
    assert split(BALE, BALE.start, BALE.end) == (None, BALE, None)


def test_an_order_takes_the_lowest_serials_and_retires_them() -> None:
    holding = Holding.of(BALE)
    holding, taken = reserve(holding, 100, "order-1")
    assert taken == (SubRange(941467007, 941467106, Status.RESERVED, "order-1"),)  # 941467007 + 100 − 1
    holding, taken = reserve(holding, 25, "order-2")
    assert [(r.start, r.end) for r in taken] == [(941467107, 941467131)]
    holding = retire(holding, "order-1", "VCS-retirement-1")
    assert (holding.available, holding.reserved, holding.retired) == (300, 25, 100)  # 425 − 125, 25, 100
    assert holding.serial_block(holding.ranges[0]).raw.startswith("19385-941467007-941467106-VCS")
    assert check_invariants(holding) == []


def test_release_merges_the_ranges_back() -> None:
    holding, _ = reserve(Holding.of(BALE), 10, "a")
    holding, _ = reserve(holding, 10, "b")
    holding = release(holding, "a")
    assert [(r.start, r.end, r.status) for r in holding.ranges] == [
        (941467007, 941467016, Status.AVAILABLE), (941467017, 941467026, Status.RESERVED),
        (941467027, 941467431, Status.AVAILABLE)]
    holding = release(holding, "b")
    assert holding == Holding.of(BALE)


def test_a_later_reservation_fills_the_gap_a_release_left() -> None:
    holding, _ = reserve(Holding.of(block(1, 100)), 10, "a")
    holding, _ = reserve(holding, 10, "b")
    holding, taken = reserve(release(holding, "a"), 15, "c")
    assert [(r.start, r.end) for r in taken] == [(1, 10), (21, 25)]


def test_reserving_more_than_available_fails_and_changes_nothing() -> None:
    holding, _ = reserve(Holding.of(block(1, 10)), 4, "a")
    before = holding
    with pytest.raises(NotEnoughCredits, match="7 credits requested but only 6 available"):
        reserve(holding, 7, "b")
    assert holding == before
    with pytest.raises(CreditError, match="positive number of credits, not 0"):
        reserve(holding, 0, "b")


def test_retired_credits_are_never_retired_again_nor_released() -> None:
    holding, _ = reserve(Holding.of(block(1, 10)), 4, "a")
    holding = retire(holding, "a", "r1")
    with pytest.raises(AlreadyRetired, match="credits are retired only once"):
        retire(holding, "a", "r2")
    with pytest.raises(AlreadyRetired, match="cannot be released"):
        release(holding, "a")
    with pytest.raises(CreditError, match="order b has no credits reserved"):
        retire(holding, "b", "r3")


def test_check_invariants_names_what_is_broken() -> None:
    gap = Holding(block(1, 10), (SubRange(1, 4), SubRange(6, 10, Status.RESERVED, "a")))
    assert [str(m) for m in check_invariants(gap)] == [
        "verra:VCS-VCU:1-10: gap 5–5 belongs to no sub-range",
        "verra:VCS-VCU:1-10: available + reserved + retired = 9, not the block's 10"]
    overlap = Holding(block(1, 10), (SubRange(1, 6), SubRange(5, 10, Status.RESERVED, "a")))
    assert "overlaps the one before" in str(check_invariants(overlap)[0])
    unmerged = Holding(block(1, 10), (SubRange(1, 5), SubRange(6, 10)))
    assert "should be one" in str(check_invariants(unmerged)[0])
    no_order = Holding(block(1, 10), (SubRange(1, 10, Status.RETIRED),))
    assert "names no order" in str(check_invariants(no_order)[0])
    short = Holding(block(1, 10), (SubRange(1, 8),))
    assert "the sub-ranges end at 8, the block at 10" in str(check_invariants(short)[0])


# --- properties -----------------------------------------------------------------------------------------

ORDERS = ["o1", "o2", "o3", "o4"]
operation = st.one_of(
    st.tuples(st.just("reserve"), st.integers(1, 40), st.sampled_from(ORDERS)),
    st.tuples(st.just("release"), st.just(0), st.sampled_from(ORDERS)),
    st.tuples(st.just("retire"), st.just(0), st.sampled_from(ORDERS)),
)


@settings(max_examples=300, deadline=None)
@given(size=st.integers(1, 60), operations=st.lists(operation, max_size=25))
def test_any_sequence_of_operations_keeps_the_invariants(size: int,
                                                         operations: list[tuple[str, int, str]]) -> None:
    holding = Holding.of(block(1000, 1000 + size - 1))
    retired_by: dict[int, str] = {}  # serial → retirement, to prove a retired credit never changes again
    for step, (kind, quantity, order) in enumerate(operations):
        before = holding
        try:
            if kind == "reserve":
                holding, taken = reserve(holding, quantity, order)
                assert sum(r.quantity for r in taken) == quantity
                assert all(serial not in retired_by for r in taken for serial in range(r.start, r.end + 1))
            elif kind == "release":
                holding = release(holding, order)
            else:
                holding = retire(holding, order, f"ret-{step}")
        except CreditError:
            assert holding == before  # a refused operation changes nothing
        assert check_invariants(holding) == []
        assert holding.available + holding.reserved + holding.retired == size
        for r in holding.ranges:
            if r.status == Status.RETIRED:
                for serial in range(r.start, r.end + 1):
                    assert retired_by.setdefault(serial, r.retirement_id or "") == r.retirement_id
        assert set(retired_by) == {s for r in holding.ranges if r.status == Status.RETIRED
                                   for s in range(r.start, r.end + 1)}


def available_only(holding: Holding) -> list[SubRange]:
    return [r for r in holding.ranges if r.status == Status.AVAILABLE]


def patched(holding: Holding, order: str, quantity: int) -> Holding:
    """The holding after cutting ``quantity`` with :func:`take_lowest` from its available ranges only."""
    left, taken = take_lowest(available_only(holding), quantity, order)
    kept = [r for r in holding.ranges if r.status != Status.AVAILABLE]
    return Holding(holding.block, tuple(sorted([*kept, *left, *taken], key=lambda r: r.start)))


def joined(holding: Holding, order: str) -> Holding:
    """The holding after releasing ``order`` with :func:`released`, one reserved range at a time."""
    ranges = list(holding.ranges)
    for mine in [r for r in ranges if r.order_id == order]:
        before = next((r for r in ranges if r.end + 1 == mine.start and r.status == Status.AVAILABLE), None)
        after = next((r for r in ranges if mine.end + 1 == r.start and r.status == Status.AVAILABLE), None)
        ranges = [r for r in ranges if r not in (mine, before, after)] + [released(mine, before, after)]
        ranges.sort(key=lambda r: r.start)
    return Holding(holding.block, tuple(ranges))


@settings(max_examples=300, deadline=None)
@given(size=st.integers(1, 60), operations=st.lists(operation, max_size=25))
def test_cutting_only_the_available_ranges_is_the_same_as_rewriting_the_holding(
        size: int, operations: list[tuple[str, int, str]]) -> None:
    """What the services store (the cut of the available ranges, a release joined with its neighbours)
    is exactly the core's holding arithmetic on the whole block, step by step."""
    holding = Holding.of(block(1000, 1000 + size - 1))
    for step, (kind, quantity, order) in enumerate(operations):
        if kind == "reserve" and order not in {r.order_id for r in holding.ranges}:
            if quantity > holding.available:
                with pytest.raises(NotEnoughCredits):
                    take_lowest(available_only(holding), quantity, order)
                continue
            whole, _ = reserve(holding, quantity, order)
            assert patched(holding, order, quantity) == whole
            holding = whole
        elif kind == "release" and not holding.quantity_in(Status.RETIRED, order):
            whole = release(holding, order)
            assert joined(holding, order) == whole
            holding = whole
        elif kind == "retire" and holding.quantity_in(Status.RESERVED, order) and not holding.quantity_in(
                Status.RETIRED, order):
            holding = retire(holding, order, f"ret-{step}")
        assert check_invariants(holding) == []


def test_a_release_joins_only_touching_available_neighbours() -> None:
    mine = SubRange(10, 19, Status.RESERVED, "o")
    assert released(mine, SubRange(1, 9), SubRange(20, 30)) == SubRange(1, 30)
    assert released(mine, None, None) == SubRange(10, 19)
    with pytest.raises(CreditError, match=r"^sub-range 1–8 is not an available neighbour$"):
        released(mine, SubRange(1, 8), None)
    with pytest.raises(CreditError, match=r"^sub-range 20–30 is not an available neighbour$"):
        released(mine, None, SubRange(20, 30, Status.RESERVED, "p"))
    with pytest.raises(CreditError, match=r"^only reserved credits can be released$"):
        released(SubRange(10, 19, Status.RETIRED, "o", "r"), None, None)
    with pytest.raises(CreditError, match=r"^only available credits can be reserved$"):
        take_lowest([mine], 1, "p")
    assert take_lowest([SubRange(1, 3), SubRange(7, 9)], 4, "p") == (
        (SubRange(8, 9),), (SubRange(1, 3, Status.RESERVED, "p"), SubRange(7, 7, Status.RESERVED, "p")))


@settings(max_examples=300, deadline=None)
@given(holding_size=st.integers(1, 30), requested=st.integers(1, 60))
def test_reserving_more_than_available_is_refused_exactly_then(holding_size: int, requested: int) -> None:
    holding = Holding.of(block(1, holding_size))
    if requested > holding_size:
        with pytest.raises(NotEnoughCredits,
                           match=f"^{requested} credits requested but only {holding_size} available in "):
            reserve(holding, requested, "o")
    else:
        assert reserve(holding, requested, "o")[0].reserved == requested


small = st.integers(0, 25)


@settings(max_examples=500, deadline=None)
@given(a=st.tuples(small, small), b=st.tuples(small, small), same_space=st.booleans())
def test_overlap_is_symmetric_and_matches_sets(a: tuple[int, int], b: tuple[int, int],
                                               same_space: bool) -> None:
    x = block(min(a), max(a))
    y = block(min(b), max(b), "verra:VCS-VCU" if same_space else "gold-standard:GS1:7")
    brute = same_space and bool(set(range(x.start, x.end + 1)) & set(range(y.start, y.end + 1)))
    assert overlaps(x, y) == overlaps(y, x) == brute


@settings(max_examples=300, deadline=None)
@given(bounds=st.tuples(small, small), cut=st.tuples(small, small))
def test_split_partitions_the_block(bounds: tuple[int, int], cut: tuple[int, int]) -> None:
    whole = block(min(bounds), max(bounds))
    start, end = min(cut), max(cut)
    if not whole.start <= start <= end <= whole.end:
        return
    parts = [p for p in split(whole, start, end) if p is not None]
    assert [s for p in parts for s in range(p.start, p.end + 1)] == list(range(whole.start, whole.end + 1))


@settings(max_examples=300, deadline=None)
@given(ranges=st.lists(st.tuples(small, small, st.booleans()), max_size=8))
def test_the_sweep_finds_an_overlap_exactly_when_brute_force_does(
        ranges: list[tuple[int, int, bool]]) -> None:
    blocks = [block(min(a, b), max(a, b), "verra:VCS-VCU" if space else "cdm:RW-5") for a, b, space in ranges]
    brute = {i for i, x in enumerate(blocks) for j, y in enumerate(blocks) if i != j and overlaps(x, y)}
    found = overlapping_pairs(blocks)
    assert all(overlaps(x, y) for x, y in found)
    assert bool(found) == bool(brute)
