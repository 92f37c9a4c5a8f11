"""Every URL pattern of the demo, requested as every demo role and anonymously.

The demo (``klimabok demo load``) is loaded once for the module; each request runs in a savepoint
that is rolled back, so a POST that deletes or closes something does not change what the next
request sees. Each URL name has an access level below, and each level says what every role gets:
a new URL pattern without a level fails :func:`test_every_url_pattern_has_an_access_level`, so no
page can be added, or break, unseen. Views that only take POST are sent an empty POST (what a
user gets from a form submitted empty, or from a stale link). The roles are the web tests' cast
(``tests/web/conftest.py``); mallory administers another client and must get 404 on every Nordlys
URL, as an anonymous visitor is sent to the login page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from pytest_django import DjangoDbBlocker

from klimabok.accounts.models import Invitation, Membership, Organisation, User
from klimabok.accounts.services import hash_token
from klimabok.certificates.models import Certificate
from klimabok.core.spend.tables import categories
from klimabok.credits.models import CompensationOrder, CreditProject, Retirement
from klimabok.engagement import milestones
from klimabok.engagement import services as engagement
from klimabok.engagement.models import Suggestion
from klimabok.inventory.models import ReportingYear, Site, Upload
from klimabok.ledger.models import LedgerImport, SpendOverride
from klimabok.plans import services as plans
from klimabok.plans.models import Scenario, WheelTask
from klimabok.reports.jobs import run_job, start_job
from klimabok.reports.models import ReportJob
from klimabok.survey.models import Survey

ROLES = ("anonymous", "alice", "olga", "carl", "emma", "aud", "petra", "mallory")
EMAILS = {"alice": "alice@nordlys.example", "olga": "olga@nordlys.example", "carl": "carl@nordlys.example",
          "emma": "emma@nordlys.example", "aud": "aud@revisor.example", "petra": "petra@klimapartner.example",
          "mallory": "mallory@fjordbakst.example"}
NORDLYS = ("alice", "olga", "carl", "emma", "aud", "petra")
INVITATION_TOKEN = "matrix-invitation-token"


def _level(ok: int | tuple[int, ...], *, anonymous: int = 302, mallory: int = 404, denied: int = 403,
           allowed: tuple[str, ...] = NORDLYS) -> dict[str, tuple[int, ...]]:
    """What each role gets: ``ok`` for the allowed roles, ``denied`` for the other Nordlys roles."""
    ok = (ok,) if isinstance(ok, int) else ok
    expected = {role: ok if role in allowed else (denied,) for role in NORDLYS}
    return {"anonymous": (anonymous,), **expected, "mallory": ok if "mallory" in allowed else (mallory,)}


EVERYONE = (*NORDLYS, "mallory")
MANAGERS = ("alice", "petra")                       # MANAGE_YEARS / MANAGE_MEMBERS
EDITORS = ("alice", "olga", "carl", "petra")        # EDIT_DATA
READERS = ("alice", "olga", "carl", "aud", "petra")  # VIEW_DATA
PLANNERS = ("alice", "olga", "petra")               # MANAGE_PLAN (carl updates the measure he owns)
PARTICIPANTS = ("alice", "olga", "carl", "emma", "petra")  # suggest, vote, comment: all but the auditor
#: A POST that did its work (or found nothing to do) redirects; an empty form is re-shown with 400.
DONE = (302, 400)

LEVELS: dict[str, dict[str, tuple[int, ...]]] = {
    "public": _level(200, anonymous=200, allowed=EVERYONE),
    "signed in": _level(200, allowed=EVERYONE),
    "summary": _level(200),
    "data": _level(200, allowed=READERS),
    "data POST": _level(DONE, allowed=READERS),
    "edit": _level(200, allowed=EDITORS),
    "edit POST": _level(DONE, allowed=EDITORS),
    "manage": _level(200, allowed=MANAGERS),
    "manage POST": _level(DONE, allowed=MANAGERS),
    "partner": _level(200, allowed=("petra",), denied=404),
    "partner POST": _level(DONE, allowed=("petra",), denied=404),
    "partner in client POST": _level(DONE, allowed=("petra",)),
    "plan": _level(200, allowed=PLANNERS),
    "plan POST": _level(DONE, allowed=PLANNERS),
    "measure owner POST": _level(DONE, allowed=(*PLANNERS, "carl")),
}

#: The access level of every URL name (the admin site is Django's own and not listed).
ACCESS: dict[str, dict[str, tuple[int, ...]]] = {
    # Authentication and language: Django's views.
    "set_language": {"anonymous": (302,), **dict.fromkeys(EVERYONE, (302,))},
    # Home sends a client's member to their organisation; partner staff see their clients.
    "home": {"anonymous": (302,), **dict.fromkeys(EVERYONE, (302,)), "petra": (200,)},
    "login": {"anonymous": (200,), **dict.fromkeys(EVERYONE, (302,))},
    "logout": {"anonymous": (302,), **dict.fromkeys(EVERYONE, (302,))},
    "password_reset": LEVELS["public"],
    "password_reset_done": LEVELS["public"],
    # A valid link moves its token into the session and redirects to the form; signing in alice
    # (whose link it is) changed her last login, which ends the link: "this link is no longer valid".
    "password_reset_confirm": {**{role: (302,) for role in ROLES}, "alice": (200,)},
    "password_reset_complete": LEVELS["public"],
    "password_change": LEVELS["signed in"],
    "password_change_done": LEVELS["signed in"],
    "accounts:set_language": {"anonymous": (302,), **dict.fromkeys(EVERYONE, (302,))},
    # A signed-in member is asked to sign out before accepting someone's invitation.
    "accounts:invitation_accept": {"anonymous": (200,), **dict.fromkeys(EVERYONE, (403,))},
    "accounts:members": LEVELS["manage"],
    "accounts:invite": LEVELS["manage POST"],
    "accounts:member_role": LEVELS["manage POST"],
    "accounts:member_remove": LEVELS["manage"],  # GET asks "remove Carl?"
    "accounts:invitation_withdraw": LEVELS["manage POST"],
    "accounts:settings": LEVELS["manage"],
    "accounts:client_new": {**_level(200, allowed=("petra",)), "mallory": (403,)},
    "factors:library": LEVELS["signed in"],
    "account:org_home": LEVELS["summary"],
    "inventory:year_create": LEVELS["manage"],
    "inventory:sites": LEVELS["summary"],
    "inventory:site_edit": LEVELS["manage"],
    "inventory:site_delete": LEVELS["manage POST"],
    "account:year": LEVELS["summary"],
    "account:year_facts": LEVELS["manage POST"],
    "account:year_close": LEVELS["manage POST"],
    "account:year_reopen": LEVELS["manage POST"],
    "account:year_recalculate": LEVELS["manage POST"],
    "account:entries": LEVELS["data"],
    "inventory:entry_kinds": LEVELS["edit"],
    "inventory:entry_new": LEVELS["edit"],
    "inventory:entry_edit": LEVELS["edit"],
    "inventory:entry_delete": LEVELS["edit POST"],
    "inventory:grid": LEVELS["edit"],
    "inventory:flight_report": LEVELS["edit"],
    "inventory:copy_last_year": LEVELS["edit POST"],
    "inventory:template": LEVELS["data"],
    "inventory:upload": LEVELS["data"],  # the year's uploads; the form posts only with edit rights
    "inventory:upload_delete": LEVELS["edit POST"],
    "account:account": LEVELS["summary"],
    "account:account_lines": LEVELS["data"],
    "account:account_export": LEVELS["data"],
    # The scope 3 screening: auditors read it; editors save it (an empty form is re-shown with 400).
    "account:scope3_screening": LEVELS["data"],
    "account:scope3_screening_save": LEVELS["edit POST"],
    "ledger:imports": LEVELS["data"],
    "ledger:import": LEVELS["data"],
    "ledger:import_status": LEVELS["data"],
    "ledger:import_confirm": LEVELS["edit POST"],
    "ledger:import_delete": LEVELS["edit POST"],
    "ledger:gl_upload": LEVELS["edit"],
    # A preview lives in the uploader's session: another session's token is not found.
    "ledger:gl_preview": _level(404, allowed=EDITORS),
    "account:spend": LEVELS["data"],
    "ledger:spend_overrides": LEVELS["data"],
    "ledger:spend_overrides_carry": LEVELS["edit POST"],
    "ledger:spend_override_delete": LEVELS["edit POST"],
    "ledger:coverage_rule": LEVELS["edit POST"],  # a form without data goes back with its message
    "claims:claims": LEVELS["summary"],
    "claims:prerequisites": LEVELS["manage POST"],
    "credits:portfolio": LEVELS["partner"],
    "credits:import": LEVELS["partner"],
    "credits:add": LEVELS["partner"],
    "credits:policy": LEVELS["partner"],
    "credits:project": LEVELS["partner"],
    "credits:events": LEVELS["partner"],
    # its former address redirects everyone; the page itself then checks who may see it
    "credits:events_former": {"anonymous": (301,), **dict.fromkeys(EVERYONE, (301,))},
    "certificates:verify": LEVELS["public"],
    "certificates:pdf": LEVELS["public"],
    "certificates:badge": LEVELS["public"],
    "certificates:list": LEVELS["summary"],
    # The climate partner issues and revokes certificates; the client's own admin may not.
    "certificates:issue": LEVELS["partner in client POST"],
    "certificates:revoke": LEVELS["partner in client POST"],
    "compensation:compensate": LEVELS["summary"],
    "compensation:cancel": LEVELS["manage POST"],
    "compensation:partner_orders": LEVELS["partner"],
    "compensation:retire": LEVELS["partner"],
    # The API answers tokens, not sessions (tests/web/test_api.py covers it with tokens).
    "api-v1:openapi-json": LEVELS["public"],
    "api-v1:create_order": {role: (401,) for role in ROLES},
    "api-v1:list_orders": {role: (401,) for role in ROLES},
    "api-v1:get_order": {role: (401,) for role in ROLES},
    "api-v1:cancel_order": {role: (401,) for role in ROLES},
    **{f"api-v1:list_{plan}": {role: (401,) for role in ROLES}
       for plan in ("targets", "measures", "scenarios")},
    "api-v1:api-root": {role: (404,) for role in ROLES},
    **{f"api-v1:{name}": {role: (401,) for role in ROLES}
       for name in ("list_organisations", "list_years", "get_account", "list_lines", "add_activity_lines",
                    "start_saft_import", "saft_import", "ghg_inventory_pdf", "board_summary_pdf",
                    "vsme_datapoints", "vsme_ixbrl", "esrs_e1_datapoints", "audit_bundle")},
    "ledger:spend_mapping": LEVELS["partner"],
    "ledger:spend_mapping_edit": LEVELS["partner"],
    # The plan: everyone of Nordlys reads it; the ombudsman, admin and partner edit it; carl updates the
    # status, notes and evidence of the measure he owns (the matrix's measure is his).
    "plans:dashboard": LEVELS["summary"],
    "plans:goals": LEVELS["summary"],
    "plans:goal_new": LEVELS["plan"],
    "plans:goal_edit": LEVELS["plan"],
    "plans:measures": LEVELS["summary"],
    "plans:measure_new": LEVELS["plan"],
    "plans:measure": LEVELS["summary"],
    "plans:measure_edit": LEVELS["plan"],
    "plans:measure_status": LEVELS["measure owner POST"],
    "plans:measure_note": LEVELS["measure owner POST"],
    "plans:measure_evidence": LEVELS["measure owner POST"],
    "plans:evidence_download": LEVELS["summary"],
    "plans:targets": LEVELS["summary"],
    "plans:target_new": LEVELS["plan"],
    "plans:target": LEVELS["summary"],
    "plans:target_edit": LEVELS["plan"],
    "plans:target_recalculate": LEVELS["plan POST"],
    "plans:cost_curve": LEVELS["summary"],
    "plans:action_plan_xlsx": LEVELS["summary"],
    "plans:scenarios": LEVELS["summary"],
    "plans:scenario": LEVELS["summary"],
    "plans:scenario_new": LEVELS["plan"],
    "plans:scenario_edit": LEVELS["plan"],
    "plans:wheel": LEVELS["summary"],
    "plans:wheel_defaults": LEVELS["plan POST"],
    "plans:wheel_task_new": LEVELS["plan"],
    "plans:wheel_task_edit": LEVELS["plan"],
    "plans:wheel_task_done": LEVELS["plan POST"],
    # The survey: anyone answers it by its link, no login; everyone of Nordlys reads its results (aggregates);
    # the plan's keepers open, close and use it in the account (Nordlys's 2025 survey has 180 answers) and
    # print its poster.
    "survey:answer": LEVELS["public"],
    "survey:results": LEVELS["summary"],
    "survey:open": LEVELS["plan POST"],
    "survey:close": LEVELS["plan POST"],
    "survey:use": LEVELS["plan POST"],
    "survey:poster": LEVELS["plan"],
    # News and suggestions: everyone of Nordlys reads them; the plan's keepers write and publish posts and
    # answer suggestions; every member but the read-only auditor suggests, votes (a vote redirects back) and
    # comments (an empty comment is re-shown with 400); the digest's opt-out link needs no login.
    "engagement:news": LEVELS["summary"],
    "engagement:post": LEVELS["summary"],
    "engagement:post_image": LEVELS["summary"],
    "engagement:post_new": LEVELS["plan"],
    "engagement:post_edit": LEVELS["plan"],
    "engagement:post_publish": LEVELS["plan POST"],
    "engagement:milestone_draft": LEVELS["plan POST"],
    "engagement:suggestions": LEVELS["summary"],
    "engagement:suggestion": LEVELS["summary"],
    "engagement:suggestion_new": _level(DONE, allowed=PARTICIPANTS),
    "engagement:suggestion_vote": _level(DONE, allowed=PARTICIPANTS),
    "engagement:suggestion_comment": _level(DONE, allowed=PARTICIPANTS),
    "engagement:suggestion_answer": LEVELS["plan POST"],
    "engagement:digest": LEVELS["summary"],
    "engagement:unsubscribe": LEVELS["public"],
    # Reports: every member reads the Miljøfyrtårn report (Miljøfyrtårn shares it with all employees); the
    # plan's keepers enter its figures; the administrator and the partner publish the public climate page,
    # which anyone then reads without logging in (the demo publishes Nordlys's).
    "reports:index": LEVELS["summary"],
    "reports:miljofyrtarn": LEVELS["summary"],
    "reports:miljofyrtarn_xlsx": LEVELS["summary"],
    "reports:miljofyrtarn_pdf": LEVELS["summary"],
    "reports:miljofyrtarn_figures": LEVELS["plan"],
    "reports:public_page_settings": LEVELS["manage"],
    "reports:public_page": LEVELS["public"],
    "reports:audit_bundle": LEVELS["data"],
    # The GHG inventory report and the board summary: every member who reads the account's summary.
    "reports:ghg_inventory_pdf": LEVELS["summary"],
    "reports:board_summary_pdf": LEVELS["summary"],
    # VSME and ESRS E1 datapoints: the account summary's rights (the figures are the account's).
    **{f"reports:{name}": LEVELS["summary"]
       for name in ("vsme_json", "vsme_xlsx", "vsme_ixbrl", "esrs_e1_json", "esrs_e1_xlsx")},
    # The auditor's bundle made by the task worker: whoever reads the data starts and follows it.
    "reports:audit_bundle_start": LEVELS["data POST"],
    "reports:account_export_start": LEVELS["data POST"],
    "reports:job": LEVELS["data"],
    "reports:job_status": LEVELS["data"],
    "reports:job_download": LEVELS["data"],
}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    pattern: URLPattern


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "",
          namespace: str | None = None) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern),
                             pattern.namespace or namespace)
        elif pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield Route(name, prefix + str(pattern.pattern), pattern)


def routes() -> list[Route]:
    return [r for r in _walk(get_resolver().url_patterns) if not r.name.startswith("admin:")]


def test_every_url_pattern_has_an_access_level() -> None:
    names = [r.name for r in routes()]
    assert len(names) > 70
    assert sorted(set(names) - set(ACCESS)) == []
    assert sorted(set(ACCESS) - set(names)) == []
    assert all(set(expected) == set(ROLES) for expected in ACCESS.values())


@pytest.fixture(scope="module")
def demo_urls(demo_db: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dict[str, str]]:
    """A demo URL for every pattern, with real objects of Nordlys's open year 2025 as arguments."""
    with django_db_blocker.unblock():
        nordlys = Organisation.objects.get(slug="nordlys")
        year = ReportingYear.objects.get(organisation=nordlys, year=2025)
        alice = User.objects.get(email=EMAILS["alice"])
        Invitation.objects.create(organisation=nordlys, email="ny@nordlys.example", role="employee",
                                  token_hash=hash_token(INVITATION_TOKEN), invited_by=alice,
                                  expires_at=timezone.now() + timedelta(days=7))
        invitation = Invitation.objects.get(email="ny@nordlys.example")
        upload = Upload.objects.create(reporting_year=year, filename="reiser.xlsx", sha256="0" * 64, size=1)
        carl = Membership.objects.get(user__email=EMAILS["carl"], organisation=nordlys)
        site = Site.objects.filter(organisation=nordlys).order_by("pk").first()
        entry = year.entries.order_by("pk").first()
        override = SpendOverride.objects.filter(reporting_year=year).order_by("pk").first()
        certificate = Certificate.objects.get(organisation=nordlys)
        order = CompensationOrder.objects.get(client=nordlys)
        assert site and entry and override
        carl_user = User.objects.get(email=EMAILS["carl"])
        measure = plans.save_measure(nordlys, plans.MeasureDraft(
            title="Elbiler", kind="electric_cars", start_year=2026, owner=carl_user), alice)
        goal = plans.save_goal(nordlys, plans.GoalDraft(title="Miljøfyrtårn 2027"), alice)
        # the demo's wheel has its default tasks already
        wheel_task = WheelTask.objects.filter(organisation=nordlys).order_by("pk").first()
        assert wheel_task is not None
        evidence = plans.add_evidence(measure, SimpleUploadedFile("faktura.pdf", b"%PDF-1.4 matrix"), alice)
        target = plans.save_target(nordlys, plans.TargetDraft(
            name="Matrisemål", base_year=ReportingYear.objects.get(organisation=nordlys, year=2024),
            target_year=2030, coverage="scope_1_2", reduction_percent=Decimal("25.2"),
            base_t_co2e=Decimal("10")), alice)
        olga = User.objects.get(email=EMAILS["olga"])
        pictured = engagement.publish_post(engagement.save_post(
            nordlys, engagement.PostDraft("Matrise", "Med bilde."), olga,
            image=SimpleUploadedFile("sol.png", b"\x89PNG\r\n\x1a\n" + bytes(16))), olga)
        job = run_job(start_job(year, ReportJob.Kind.AUDIT_BUNDLE, "nb", alice))
        assert job.status == ReportJob.Status.DONE
        open_suggestion = Suggestion.objects.filter(organisation=nordlys, status="new").order_by("pk").first()
        assert open_suggestion is not None
        engagement_pks = {
            **dict.fromkeys(("engagement:post", "engagement:post_edit", "engagement:post_publish",
                             "engagement:post_image"), pictured.pk),
            "engagement:milestone_draft": milestones.proposals(nordlys)[0].event_pk,
            **dict.fromkeys(("engagement:suggestion", "engagement:suggestion_vote",
                             "engagement:suggestion_comment", "engagement:suggestion_answer"),
                            open_suggestion.pk)}
        pks = {**engagement_pks, "accounts:member_role": carl.pk, "accounts:member_remove": carl.pk,
               "accounts:invitation_withdraw": invitation.pk, "inventory:site_edit": site.pk,
               "inventory:site_delete": site.pk, "inventory:entry_edit": entry.pk,
               "inventory:entry_delete": entry.pk, "inventory:upload_delete": upload.pk,
               "ledger:spend_override_delete": override.pk,
               "credits:project": CreditProject.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
               "compensation:cancel": order.pk, "compensation:retire": order.pk,
               **dict.fromkeys(("plans:measure", "plans:measure_edit", "plans:measure_status",
                                "plans:measure_note", "plans:measure_evidence"), measure.pk),
               **dict.fromkeys(("reports:job", "reports:job_status", "reports:job_download"), job.pk),
               "plans:goal_edit": goal.pk, "plans:wheel_task_edit": wheel_task.pk,
               "plans:wheel_task_done": wheel_task.pk, "plans:evidence_download": evidence.pk,
               **dict.fromkeys(("plans:target", "plans:target_edit", "plans:target_recalculate"), target.pk),
               **dict.fromkeys(("plans:scenario", "plans:scenario_edit"),
                               Scenario.objects.get(organisation=nordlys).pk)}
        tokens = {"engagement:unsubscribe": engagement.unsubscribe_token(nordlys, olga),
                  "survey:answer": Survey.objects.get(reporting_year=year).token,
                  "accounts:invitation_accept": INVITATION_TOKEN, "ledger:gl_preview": "not-this-session",
                  "password_reset_confirm": default_token_generator.make_token(alice)}
        values: dict[str, object] = {
            "slug": "nordlys", "org": "nordlys", "year": 2025, "kind": "electricity", "fmt": "xlsx",
            "key": categories()[0].key, "number": certificate.number, "order_id": order.pk,
            "retirement_id": Retirement.objects.get(order=order).pk,
            "uidb64": urlsafe_base64_encode(force_bytes(alice.pk)),
            "import_id": LedgerImport.objects.get(reporting_year=year).pk,
            "pk": LedgerImport.objects.get(reporting_year=year).pk}
    urls = {}
    for route in routes():
        kwargs: dict[str, object] = {}
        for arg in re.findall(r"<(?:\w+:)?(\w+)>", route.route):
            if arg == "token":
                kwargs[arg] = tokens.get(route.name, certificate.token)
            else:
                kwargs[arg] = pks.get(route.name, values[arg]) if arg == "pk" else values[arg]
        if route.name == "compensation:cancel":
            kwargs["year"] = order.reporting_year  # the demo compensates its closed 2024
        urls[route.name] = reverse(route.name, kwargs=kwargs)
    yield urls
    default_storage.delete(pictured.image_name)
    default_storage.delete(evidence.stored_name)  # the demo's rows roll back; the stored file does not
    default_storage.delete(job.file)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_its_access_level_says(demo_urls: dict[str, str], db: None,
                                                               role: str) -> None:
    user = None if role == "anonymous" else User.objects.get(email=EMAILS[role])
    wrong = []
    for name, url in demo_urls.items():
        with transaction.atomic():
            client = Client(raise_request_exception=False)  # a crash is a 500 in the list
            if user is not None:
                client.force_login(user)
            response = client.get(url)
            method = "GET"
            if response.status_code == 405:
                method = "POST"
                response = client.post(url)
            transaction.set_rollback(True)
        expected = ACCESS[name][role]
        if response.status_code >= 500 or response.status_code not in expected:
            wrong.append(f"{method} {url} ({name}) → {response.status_code}, expected "
                         + " or ".join(map(str, expected)))
    assert wrong == [], f"{role}:\n" + "\n".join(wrong)
