"""News: the list, a post (which counts the reader), writing and publishing, drafts from milestones, and
a post's image."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.access import org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.core.errors import KlimabokError
from klimabok.engagement import milestones, read_models, services
from klimabok.engagement.access import PUBLISH, engagement_context
from klimabok.engagement.forms import PostForm
from klimabok.engagement.models import Post
from klimabok.engagement.rendering import post_html
from klimabok.web.core_messages import localise


@login_required
def news(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug)
    writer = access.can(PUBLISH)
    posts = read_models.news_list(access.organisation, request.user, drafts=writer)
    return render(request, "engagement/news.html", engagement_context(
        access, posts=[(post, read_models.excerpt(post.body)) for post in posts],
        proposals=milestones.proposals(access.organisation) if writer else []))


@login_required
def post(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug)
    found = read_models.post_page(access.organisation, pk, request.user)
    if found is None or (found.status != Post.Status.PUBLISHED and not access.can(PUBLISH)):
        raise Http404
    if not found.read_by_me and found.status == Post.Status.PUBLISHED:  # type: ignore[attr-defined]
        services.mark_read(found, request.user)
        found.read_count += 1  # type: ignore[attr-defined]  # the count shown includes this reader
    return render(request, "engagement/post.html", engagement_context(
        access, post=found, body=post_html(found.body)))


def _post_form(request: AuthenticatedHttpRequest, slug: str, pk: int | None) -> HttpResponse:
    access = org_access(request, slug, PUBLISH)
    existing = get_object_or_404(Post, organisation=access.organisation, pk=pk) if pk else None
    initial = ({"title": existing.title, "body": existing.body, "image_alt": existing.image_alt}
               if existing else {})
    form = PostForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_post(access.organisation, services.PostDraft(
                data["title"], data["body"], data["image_alt"]), request.user, existing, image=data["image"])
            if "publish" in request.POST:
                services.publish_post(saved, request.user)
        except KlimabokError as exc:
            form.show_refusal(exc)
        else:
            messages.success(request, _("The post “%(title)s” is published.") % {"title": saved.title}
                             if saved.status == Post.Status.PUBLISHED
                             else _("The draft “%(title)s” is saved.") % {"title": saved.title})
            return redirect("engagement:post", slug=slug, pk=saved.pk)
    return render(request, "engagement/post_form.html",
                  engagement_context(access, form=form, post=existing),
                  status=400 if form.errors else 200)


@login_required
def post_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _post_form(request, slug, None)


@login_required
def post_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    return _post_form(request, slug, pk)


@login_required
@require_POST
def post_publish(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug, PUBLISH)
    found = get_object_or_404(Post, organisation=access.organisation, pk=pk)
    services.publish_post(found, request.user)
    messages.success(request, _("The post “%(title)s” is published.") % {"title": found.title})
    return redirect("engagement:post", slug=slug, pk=pk)


@login_required
@require_POST
def milestone_draft(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug, PUBLISH)
    try:
        draft = services.draft_from_milestone(access.organisation, pk, request.user)
    except KlimabokError as exc:
        messages.error(request, localise(exc))
        return redirect("engagement:news", slug=slug)
    messages.success(request, _("A draft is ready: read it through, change what you like and publish it."))
    return redirect("engagement:post_edit", slug=slug, pk=draft.pk)


@login_required
def post_image(request: AuthenticatedHttpRequest, slug: str, pk: int) -> FileResponse:
    access = org_access(request, slug)
    found = get_object_or_404(Post, organisation=access.organisation, pk=pk)
    if not found.image_name or (found.status != Post.Status.PUBLISHED and not access.can(PUBLISH)):
        raise Http404
    response = FileResponse(default_storage.open(found.image_name, "rb"), content_type=found.image_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
