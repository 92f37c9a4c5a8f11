"""The words of a certificate, in bokmål and English, in one place.

The PDF and the public verification page print the same statement, so both
take it from here. A certificate's text is part of what it certifies: it is
kept in code (reviewed, versioned) rather than in a translation catalogue,
and it never says "climate neutral" or "compensated": credits are retired
*beside* the climate account, never deducted from it (docs/domain.md, claims).
Nor does it say "retired in the registry" on the partner's word alone: until
the registry's own export has confirmed the retirement (:class:`RegistryMatch`)
it says the climate partner reported it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RegistryMatch:
    """A retirement matched against the registry's own export: a live fact, not a frozen one.

    A certificate's facts are what the partner reported when it was issued;
    whether the registry's export has since confirmed the retirement is read
    from the retirement when the page or PDF is shown.
    """

    registry: str  # as shown: "Verra (VCS)"
    file_name: str
    matched_on: date


@dataclass(frozen=True)
class Wording:
    title: str
    issued_to: str
    org_number: str
    credits_retired: str  # under the big number: what the number counts
    statement: str  # {organisation}
    reporting_year: str
    retired_on: str
    registry_check: str  # the label of the line below
    not_matched: str
    matched: str  # {registry} {file} {date}
    registry_reference: str
    beneficiary: str
    certificate_number: str
    projects: str
    project: str
    registry: str
    country: str
    kind: str
    labels: str
    kinds: dict[str, str]
    natures: dict[str, str]
    serial_ranges: str
    serial_ranges_overflow: str  # {count} {tonnes}
    serial: str
    vintage: str
    quantity: str
    verify: str
    verify_hint: str
    ledger_hash: str
    issued_by: str  # {partner} {date}
    page: str  # {page}
    revoked: str
    badge: str  # {tonnes} {year}
    months: tuple[str, ...]

    def statement_for(self, organisation: str) -> str:
        return self.statement.format(organisation=organisation)

    def registry_check_for(self, match: RegistryMatch | None) -> str:
        """"Reported by the partner, not yet matched", or which export matched it and when."""
        if match is None:
            return self.not_matched
        return self.matched.format(registry=match.registry, file=match.file_name,
                                   date=self.date(match.matched_on))

    def date(self, value: date) -> str:
        """``10. april 2026`` / ``10 April 2026``."""
        month = self.months[value.month - 1]
        return f"{value.day}. {month} {value.year}" if self is NB else f"{value.day} {month} {value.year}"

    def number(self, value: int) -> str:
        """Thousands grouped as readers of the language expect: ``12 345`` / ``12,345``."""
        grouped = f"{value:,}"
        return grouped.replace(",", "\u00a0") if self is NB else grouped


NB = Wording(
    title="Sertifikat for sletting av klimakreditter",
    issued_to="Utstedt til",
    org_number="org.nr.",
    credits_retired="verifiserte klimakreditter slettet · 1 kreditt = 1 tonn CO2e",
    statement=("Kredittene er slettet på vegne av {organisation} for å finansiere klimatiltak utenfor "
               "egen verdikjede. De er ikke trukket fra {organisation} sine rapporterte utslipp."),
    reporting_year="Gjelder klimaregnskapet for",
    retired_on="Dato for sletting",
    registry_check="Kontroll mot registeret",
    not_matched="Sletting rapportert av klimapartneren, ennå ikke avstemt mot registeret",
    matched="Slettet i registeret, avstemt mot eksport fra {registry}, fil {file}, den {date}",
    registry_reference="Registerets referanse",
    beneficiary="Slettet på vegne av",
    certificate_number="Sertifikatnummer",
    projects="Prosjekter",
    project="Prosjekt",
    registry="Register",
    country="Land",
    kind="Type",
    labels="Merking fra registeret",
    kinds={"removal": "Karbonfjerning (removal)", "reduction": "Utslippsreduksjon (reduction)",
           "unknown": "Ikke oppgitt"},
    natures={"nature-based": "naturbasert", "technological": "teknologisk"},
    serial_ranges="Serienumre",
    serial_ranges_overflow=("{count} serienummerintervaller med til sammen {tonnes} kreditter er listet "
                            "fra side 2."),
    serial="Serienummer",
    vintage="Årgang",
    quantity="Antall",
    verify="Kontroller sertifikatet",
    verify_hint="Skann koden eller åpne adressen for å se sletting, serienumre og registeroppføring.",
    ledger_hash="Hash i klimaboks hendelseslogg",
    issued_by="Utstedt av {partner} med klimabok, {date}",
    page="Side {page}",
    revoked="TILBAKEKALT",
    badge="{tonnes} t CO2e klimakreditter slettet for {year} — se bevis",
    months=("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september",
            "oktober", "november", "desember"),
)

EN = Wording(
    title="Certificate of carbon credit retirement",
    issued_to="Issued to",
    org_number="org. no.",
    credits_retired="verified carbon credits retired · 1 credit = 1 tonne CO2e",
    statement=("The credits were retired on behalf of {organisation} to finance climate action beyond "
               "its own value chain. They are not deducted from {organisation}'s reported emissions."),
    reporting_year="Relates to the climate account for",
    retired_on="Retirement date",
    registry_check="Checked against the registry",
    not_matched="Retirement reported by the climate partner, not yet matched against the registry",
    matched="Retired in the registry, matched against {registry} export {file} on {date}",
    registry_reference="Registry reference",
    beneficiary="Retired on behalf of",
    certificate_number="Certificate number",
    projects="Projects",
    project="Project",
    registry="Registry",
    country="Country",
    kind="Type",
    labels="Labels given by the registry",
    kinds={"removal": "Removal", "reduction": "Reduction", "unknown": "Not recorded"},
    natures={"nature-based": "nature-based", "technological": "technological"},
    serial_ranges="Serial numbers",
    serial_ranges_overflow="{count} serial ranges totalling {tonnes} credits are listed from page 2.",
    serial="Serial number",
    vintage="Vintage",
    quantity="Quantity",
    verify="Verify this certificate",
    verify_hint="Scan the code or open the address to see the retirement, serials and registry entry.",
    ledger_hash="Hash in klimabok's event ledger",
    issued_by="Issued by {partner} with klimabok, {date}",
    page="Page {page}",
    revoked="REVOKED",
    badge="{tonnes} t CO2e carbon credits retired for {year} — see proof",
    months=("January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December"),
)

WORDING = {"nb": NB, "en": EN}


def wording(language: str) -> Wording:
    """The wording for ``nb`` or ``en`` (anything else: bokmål, klimabok's default)."""
    return WORDING.get(language, NB)
