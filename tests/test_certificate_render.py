"""The certificate PDF: what a reader finds in it (text extracted with pypdf), in bokmål and English.

The facts are Nordlys's 138 credits from the Bale Mountains REDD+ project
(Verra 1340), serials 941467007…941467144: 941467144 − 941467007 + 1 = 138.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from klimabok.certificates.facts import (
    CertificateFacts,
    ProjectFacts,
    SerialRangeFacts,
    registry_project_url,
)
from klimabok.certificates.render import render_certificate_pdf

SERIAL = "19385-941467007-941467144-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
VERIFY_URL = "https://klimabok.example/verify/q3Zp8dT0lH9wVbX2kR7sNw/"
LEDGER_HASH = "9f2c4a1e0b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a"

FACTS = CertificateFacts(
    number="KB-2026-000001", organisation_name="Nordlys Kundesenter AS", organisation_number="974760673",
    tonnes=138, reporting_year=2025, retired_on=date(2026, 4, 10),
    projects=(ProjectFacts("Bale Mountains Eco-region REDD+ project", "verra", "1340", "Ethiopia",
                           kind="reduction", nature="nature-based",
                           labels=("CCB-No Distinction", "SDG 13")),),
    serial_ranges=(SerialRangeFacts(SERIAL, "1340", "2020", 138),),
    beneficiary="Nordlys Kundesenter AS", registry_reference="VCS retirement 19385-941467007",
    registry_reference_url="https://registry.verra.org/app/search/VCS/Retired%20and%20Cancelled",
    verification_url=VERIFY_URL, ledger_hash=LEDGER_HASH,
    issued_at=datetime(2026, 4, 12, 9, 30, tzinfo=UTC), partner_name="Klimapartner AS")


def pdf_text(pdf: bytes) -> str:
    """All pages' text with runs of whitespace as one space (line breaks fall anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def many_ranges(count: int) -> CertificateFacts:
    ranges = tuple(SerialRangeFacts(
        f"19385-{941467007 + 10 * i}-{941467016 + 10 * i}-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1",
        "1340", "2020", 10) for i in range(count))
    return replace(FACTS, serial_ranges=ranges, tonnes=10 * count)


def test_bokmal_certificate_states_the_facts_and_the_honest_sentence() -> None:
    text = pdf_text(render_certificate_pdf(FACTS))
    assert "Sertifikat for sletting av klimakreditter" in text
    assert "Nordlys Kundesenter AS" in text and "974760673" in text
    assert "138" in text
    assert SERIAL in text
    assert "Årgang" in text and "2020" in text
    assert "10. april 2026" in text  # the retirement date
    assert "Gjelder klimaregnskapet for 2025" in text
    assert "Bale Mountains Eco-region REDD+ project" in text and "Verra (VCS) 1340" in text
    assert "Ethiopia" in text and "Utslippsreduksjon" in text and "naturbasert" in text
    assert "CCB-No Distinction, SDG 13" in text
    assert ("Kredittene er slettet på vegne av Nordlys Kundesenter AS for å finansiere klimatiltak "
            "utenfor egen verdikjede. De er ikke trukket fra Nordlys Kundesenter AS sine rapporterte "
            "utslipp.") in text
    assert VERIFY_URL in text
    assert LEDGER_HASH in text
    assert "Utstedt av Klimapartner AS med klimabok, 12. april 2026" in text


def test_english_certificate() -> None:
    text = pdf_text(render_certificate_pdf(FACTS.in_language("en")))
    assert "Certificate of carbon credit retirement" in text
    assert "10 April 2026" in text and "Vintage" in text
    assert ("The credits were retired on behalf of Nordlys Kundesenter AS to finance climate action "
            "beyond its own value chain. They are not deducted from Nordlys Kundesenter AS's reported "
            "emissions.") in text
    assert "Reduction, nature-based" in text
    assert VERIFY_URL in text


@pytest.mark.parametrize("language", ["nb", "en"])
def test_no_neutrality_claim(language: str) -> None:
    text = pdf_text(render_certificate_pdf(FACTS.in_language(language))).lower()
    for claim in ("nøytral", "neutral", "kompensert", "compensated", "offset"):
        assert claim not in text


def test_same_facts_give_the_same_bytes() -> None:
    assert render_certificate_pdf(FACTS) == render_certificate_pdf(replace(FACTS))
    assert render_certificate_pdf(FACTS) != render_certificate_pdf(FACTS.in_language("en"))


def test_a_long_serial_list_moves_to_the_next_pages_and_loses_no_range() -> None:
    facts = many_ranges(120)  # 120 × 10 = 1 200 credits
    pdf = render_certificate_pdf(facts)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 3
    first = " ".join((reader.pages[0].extract_text() or "").split())
    assert "120 serienummerintervaller med til sammen 1 200 kreditter er listet fra side 2." in first
    assert VERIFY_URL in first  # the QR block stays on the page that is framed
    text = pdf_text(pdf)
    for serial_range in facts.serial_ranges:
        assert serial_range.serial in text
    assert "Side 3" in text


def test_a_few_ranges_stay_on_the_first_page_with_their_total() -> None:
    facts = many_ranges(5)
    reader = PdfReader(io.BytesIO(render_certificate_pdf(facts)))
    assert len(reader.pages) == 1
    assert "50" in (reader.pages[0].extract_text() or "")


def test_a_revoked_certificate_says_so_on_its_face() -> None:
    text = pdf_text(render_certificate_pdf(FACTS, revoked_on=date(2026, 5, 1)))
    assert "TILBAKEKALT" in text and "1. mai 2026" in text


def test_facts_survive_their_json_snapshot() -> None:
    assert CertificateFacts.from_json(FACTS.to_json()) == FACTS


def test_facts_refuse_ranges_that_do_not_add_up_to_the_tonnes() -> None:
    with pytest.raises(ValueError, match="add up to 138 credits, not the certificate's 140"):
        replace(FACTS, tonnes=140)


def test_registry_project_urls() -> None:
    assert registry_project_url("verra", "1340") == "https://registry.verra.org/app/projectDetail/VCS/1340"
    assert registry_project_url("gold-standard", "11603") == \
        "https://registry.goldstandard.org/projects/details/11603"
    assert registry_project_url("gold-standard", "GS11603") == \
        "https://registry.goldstandard.org/projects/details/11603"
    assert registry_project_url("isometric", "prj_1K3VWSDS61S0QKV7",
                                "https://to.isometric.com/prj_1K3VWSDS61S0QKV7") == \
        "https://to.isometric.com/prj_1K3VWSDS61S0QKV7"
    assert registry_project_url("isometric", "prj_1K3VWSDS61S0QKV7") == ""
    assert registry_project_url("puro", "x", "javascript:alert(1)") == ""  # only https links


@pytest.mark.skipif(shutil.which("pdftoppm") is None and os.environ.get("CI", "").lower() != "true",
                    reason="pdftoppm (poppler-utils) is not installed")
def test_the_pdf_renders_to_an_image(tmp_path: Path) -> None:
    """Poppler, an independent PDF reader, draws every page (catches a PDF only reportlab can read)."""
    source = tmp_path / "certificate.pdf"
    source.write_bytes(render_certificate_pdf(many_ranges(70)))
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(source), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(str(source)).pages)
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pages)
