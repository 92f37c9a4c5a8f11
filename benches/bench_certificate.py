"""Benchmark: certificate PDF render time beside a bare reportlab page with the same words.

- ``bare reportlab canvas`` (baseline): one A4 page, the certificate's lines
  drawn with ``drawString`` — no layout, no table, no QR code.
- ``certificate, 1 serial range``: :func:`render_certificate_pdf`, the usual
  one-page certificate (frame, table, QR code drawn as vector modules).
- ``certificate, 120 serial ranges``: the serial list flows over three pages.

"lines" in the table are certificates; best of ``REPEATS`` runs.
"""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

from bench_engine import Measurement, Section
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from klimabok.certificates.facts import CertificateFacts, ProjectFacts, SerialRangeFacts
from klimabok.certificates.render import render_certificate_pdf
from klimabok.certificates.wording import NB

REPEATS = 20
SERIAL = "19385-{start}-{end}-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
FACTS = CertificateFacts(
    number="KB-2026-000001", organisation_name="Nordlys Kundesenter AS", organisation_number="974 760 673",
    tonnes=138, reporting_year=2025, retired_on=date(2026, 4, 10),
    projects=(ProjectFacts("Bale Mountains Eco-region REDD+ project", "verra", "1340", "Ethiopia",
                           kind="reduction", nature="nature-based", labels=("CCB-No Distinction",)),),
    serial_ranges=(SerialRangeFacts(SERIAL.format(start=941467007, end=941467144), "1340", "2020", 138),),
    beneficiary="Nordlys Kundesenter AS", registry_reference="VCS retirement 58213",
    registry_reference_url="",
    verification_url="https://klimabok.example/verify/q3Zp8dT0lH9wVbX2kR7sNw/", ledger_hash="ab" * 32,
    issued_at=datetime(2026, 4, 12, 9, 30, tzinfo=UTC), partner_name="Klimapartner AS")
LONG = replace(FACTS, tonnes=1200, serial_ranges=tuple(
    SerialRangeFacts(SERIAL.format(start=941467007 + 10 * i, end=941467016 + 10 * i), "1340", "2020", 10)
    for i in range(120)))


def bare_page() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    y = 780.0
    for text in (NB.title, FACTS.organisation_name, str(FACTS.tonnes),
                 NB.statement_for(FACTS.organisation_name), FACTS.number, NB.date(FACTS.retired_on),
                 FACTS.serial_ranges[0].serial,
                 FACTS.verification_url, FACTS.ledger_hash):
        canvas.setFont("Helvetica", 10)
        canvas.drawString(60, y, text)
        y -= 20
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def measure(path: str, work: Callable[[], bytes]) -> Measurement:
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return Measurement(path, 1, best, peak / 1e6)


def run() -> list[Section]:
    return [Section("certificate PDF, one certificate per run", [
        measure("bare reportlab canvas, same words, one page", bare_page),
        measure("certificate, 1 serial range (1 page)", lambda: render_certificate_pdf(FACTS)),
        measure("certificate, 120 serial ranges (3 pages)", lambda: render_certificate_pdf(LONG)),
    ])]
