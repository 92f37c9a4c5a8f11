"""Credit serial numbers: parse a registry's serial into a :class:`SerialBlock`, and format one back.

A serial names a contiguous range of credits (1 credit = 1 t CO2e); the
quantity is ``end − start + 1``. Formats read:

``verra``
    ``19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1`` —
    batch, start, end, program, unit type, a registry code, registry (VER),
    country (ISO 3166 alpha-2), sectoral scope, project ID, vintage start and
    end (ddmmyyyy), and a flag (1 when the units carry additional labels, as
    in every row of the real export). Verra numbers every VCU in one sequence
    (consecutive issuances of different projects are adjacent in the export),
    so the numbering space — the :attr:`~SerialBlock.identity` — is
    ``verra:VCS-VCU``: the batch, project and label flag are facts *about*
    a range, not part of its numbering (the flag can change when a label is
    added later).
``gold-standard``
    ``GS1-1-KE-GS11603-16-2025-30256-110-5463`` — registry prefix, a code,
    country, project (GS + GSID), a sector code, vintage year, batch,
    start, end. Start and end count within the batch (batches start at 1), so
    the numbering space is the batch: ``gold-standard:GS1:30256``.
``cdm``
    ``RW-5-1459975-2-2-0-7014 - RW-5-1460107-2-2-0-7014`` — the Kyoto (ITL)
    form that Gold Standard's export shows for CERs: originating party, unit
    type (5 = CER), unit serial, original and applicable commitment period,
    LULUCF activity, project; first and last unit. Serials are unique per
    originating registry and unit type: ``cdm:RW-5``.
``isometric``
    Isometric publishes no serial ranges, only issuances of a (fractional)
    number of credits. klimabok gives each issuance a *synthetic* range in
    whole tonnes, ``isometric:iss_1KP6EDZ8K1S036PY:1-2710``: credits 1…N
    of that issuance (numbering space ``isometric:iss_…``), so reservation,
    splitting and overlap checks work the same way. The importer sets N to
    the whole tonnes of the supplier's share; see :mod:`.registries`.

A sub-range keeps the original numbering: :meth:`SerialBlock.sub_block`
changes only start and end, and :func:`format_serial` writes it as the
registry would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from klimabok.core.errors import InputError
from klimabok.core.messages import message

VERRA = "verra"
GOLD_STANDARD = "gold-standard"
CDM = "cdm"
ISOMETRIC = "isometric"
#: The numbering authorities :func:`parse_serial` knows, with an example of each format.
EXAMPLES = {
    VERRA: "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1",
    GOLD_STANDARD: "GS1-1-KE-GS11603-16-2025-30256-110-5463",
    CDM: "RW-5-1459975-2-2-0-7014 - RW-5-1460107-2-2-0-7014",
    ISOMETRIC: "isometric:iss_1KP6EDZ8K1S036PY:1-2710",
}
#: Kyoto (ITL) unit-type codes, as the first digit group of a CDM serial.
ITL_UNIT_TYPES = {"1": "AAU", "2": "RMU", "3": "ERU", "4": "ERU", "5": "CER", "6": "tCER", "7": "lCER"}

_VERRA = re.compile(r"(\d+)-(\d+)-(\d+)-([A-Z]+)-([A-Z]+)-(\d+)-([A-Z]+)-([A-Z]{2})-(\d+)-(\d+)"
                    r"-(\d{8})-(\d{8})-(\d)")
_GOLD_STANDARD = re.compile(r"(GS\d+)-(\d+)-([A-Z]{2})-GS(\d+)-(\d+)-(\d{4})-(\d+)-(\d+)-(\d+)")
_CDM_UNIT = re.compile(r"([A-Z]{2})-(\d)-(\d+)-(\d+)-(\d+)-(\d+)-(\d+)")
_CDM = re.compile(r"(\S+)\s+-\s+(\S+)")
_ISOMETRIC = re.compile(r"isometric:(iss_[A-Za-z0-9]+):(\d+)-(\d+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SerialBlock:
    """A contiguous range of credits, ``start``…``end`` inclusive, within one numbering space.

    Two blocks can overlap only when their :attr:`identity` is equal. ``raw``
    is the serial of exactly this range (as given, or as :func:`format_serial`
    wrote it for a sub-range). Facts the serial does not carry are empty
    (``""``/``None``); an importer fills them from the export's columns.
    """

    registry: str  #: numbering authority: "verra", "gold-standard", "cdm" or "isometric"
    identity: str  #: numbering space, e.g. "verra:VCS-VCU", "gold-standard:GS1:30256"
    start: int
    end: int
    raw: str
    unit_type: str = ""  #: VCU, VER, PER, CER… ("" when the serial does not say)
    project_id: str = ""  #: the registry's project ID ("1340", "11603", "prj_…")
    country: str = ""  #: country code as in the serial (ISO alpha-2), "" when absent
    batch: str = ""  #: the registry's batch/issuance reference
    vintage_start: date | None = None
    vintage_end: date | None = None
    vintage_year: int | None = None  #: the year the vintage starts (the conservative reading)

    @property
    def quantity(self) -> int:
        """Credits (t CO2e) in the range: ``end − start + 1``."""
        return self.end - self.start + 1

    def sub_block(self, start: int, end: int) -> SerialBlock:
        """The range ``start``…``end`` of this block, with the original numbering and its own serial."""
        if not self.start <= start <= end <= self.end:
            raise InputError(message("range %(start)s–%(end)s is not inside %(serial)s",
                                     start=start, end=end, serial=self.raw), field="serial")
        return replace(self, start=start, end=end, raw=format_serial(self, start, end))


def parse_serial(serial: str, *, quantity: int | None = None, registry: str | None = None) -> SerialBlock:
    """Read a serial of any known format (or only ``registry``'s); check ``quantity`` when given.

    Raises :class:`InputError` with ``field="serial"`` naming the expected
    format when the text is not a serial, and with ``field="quantity"`` when
    ``quantity`` ≠ end − start + 1.
    """
    text = " ".join(serial.split())
    readers = {VERRA: _verra, GOLD_STANDARD: _gold_standard, CDM: _cdm, ISOMETRIC: _isometric}
    if registry is not None and registry not in readers:
        raise InputError(message("unknown registry '%(registry)s' (known: %(known)s)", registry=registry,
                                 known=", ".join(readers)), field="registry")
    block = None
    for name, reader in readers.items():
        if registry in (None, name):
            block = reader(text)
            if block is not None:
                break
    if block is None:
        if registry is not None:
            raise InputError(message("'%(serial)s' is not a %(registry)s serial number: expected the form "
                                     "%(example)s", serial=text, registry=registry,
                                     example=EXAMPLES[registry]), field="serial")
        raise InputError(message("'%(serial)s' is not a serial number klimabok reads: expected Verra "
                                 "(%(verra)s), Gold Standard (%(gold_standard)s), CDM (%(cdm)s) or "
                                 "Isometric (%(isometric)s)", serial=text, verra=EXAMPLES[VERRA],
                                 gold_standard=EXAMPLES[GOLD_STANDARD], cdm=EXAMPLES[CDM],
                                 isometric=EXAMPLES[ISOMETRIC]), field="serial")
    if block.end < block.start:
        raise InputError(message("serial '%(serial)s' ends before it starts (%(start)s > %(end)s)",
                                 serial=text, start=block.start, end=block.end), field="serial")
    if quantity is not None:
        check_quantity(block, quantity)
    return block


def check_quantity(block: SerialBlock, quantity: int) -> None:
    """Raise :class:`InputError` (field "quantity") unless ``quantity`` = end − start + 1."""
    if quantity != block.quantity:
        raise InputError(message("quantity %(quantity)s does not match serial range %(start)s–%(end)s "
                                 "(end − start + 1 = %(expected)s)", quantity=quantity, start=block.start,
                                 end=block.end, expected=block.quantity), field="quantity")


def format_serial(block: SerialBlock, start: int | None = None, end: int | None = None) -> str:
    """``block``'s serial written for ``start``…``end`` (default: the block's own), as its registry does."""
    start = block.start if start is None else start
    end = block.end if end is None else end
    if block.registry == ISOMETRIC:
        return f"isometric:{block.batch}:{start}-{end}"
    if block.registry == CDM:
        first, last = (part.split("-") for part in block.raw.split(" - "))
        first[2], last[2] = _digits(start, first[2]), _digits(end, last[2])
        return f"{'-'.join(first)} - {'-'.join(last)}"
    parts = block.raw.split("-")
    at = 1 if block.registry == VERRA else 7
    parts[at], parts[at + 1] = _digits(start, parts[at]), _digits(end, parts[at + 1])
    return "-".join(parts)


def _digits(number: int, like: str) -> str:
    """``number`` written as the serial's original field: zero-padded to its width when it was padded."""
    padded = len(like) > 1 and like.startswith("0")
    return str(number).zfill(len(like)) if padded else str(number)


