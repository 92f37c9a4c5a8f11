"""News posts, suggestions (votes, comments) and the monthly digest of an organisation.

What the database can hold on its own it does: one vote per person and suggestion, one read per person
and post, a suggestion number once per organisation, a declined suggestion has its reason, an anonymous
suggestion has no author (the column is empty: who wrote it is not stored anywhere), a digest goes to a
person once a month. :mod:`klimabok.engagement.services` is the only writer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from klimabok.accounts.models import Organisation
from klimabok.audit.models import Event
from klimabok.plans.models import Measure


class Post(models.Model):
    """A news post in Markdown (rendered sanitised: :mod:`klimabok.engagement.markdown`), with an
    optional image; a draft until published. ``milestone`` is the audit event it was proposed from."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="news_posts")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The uploaded image: stored in default storage under news-images/ (like a measure's evidence).
    image_name = models.CharField(max_length=300, blank=True)
    image_type = models.CharField(max_length=50, blank=True)
    image_size = models.PositiveIntegerField(null=True, blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    # PROTECT: audit events are never deleted; a post keeps the milestone it was proposed from.
    milestone = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = [models.F("published_at").desc(nulls_first=True), "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="published") | Q(published_at__isnull=False),
                                   name="engagement_post_published_has_date"),
            models.UniqueConstraint(fields=["organisation", "milestone"],
                                    condition=Q(milestone__isnull=False),
                                    name="engagement_post_one_per_milestone"),
        ]

    def __str__(self) -> str:
        return self.title


class PostRead(models.Model):
    """That a person opened a published post: counted, never listed by person."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"],
                                               name="engagement_one_read_per_person")]

    def __str__(self) -> str:
        return f"{self.post_id} read"


class Suggestion(models.Model):
    """An employee's suggestion, named or anonymous (``author`` empty and ``anonymous`` set: nothing says
    who wrote it). Accepted, it becomes a measure of the plan (``measure``; the measure's page links back)."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        DONE = "done", _("Done")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="suggestions")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("suggestion"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    declined_reason = models.TextField(_("why it is declined"), blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    replied_at = models.DateTimeField(null=True, blank=True)
    measure = models.OneToOneField(Measure, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="suggestion")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"],
                                    name="engagement_suggestion_number"),
            models.CheckConstraint(condition=~Q(anonymous=True) | Q(author__isnull=True),
                                   name="engagement_anonymous_has_no_author"),
            models.CheckConstraint(condition=~Q(status="declined") | ~Q(declined_reason=""),
                                   name="engagement_declined_has_reason"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"


class Vote(models.Model):
    """One person's vote for a suggestion: once each (the database refuses a second)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["suggestion", "user"],
                                               name="engagement_one_vote_each")]

    def __str__(self) -> str:
        return f"vote for {self.suggestion_id}"


class Comment(models.Model):
    """A comment on a suggestion, as plain text (escaped on every page)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:50]


class DigestOptOut(models.Model):
    """A person who does not want the organisation's monthly digest (their profile, or the e-mail's link)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"],
                                               name="engagement_one_opt_out")]

    def __str__(self) -> str:
        return f"no digest for {self.user_id}"


class DigestSent(models.Model):
    """The record that a month's digest went to a person: written in the sending's transaction, so it is
    never sent twice and a failed send is tried again (as the plan's reminders)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month it is for
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user", "month"],
                                               name="engagement_one_digest_a_month")]

    def __str__(self) -> str:
        return f"digest {self.month:%Y-%m} to {self.user_id}"
