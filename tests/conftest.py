"""Shared fixtures: the named users of every web test, and the database/browser switches.

Named users (as in healthchecks): in "Nordlys Kundesenter AS" alice is the
admin, olga the ombudsman, carl a contributor, emma an employee and aud the
auditor; petra works for the climate partner; mallory is admin of another
client organisation and must see nothing of Nordlys.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from pytest_django import DjangoDbBlocker

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"

# Hypothesis checks invariants, not speed: its default 200 ms per-example deadline failed a property
# test once while the 2-core machine ran the suite beside other work (speed is measured in benches/).
hypothesis_settings.register_profile("klimabok", deadline=None)
hypothesis_settings.load_profile("klimabok")


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Background tasks run at once, on commit (tests that run a worker override TASKS themselves).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The VSME XLSX fills the EFRAG template, which is not shipped: the tests use its excerpt.
    settings.VSME_TEMPLATE = str(Path(__file__).parent / "data" / "vsme" / "vsme-template-excerpt.xlsx")
    # The operators' log (settings.LOGGING) says warnings only in tests, and in the `klimabok` commands
    # they start; a test that checks a message raises the level itself (caplog.at_level).
    os.environ.setdefault("KLIMABOK_LOG_LEVEL", "WARNING")
    logging.getLogger("klimabok").setLevel(os.environ["KLIMABOK_LOG_LEVEL"])
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        try:
            socket.create_connection(("127.0.0.1", 5432), timeout=3).close()
        except OSError as exc:
            reason = f"PostgreSQL at 127.0.0.1:5432 is unreachable ({exc})"
            if IN_CI:
                pytest.exit(f"{reason}; with CI=true this is a failure", returncode=1)
            pytest.exit(f"skipped the PostgreSQL run: {reason}", returncode=0)


@pytest.fixture(autouse=True, scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests store uploads and kept files in a folder of the session's (one per xdist worker), not in
    the checkout's var/; a test that needs its own sets ``settings.MEDIA_ROOT`` itself."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Every test starts in the site's language (bokmål), whatever the test before it activated.

    Django's active language is per thread and outlives a test that calls ``translation.activate``
    (directly, or through a request with another language), so a test that matches a bokmål message
    passed or failed by which test ran before it on the same worker.
    """
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def demo_db(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo (``klimabok demo load``), loaded once for the tests of a module.

    It is loaded in a transaction that is rolled back after the module's last test; each test that
    asks for ``db`` runs in a savepoint inside it, so what one test writes the next does not see.
    """
    from django.db import transaction
    from django.test import override_settings

    from klimabok.demo import load_demo

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in item.path.parts:
            item.add_marker(pytest.mark.browser)
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if IN_CI:
        raise pytest.UsageError(f"{CHROMIUM} is missing; with CI=true the browser tests must run")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
