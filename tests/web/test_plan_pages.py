"""The plan pages as each role sees them, in bokmål: who edits, who updates their own measure, who reads."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, Settings

from klimabok.accounts.models import Organisation, User
from klimabok.audit.models import Event
from klimabok.inventory.models import ReportingYear
from klimabok.plans import services
from klimabok.plans.models import Measure, MeasureEvidence, WheelTask
from tests.web.conftest import ClientFor
from tests.web.plans_setup import closed_2024

__all__ = ["closed_2024"]


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def carls_measure(nordlys: Organisation, olga: User, carl: User, closed_2024: ReportingYear) -> Measure:
    return services.save_measure(
        nordlys,
        services.MeasureDraft(
            title="Elbiler i firmaflåten",
            kind="electric_cars",
            start_year=2026,
            owner=carl,
            acts_on=["fuel."],
            deadline=timezone.localdate().replace(year=timezone.localdate().year - 1),
        ),
        olga,
    )


def test_the_ombudsman_adds_a_measure_and_sees_the_refusal_at_the_field(
    client_for: ClientFor, olga: User, closed_2024: ReportingYear
) -> None:
    client = client_for(olga)
    form = {
        "title": "Elbiler",
        "kind": "electric_cars",
        "p_kwh_per_km": "0,18",
        "acts_on": "fuel.",
        "status": "planned",
        "start_year": "2026",
        "ramp_years": "2",
        "capex_nok": "250000",
        "opex_delta_nok": "-40000",
        "lifetime_years": "8",
        "discount_rate_percent": "40",
    }
    refused = client.post("/o/nordlys/plan/measures/new/", form)
    assert refused.status_code == 400
    assert "Diskonteringsrenten er mellom 0 og 30 % i året (ikke 40 %)." in refused.content.decode()
    saved = client.post("/o/nordlys/plan/measures/new/", {**form, "discount_rate_percent": "4"})
    measure = Measure.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/o/nordlys/plan/measures/{measure.pk}/"
    assert (measure.params, measure.opex_delta_nok, measure.ramp_years) == (
        {"kwh_per_km": 0.18}, Decimal(-40000), 2)
    page = client.get(saved["Location"]).content.decode()
    assert "Tiltaket «Elbiler» er lagret." in page and "«Elbiler» opprettet" in page


def test_a_contributor_updates_the_measure_he_owns_and_nothing_else(
    client_for: ClientFor, carl: User, olga: User, nordlys: Organisation, carls_measure: Measure
) -> None:
    client = client_for(carl)
    url = f"/o/nordlys/plan/measures/{carls_measure.pk}/"
    assert client.post(url + "status/", {"status": "in_progress"}).status_code == 302
    assert client.post(url + "notes/", {"text": "Tre av fem biler bestilt."}).status_code == 302
    page = client.get(url).content.decode()
    assert "Tre av fem biler bestilt." in page and "«Elbiler i firmaflåten»: status Idé → Pågår" in page
    assert client.get(url + "edit/").status_code == 403
    olgas = services.save_measure(
        nordlys, services.MeasureDraft(title="Færre flyreiser", kind="fewer_flights", start_year=2026), olga
    )
    assert client.post(f"/o/nordlys/plan/measures/{olgas.pk}/notes/", {"text": "x"}).status_code == 403


def test_employees_and_the_auditor_read_and_another_organisation_gets_404(
    client_for: ClientFor, emma: User, aud: User, mallory: User, carls_measure: Measure
) -> None:
    url = f"/o/nordlys/plan/measures/{carls_measure.pk}/"
    for reader in (emma, aud):
        client = client_for(reader)
        assert "Elbiler i firmaflåten" in client.get("/o/nordlys/plan/measures/").content.decode()
        assert client.post(url + "status/", {"status": "done"}).status_code == 403
    assert client_for(mallory).get(url).status_code == 404
    assert client_for(mallory).get("/o/nordlys/plan/").status_code == 404


def test_the_measure_list_filters_by_status_and_owner(
    client_for: ClientFor,
    olga: User,
    carl: User,
    nordlys: Organisation,
    carls_measure: Measure,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    services.save_measure(
        nordlys,
        services.MeasureDraft(
            title="Færre flyreiser", kind="fewer_flights", start_year=2026, status="planned"
        ),
        olga,
    )
    client = client_for(olga)
    with django_assert_max_num_queries(12):
        mine = client.get(f"/o/nordlys/plan/measures/?owner={carl.pk}").content.decode()
    assert "Elbiler i firmaflåten" in mine and "Færre flyreiser" not in mine
    planned = client.get("/o/nordlys/plan/measures/?status=planned").content.decode()
    assert "Færre flyreiser" in planned and "Elbiler i firmaflåten" not in planned


def test_the_dashboard_shows_what_is_late_and_what_moved(
    client_for: ClientFor, olga: User, carls_measure: Measure
) -> None:
    page = client_for(olga).get("/o/nordlys/plan/").content.decode()
    assert "Forsinket" in page and "Elbiler i firmaflåten" in page and "Carl Contributor" in page
    assert "«Elbiler i firmaflåten» opprettet" in page  # what moved this month
    # … by whom, by name (the audit trail keeps the e-mail as it was then)
    moved = page.split('id="moved-heading"', 1)[1].split("</section>", 1)[0]
    assert "· Olga Ombud</span>" in moved and "olga@nordlys.example" not in moved
    assert "Utslippsbane og gap" in page  # the place the pathway goes


def test_evidence_too_large_or_of_a_refused_type_is_not_kept(
    client_for: ClientFor, carl: User, carls_measure: Measure, settings: Settings
) -> None:
    settings.KLIMABOK_MAX_UPLOAD_BYTES = 1000
    client = client_for(carl)
    url = f"/o/nordlys/plan/measures/{carls_measure.pk}/evidence/"
    big = client.post(url, {"file": SimpleUploadedFile("kvittering.pdf", b"%PDF-" + b"x" * 2000)})
    assert (
        big.status_code == 400
        and "kvittering.pdf er 0.0 MB; høyst 0 MB kan lastes opp." in big.content.decode()
    )
    renamed = client.post(url, {"file": SimpleUploadedFile("faktura.pdf", b"MZ\x90\x00 a program")})
    assert renamed.status_code == 400
    assert "faktura.pdf er ikke en fil klimabok tar vare på som dokumentasjon" in renamed.content.decode()
    assert not MeasureEvidence.objects.exists()
    assert client.post(url, {"file": SimpleUploadedFile("faktura.pdf", b"%PDF-1.7 ok")}).status_code == 302
    evidence = MeasureEvidence.objects.get()
    download = client.get(f"/o/nordlys/plan/evidence/{evidence.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="faktura.pdf"'
    assert b"".join(download.streaming_content) == b"%PDF-1.7 ok"  # type: ignore[attr-defined]
    assert Event.objects.filter(kind="plans.measure_evidence_added").count() == 1


def test_the_annual_wheel_starts_with_the_standard_year_and_marks_tasks_done(
    client_for: ClientFor, olga: User, nordlys: Organisation
) -> None:
    client = client_for(olga)
    assert "Ingen oppgaver i årshjulet ennå" in client.get("/o/nordlys/plan/wheel/").content.decode()
    client.post("/o/nordlys/plan/wheel/defaults/")
    assert list(WheelTask.objects.values_list("month", "due_day", "title")) == [
        (1, 31, "Samle inn fjorårets data"),
        (3, 15, "Lås klimaregnskapet"),
        (4, 1, "Årsrapport til Miljøfyrtårn"),
        (6, 30, "Kompenser restutslippene"),
        (9, 30, "Ansattundersøkelse"),
        (11, 30, "Gå gjennom mål og tiltak"),
    ]
    report = WheelTask.objects.get(key="miljofyrtarn_report")
    client.post(f"/o/nordlys/plan/wheel/{report.pk}/done/", {"year": "2025", "done": "1"})
    page = client.get("/o/nordlys/plan/wheel/?year=2025").content.decode()
    # every 2025 date has passed (today is later): done for the report, late for the others
    assert page.count("badge-quality-high") == 1 and page.count(">Forsinket<") == 5
