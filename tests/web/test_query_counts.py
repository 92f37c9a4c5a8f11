"""The SQL queries of each main page: an exact number, the same for a year of 10 lines as of 200 (issue 14).

A page that starts querying once per line (an N+1: a site, an entry, a factor looked up in a loop) fails
here with the queries it made, before a 100,000-line year makes it take minutes (benches/
bench_account_page.py measures that year). The demo (``klimabok demo load``: Nordlys with a closed 2024,
an open 2025 with its SAF-T ledger, a plan, orders and a certificate) gets ``n`` more lines in 2025 through
the activity-file import, as a user's upload; each page is requested once to warm what a process keeps
(the factor catalogue, a year's account per data revision: ``klimabok.account.cache``, one query to read
the revision) and then counted.

When a page's count changes on purpose, change its number here and say why in the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from klimabok.accounts.models import User
from klimabok.inventory.models import ReportingYear
from klimabok.inventory.services import import_activity_file
from klimabok.reports.jobs import run_job
from klimabok.reports.models import ReportJob

pytestmark = pytest.mark.django_db

AssertNumQueries = Callable[[int], AbstractContextManager[object]]

#: Each main page of Nordlys as its administrator sees it, and the queries one request makes.
PAGES = {
    "start page (the organisation; / redirects there)": ("/o/nordlys/", 20),
    "year": ("/o/nordlys/2025/", 14),
    "account": ("/o/nordlys/2025/account/", 10),
    "account of the closed year": ("/o/nordlys/2024/account/", 9),
    # Lines of entries only, then entries and spend lines: a page that shows spend lines makes one more
    # query (their ledger links).
    "lines of an activity": ("/o/nordlys/2025/account/lines/?activity=hotel.no", 8),
    "lines of an activity, page 2": ("/o/nordlys/2025/account/lines/?activity=hotel.no&page=2", 8),
    "lines of scope 3.6 on the last page": ("/o/nordlys/2025/account/lines/?scope=scope_3.6&page=9999", 9),
    "lines of the closed year": ("/o/nordlys/2024/account/lines/", 8),
    "summary CSV": ("/o/nordlys/2025/account/export.summary.csv", 8),
    "compensation": ("/o/nordlys/2024/compensate/", 18),
    "certificates": ("/o/nordlys/certificates/", 7),
    "plan dashboard": ("/o/nordlys/plan/", 27),
    "reports": ("/o/nordlys/reports/", 9),
}

#: The request behind "Download Excel": access, the year, the job's row (the worker gets it on commit).
QUEUE_EXPORT_QUERIES = 6
#: The worker's run of that job: the year's account loaded once (entries, sites, spend lines, factors), the
#: job's row updated as it starts, at each step, at every 5,000 rows and when done, and the user's earlier
#: export of the same kind looked for (it would be replaced).
RUN_EXPORT_QUERIES = 19


@pytest.fixture
def alice(demo_db: None) -> User:
    return User.objects.get(email="alice@nordlys.example")


def _add_lines(n: int, user: User) -> None:
    """``n`` lines of hotel nights and diesel car kilometres in Nordlys's open 2025, uploaded as a CSV."""
    rows = "".join(f"{'hotel.no' if i % 2 else 'car.average.diesel.km'},{1 + i % 7},"
                   f"{'room_night' if i % 2 else 'km'},,Linje {i},3\n" for i in range(n))
    year = ReportingYear.objects.get(organisation__slug="nordlys", year=2025)
    data = f"activity,quantity,unit,site,description,data_quality\n{rows}".encode()
    import_activity_file(year, SimpleUploadedFile(f"linjer-{n}.csv", data), user)


@pytest.mark.parametrize("lines", [10, 200])
@pytest.mark.parametrize("page", list(PAGES))
def test_a_main_page_makes_the_same_queries_for_10_and_200_lines(
        page: str, lines: int, alice: User, django_assert_num_queries: AssertNumQueries) -> None:
    _add_lines(lines, alice)
    url, expected = PAGES[page]
    client = Client()
    client.force_login(alice)
    assert client.get(url).status_code == 200  # warm-up: the factor catalogue, the year's account
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


def test_the_lines_pages_show_the_uploaded_lines(alice: User) -> None:
    """The counted pages are the real ones: 200 more lines make 300 more result lines to page through."""
    client = Client()
    client.force_login(alice)
    before = client.get("/o/nordlys/2025/account/lines/").context["count"]
    _add_lines(200, alice)
    after = client.get("/o/nordlys/2025/account/lines/?page=2")
    # 100 hotel lines (one factor each) and 100 diesel car lines (the fuel burnt and its well-to-tank part)
    assert after.context["count"] == before + 100 + 2 * 100
    assert len(after.context["rows"]) == 100  # page 2 of at least 200 lines is full


@pytest.mark.parametrize("lines", [10, 200])
def test_an_export_of_every_line_queues_and_runs_with_the_same_queries_for_10_and_200_lines(
        lines: int, alice: User, django_assert_num_queries: AssertNumQueries) -> None:
    """The account page's "Download Excel" only queues a job (the request users wait for); the task worker's
    run writes its progress every 5,000 rows, so a few hundred lines add no query (exports.PROGRESS_ROWS)."""
    _add_lines(lines, alice)
    client = Client()
    client.force_login(alice)
    with django_assert_num_queries(QUEUE_EXPORT_QUERIES):
        response = client.post("/o/nordlys/reports/2025/account-export/xlsx/make/")
    assert response.status_code == 302
    job = ReportJob.objects.get()
    with django_assert_num_queries(RUN_EXPORT_QUERIES):
        assert run_job(job).status == ReportJob.Status.DONE
