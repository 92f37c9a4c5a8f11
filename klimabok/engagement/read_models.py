"""What the engagement pages, the start page and the digest read: loaded once per page, no writes.

- :func:`start_page` — an employee's start page: the latest news (read or not), the open suggestions to
  vote on, and the pathway's progress (the plan's read models);
- :func:`news_list`, :func:`post_page` — posts with their read counts (how many, never who);
- :func:`suggestion_list`, :func:`suggestion_page` — suggestions with their votes and comments;
- :func:`digest_content` — what a month's digest says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from klimabok.accounts.models import Organisation, User
from klimabok.engagement.models import Comment, Post, PostRead, Suggestion, Vote
from klimabok.engagement.rendering import plain_text
from klimabok.plans.pathway import plan_facts
from klimabok.web.core_messages import localise

#: Suggestions employees can still vote on.
OPEN_SUGGESTIONS = (Suggestion.Status.NEW, Suggestion.Status.UNDER_REVIEW)
#: How many posts and suggestions the start page shows.
START_POSTS, START_SUGGESTIONS = 3, 5
EXCERPT_CHARS = 240


def excerpt(text: str) -> str:
    """The start of a post's text as plain text, cut at a word."""
    plain = " ".join(plain_text(text).split())
    if len(plain) <= EXCERPT_CHARS:
        return plain
    return plain[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"


def _posts(organisation: Organisation, user: User | None) -> QuerySet[Post]:
    posts = Post.objects.filter(organisation=organisation).select_related("author").annotate(
        read_count=Count("reads", distinct=True))
    if user is not None:
        posts = posts.annotate(read_by_me=Exists(PostRead.objects.filter(post=OuterRef("pk"), user=user)))
    return posts


def news_list(organisation: Organisation, user: User, *, drafts: bool = False) -> list[Post]:
    """Published posts, newest first (with the drafts first for whoever writes them), each with
    ``read_count`` and ``read_by_me``."""
    posts = _posts(organisation, user)
    if not drafts:
        posts = posts.filter(status=Post.Status.PUBLISHED)
    return list(posts)


def post_page(organisation: Organisation, pk: int, user: User) -> Post | None:
    return _posts(organisation, user).filter(pk=pk).first()


def _suggestions(organisation: Organisation, user: User) -> QuerySet[Suggestion]:
    return (Suggestion.objects.filter(organisation=organisation).select_related("author", "measure")
            .annotate(vote_count=Count("votes", distinct=True),
                      comment_count=Count("comments", distinct=True),
                      voted=Exists(Vote.objects.filter(suggestion=OuterRef("pk"), user=user))))


def suggestion_list(organisation: Organisation, user: User, status: str = "") -> list[Suggestion]:
    """The suggestions (of one status), most votes first among the open ones, newest first after."""
    suggestions = _suggestions(organisation, user)
    if status:
        suggestions = suggestions.filter(status=status)
    def order(s: Any) -> tuple[bool, int, int]:
        is_open = s.status in OPEN_SUGGESTIONS
        return (not is_open, -s.vote_count if is_open else 0, -s.pk)

    return sorted(suggestions, key=order)


@dataclass(frozen=True)
class SuggestionPage:
    suggestion: Suggestion
    comments: list[Comment]


def suggestion_page(organisation: Organisation, pk: int, user: User) -> SuggestionPage | None:
    suggestion = _suggestions(organisation, user).select_related("replied_by").filter(pk=pk).first()
    if suggestion is None:
        return None
    return SuggestionPage(suggestion, list(suggestion.comments.select_related("author")))


@dataclass(frozen=True)
class TargetProgress:
    """A target and how the latest closed year stands against it, in words (``on_track`` None: no year
    after the base year is closed yet)."""

    pk: int
    name: str
    text: str
    on_track: bool | None


def progress_of(organisation: Organisation, today: date) -> list[TargetProgress]:
    """Each target's progress on the closed years up to ``today``'s (the plan's read model), in the active
    language."""
    facts = plan_facts(organisation, today.year)
    return [TargetProgress(s.target.pk, s.target.name,
                           localise(s.progress.message) if s.progress is not None else "",
                           s.progress.on_track if s.progress is not None else None)
            for s in facts.standings]


@dataclass(frozen=True)
class StartPage:
    posts: list[Post]
    unread: int
    suggestions: list[Suggestion]
    open_suggestions: int
    progress: list[TargetProgress] = field(default_factory=list)


def start_page(organisation: Organisation, user: User, today: date) -> StartPage:
    """What an employee sees first: the latest posts, the open suggestions most voted for, the progress."""
    published = _posts(organisation, user).filter(status=Post.Status.PUBLISHED)
    posts = list(published[:START_POSTS])
    unread = published.exclude(reads__user=user).count()
    open_ones = [s for s in suggestion_list(organisation, user) if s.status in OPEN_SUGGESTIONS]
    return StartPage(posts, unread, open_ones[:START_SUGGESTIONS], len(open_ones),
                     progress_of(organisation, today))


@dataclass(frozen=True)
class DigestContent:
    """A month's digest: posts published and suggestions accepted since ``since``, and the progress."""

    posts: list[tuple[Post, str]]
    accepted: list[Suggestion]
    progress: list[TargetProgress]

    @property
    def has_news(self) -> bool:
        return bool(self.posts or self.accepted)


def digest_content(organisation: Organisation, since: datetime, today: date) -> DigestContent:
    posts = list(Post.objects.filter(organisation=organisation, status=Post.Status.PUBLISHED,
                                     published_at__gte=since).order_by("-published_at"))
    accepted = list(Suggestion.objects.filter(
        Q(status=Suggestion.Status.ACCEPTED) | Q(status=Suggestion.Status.DONE),
        organisation=organisation, updated_at__gte=since).select_related("measure"))
    return DigestContent([(post, excerpt(post.body)) for post in posts], accepted,
                         progress_of(organisation, today))
