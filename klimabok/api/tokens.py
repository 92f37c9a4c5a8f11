"""Create, revoke and check API tokens.

A token is ``kb_`` + 43 URL-safe characters (256 random bits); the database
keeps ``sha256(token)`` only, so it can be checked but never shown again.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from klimabok.accounts.models import Membership, Organisation, User
from klimabok.api.models import ApiToken
from klimabok.core.errors import KlimabokError

PREFIX = "kb_"
#: ``last_used_at`` is written at most this often per token (one UPDATE per request would be wasteful).
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(KlimabokError):
    """A token cannot be created or revoked as asked."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, organisation: Organisation | None = None,
                 name: str = "") -> tuple[ApiToken, str]:
    """A new token of ``user`` for ``organisation`` (default: the user's only organisation) and its text.

    The user must be a member of the organisation. Returns the stored row and
    the token, which exists nowhere else from then on.
    """
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    if organisation is None:
        organisations = [m.organisation for m in memberships]
        if len(organisations) != 1:
            raise TokenError(f"{user.email} is a member of {len(organisations)} organisations; "
                             "say which one with --org")
        organisation = organisations[0]
    elif not memberships.filter(organisation=organisation).exists():
        raise TokenError(f"{user.email} is not a member of {organisation.slug}")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, organisation=organisation, name=name.strip()[:100],
                                  token_hash=token_hash(token))
    return row, token


def revoke_token(token_id: int) -> ApiToken:
    """Refuse the token from now on (revoking twice keeps the first time)."""
    row = ApiToken.objects.filter(pk=token_id).first()
    if row is None:
        raise TokenError(f"no API token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = timezone.now()
        row.save(update_fields=["revoked_at"])
    return row


def authenticate(token: str) -> ApiToken | None:
    """The live token row for ``token`` (its user active), else None; records when it was last used."""
    if not token.startswith(PREFIX):
        return None
    row = (ApiToken.objects.select_related("user", "organisation")
           .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True).first())
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row
