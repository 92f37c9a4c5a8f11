"""News posts: writing (with an image), publishing, drafts from milestones, and who has read a post.

An image is checked and stored like a measure's evidence (:mod:`klimabok.plans.services.evidence`):
refused with nothing kept when empty, over :data:`MAX_IMAGE_BYTES` or not PNG, JPEG or WebP — judged by
the extension *and* the first bytes (an SVG, which can carry script, is never an image here) — and stored
in default storage under ``news-images/<org>/``, the file written before the row and deleted if the
transaction fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.audit.models import Event
from klimabok.engagement.milestones import MILESTONE_KINDS, proposals
from klimabok.engagement.models import Post, PostRead
from klimabok.engagement.services.common import record, refuse

IMAGE_DIR = "news-images"
#: The largest image a post may carry (bytes): a photo from a phone, not a poster print.
MAX_IMAGE_BYTES = 5 * 1024 * 1024


def _starts(*signatures: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(signatures)


def _webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


#: Extension → (content type, check of the first bytes).
IMAGE_TYPES: dict[str, tuple[str, Callable[[bytes], bool]]] = {
    ".png": ("image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    ".jpg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".jpeg": ("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".webp": ("image/webp", _webp),
}


@dataclass(frozen=True)
class PostDraft:
    title: str
    body: str
    image_alt: str = ""


def _checked_image(uploaded_file: Any) -> tuple[bytes, str, str]:
    """The image's bytes, extension and content type, or refused at ``image``."""
    name = Path(getattr(uploaded_file, "name", None) or "image").name[:255]
    if (uploaded_file.size or 0) > MAX_IMAGE_BYTES:
        refuse("image", gettext_noop("%(name)s is %(size)s MB; an image may be at most %(limit)s MB."),
               name=name, size=round(uploaded_file.size / 1e6, 1), limit=round(MAX_IMAGE_BYTES / 1e6))
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_IMAGE_BYTES + 1)
    if not data:
        refuse("image", gettext_noop("%(name)s is empty."), name=name)
    if len(data) > MAX_IMAGE_BYTES:
        refuse("image", gettext_noop("%(name)s is over %(limit)s MB."), name=name,
               limit=round(MAX_IMAGE_BYTES / 1e6))
    extension = Path(name).suffix.lower()
    kind = IMAGE_TYPES.get(extension)
    if kind is None or not kind[1](data[:16]):
        refuse("image", gettext_noop("%(name)s is not a PNG, JPEG or WebP image whose content matches its "
                                     "name."), name=name)
    return data, extension, kind[0]


@transaction.atomic
def save_post(organisation: Organisation, draft: PostDraft, user: User | None, post: Post | None = None, *,
              image: Any = None, milestone: Event | None = None) -> Post:
    """Write a new post (a draft) or change ``post``; ``image`` replaces its image. Refused at the field."""
    if not draft.title.strip():
        refuse("title", gettext_noop("Give the post a title."))
    if not draft.body.strip():
        refuse("body", gettext_noop("Write the post first."))
    row = post or Post(organisation=organisation, author=user, milestone=milestone)
    row.title, row.body, row.image_alt = draft.title.strip(), draft.body.strip(), draft.image_alt.strip()
    stored = ""
    old_image = row.image_name
    if image is not None:
        data, extension, content_type = _checked_image(image)
        stored = default_storage.save(f"{IMAGE_DIR}/{organisation.slug}/{uuid.uuid4().hex}{extension}",
                                      ContentFile(data))
        row.image_name, row.image_type, row.image_size = stored, content_type, len(data)
    try:
        with transaction.atomic():
            row.save()
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    if stored and old_image:
        transaction.on_commit(lambda: default_storage.delete(old_image))
    return row


@transaction.atomic
def publish_post(post: Post, user: User | None) -> Post:
    """Publish a draft: from now on on every employee's start page and in the next digest."""
    post.refresh_from_db(from_queryset=Post.objects.select_for_update())
    if post.status == Post.Status.PUBLISHED:
        return post
    post.status, post.published_at = Post.Status.PUBLISHED, timezone.now()
    post.save(update_fields=["status", "published_at", "updated_at"])
    record(post, "post", post.organisation, user, Kind.ENGAGEMENT_POST_PUBLISHED,
           {"title": post.title, "milestone": post.milestone_id, "image": bool(post.image_name)})
    return post


@transaction.atomic
def draft_from_milestone(organisation: Organisation, event_pk: int, user: User | None) -> Post:
    """A draft post with the text proposed for the milestone ``event_pk`` (one post per milestone)."""
    event = Event.objects.filter(organisation=organisation, kind__in=MILESTONE_KINDS, pk=event_pk).first()
    proposal = next((p for p in proposals(organisation) if p.event_pk == event_pk), None)
    if event is None or proposal is None:
        refuse("milestone", gettext_noop("This milestone has no proposed post (or it is already a post)."))
    try:
        with transaction.atomic():
            return save_post(organisation, PostDraft(proposal.title, proposal.body), user, milestone=event)
    except IntegrityError:
        refuse("milestone", gettext_noop("This milestone is already a post."))


def mark_read(post: Post, user: User) -> None:
    """Count ``user`` as a reader of ``post`` (once: a second visit changes nothing)."""
    if post.status != Post.Status.PUBLISHED:
        return
    try:
        with transaction.atomic():
            PostRead.objects.get_or_create(post=post, user=user)
    except IntegrityError:
        pass  # the same person in two tabs at once: already counted