def _verra(text: str) -> SerialBlock | None:
    match = _VERRA.fullmatch(text)
    if match is None:
        return None
    batch, start, end, program, unit, _code, _registry, country, _scope, project, since, until, _flag = (
        match.groups())
    vintage_start, vintage_end = _ddmmyyyy(since, text), _ddmmyyyy(until, text)
    return SerialBlock(registry=VERRA, identity=f"{VERRA}:{program}-{unit}", start=int(start), end=int(end),
                       raw=text, unit_type=unit, project_id=project, country=country, batch=batch,
                       vintage_start=vintage_start, vintage_end=vintage_end, vintage_year=vintage_start.year)


def _gold_standard(text: str) -> SerialBlock | None:
    match = _GOLD_STANDARD.fullmatch(text)
    if match is None:
        return None
    prefix, _code, country, project, _sector, vintage, batch, start, end = match.groups()
    return SerialBlock(registry=GOLD_STANDARD, identity=f"{GOLD_STANDARD}:{prefix}:{batch}", start=int(start),
                       end=int(end), raw=text, project_id=project, country=country, batch=batch,
                       vintage_year=int(vintage))


def _cdm(text: str) -> SerialBlock | None:
    match = _CDM.fullmatch(text)
    if match is None:
        return None
    first, last = _CDM_UNIT.fullmatch(match[1]), _CDM_UNIT.fullmatch(match[2])
    if first is None or last is None:
        return None
    if first.groups()[:2] + first.groups()[3:] != last.groups()[:2] + last.groups()[3:]:
        raise InputError(message("the two ends of serial range '%(serial)s' name different units (they may "
                                 "differ only in the unit serial)", serial=text), field="serial")
    party, unit, start, *_periods, project = first.groups()
    return SerialBlock(registry=CDM, identity=f"{CDM}:{party}-{unit}", start=int(start), end=int(last[3]),
                       raw=f"{match[1]} - {match[2]}", unit_type=ITL_UNIT_TYPES.get(unit, unit),
                       project_id=project, country=party)


def _isometric(text: str) -> SerialBlock | None:
    match = _ISOMETRIC.fullmatch(text)
    if match is None:
        return None
    issuance, start, end = match.groups()
    return SerialBlock(registry=ISOMETRIC, identity=f"{ISOMETRIC}:{issuance}", start=int(start), end=int(end),
                       raw=f"isometric:{issuance}:{start}-{end}", batch=issuance)


def _ddmmyyyy(text: str, serial: str) -> date:
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        raise InputError(message("'%(text)s' in serial '%(serial)s' is not a date (ddmmyyyy)", text=text,
                                 serial=serial), field="serial") from None
