"""Every write of the engagement app: news posts, suggestions (votes, comments, answers), the digest and
its opt-outs. Each function runs in one transaction and refuses bad input at its field (``InputErrors``)
with nothing saved; publishing a post and answering a suggestion are audit events."""

from klimabok.engagement.services.digest import (
    DigestRun,
    read_unsubscribe_token,
    receives_digest,
    send_digests,
    set_digest,
    unsubscribe_token,
)
from klimabok.engagement.services.news import (
    IMAGE_TYPES,
    MAX_IMAGE_BYTES,
    PostDraft,
    draft_from_milestone,
    mark_read,
    publish_post,
    save_post,
)
from klimabok.engagement.services.suggestions import (
    Answer,
    add_comment,
    answer_suggestion,
    submit_suggestion,
    toggle_vote,
)

__all__ = [
    "IMAGE_TYPES",
    "MAX_IMAGE_BYTES",
    "Answer",
    "DigestRun",
    "PostDraft",
    "add_comment",
    "answer_suggestion",
    "draft_from_milestone",
    "mark_read",
    "publish_post",
    "read_unsubscribe_token",
    "receives_digest",
    "save_post",
    "send_digests",
    "set_digest",
    "submit_suggestion",
    "toggle_vote",
    "unsubscribe_token",
]
