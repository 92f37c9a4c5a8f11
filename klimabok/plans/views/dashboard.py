"""The ombudsman's dashboard (``/o/<slug>/plan/``): what is late, what moved this month, and the targets."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from klimabok.accounts.access import org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.plans import read_models
from klimabok.plans.access import plan_context
from klimabok.plans.models import OPEN_STATUSES, Status


@login_required
def dashboard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug)
    today = timezone.localdate()
    month_start = timezone.make_aware(datetime.combine(today.replace(day=1), time.min))
    measures = read_models.measure_list(access.organisation)
    counts = {status: sum(1 for m in measures if m.status == status) for status in Status.values}
    return render(
        request,
        "plans/dashboard.html",
        plan_context(
            access,
            today=today,
            late=[
                (item, item.days_late(today)) for item in read_models.late_items(access.organisation, today)
            ],
            moved=read_models.moved_since(access.organisation, month_start),
            counts=[(Status(status).label, status, count) for status, count in counts.items() if count],
            open_count=sum(counts[s] for s in OPEN_STATUSES),
            targets=read_models.targets_of(access.organisation),
        ),
    )
