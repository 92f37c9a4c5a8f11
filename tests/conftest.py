"""Shared fixtures: the named users of every web test, and the database/browser switches.

Named users (as in healthchecks): in "Nordlys Kundesenter AS" alice is the
admin, olga the ombudsman, carl a contributor, emma an employee and aud the
auditor; petra works for the climate partner; mallory is admin of another
client organisation and must see nothing of Nordlys.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest
from hypothesis import settings as hypothesis_settings

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
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        try:
            socket.create_connection(("127.0.0.1", 5432), timeout=3).close()
        except OSError as exc:
            reason = f"PostgreSQL at 127.0.0.1:5432 is unreachable ({exc})"
            if IN_CI:
                pytest.exit(f"{reason}; with CI=true this is a failure", returncode=1)
            pytest.exit(f"skipped the PostgreSQL run: {reason}", returncode=0)


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
