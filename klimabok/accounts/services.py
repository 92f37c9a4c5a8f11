"""Every change to organisations, memberships and invitations.

Each function runs in one transaction; e-mail goes out only after the
transaction commits, so a rolled-back invitation never reaches an inbox.
Errors a user can fix are raised as :class:`AccountsError` with a message
ready to show.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from klimabok.accounts.models import Invitation, Membership, Organisation, User
from klimabok.accounts.roles import Role

INVITATION_LIFETIME = timedelta(days=14)

AcceptUrl = Callable[[str], str]
"""Turns an invitation token into the absolute link put in the e-mail."""


class AccountsError(Exception):
    """A change that was refused; ``str(error)`` is the translated message for the user."""


@dataclass(frozen=True)
class OrganisationDetails:
    name: str
    legal_name: str
    org_number: str
    country: str
    consolidation: str = ""
    identifier_scheme: str = ""
    identifier: str = ""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_member(organisation: Organisation, email: str, role: str, invited_by: User,
                  accept_url: AcceptUrl) -> Invitation:
    """Invite ``email`` to ``organisation`` as ``role``; replaces an open invitation to the same address."""
    email = email.strip().lower()
    with transaction.atomic():
        if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
            raise AccountsError(_("%(email)s is already a member of %(organisation)s.")
                                % {"email": email, "organisation": organisation.name})
        Invitation.objects.filter(organisation=organisation, email__iexact=email,
                                  accepted_at__isnull=True).delete()
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, role=role, token_hash=hash_token(token),
            invited_by=invited_by, expires_at=timezone.now() + INVITATION_LIFETIME)
        context = {"invitation": invitation, "inviter": invited_by, "url": accept_url(token),
                   "role": Role(role).label, "days": INVITATION_LIFETIME.days}
        subject = _("Invitation to %(organisation)s in klimabok") % {"organisation": organisation.name}
        body = render_to_string("accounts/email/invitation.txt", context)
        transaction.on_commit(partial(send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [email]))
    return invitation


def open_invitation(token: str) -> Invitation:
    """The invitation behind a link, or AccountsError saying why it cannot be used."""
    invitation = (Invitation.objects.select_related("organisation", "invited_by")
                  .filter(token_hash=hash_token(token)).first())
    if invitation is None:
        raise AccountsError(_("This invitation link is not valid. Check that you copied the whole "
                              "link, or ask for a new invitation."))
    if invitation.accepted_at is not None:
        raise AccountsError(_("This invitation has already been used. Log in to reach %(organisation)s.")
                            % {"organisation": invitation.organisation.name})
    if invitation.is_expired:
        raise AccountsError(_("This invitation expired on %(date)s. Ask an administrator of "
                              "%(organisation)s to send a new one.")
                            % {"date": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y"),
                               "organisation": invitation.organisation.name})
    return invitation


def accept_invitation(token: str, user: User) -> Membership:
    """``user`` (whose e-mail must match) joins the organisation with the invited role."""
    with transaction.atomic():
        invitation = _lock_open_invitation(token)
        if invitation.email.lower() != user.email.lower():
            raise AccountsError(_("This invitation is for %(email)s, but you are logged in as %(user)s.")
                                % {"email": invitation.email, "user": user.email})
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role})
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


def accept_invitation_as_new_user(token: str, name: str, password: str) -> User:
    """Create the invited person's user account and membership in one step."""
    with transaction.atomic():
        invitation = _lock_open_invitation(token)
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise AccountsError(_("An account for %(email)s already exists. Log in, then open the "
                                  "invitation link again.") % {"email": invitation.email})
        user = User.objects.create_user(invitation.email, password, name=name.strip())
        accept_invitation(token, user)
    return user


def _lock_open_invitation(token: str) -> Invitation:
    open_invitation(token)  # raises with the reason a link cannot be used
    return Invitation.objects.select_for_update().select_related("organisation").get(
        token_hash=hash_token(token), accepted_at__isnull=True)


def revoke_invitation(invitation: Invitation) -> None:
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()


def change_role(membership: Membership, role: str) -> Membership:
    """Give a member another role; the organisation always keeps at least one administrator."""
    with transaction.atomic():
        if membership.role == Role.ADMIN and role != Role.ADMIN:
            _keep_an_admin(membership)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_member(membership: Membership) -> None:
    """End a membership; never the organisation's last administrator."""
    with transaction.atomic():
        if membership.role == Role.ADMIN:
            _keep_an_admin(membership)
        membership.delete()


def _keep_an_admin(leaving: Membership) -> None:
    # Lock the admin rows so two concurrent demotions cannot both pass the check.
    admins = list(Membership.objects.select_for_update()
                  .filter(organisation_id=leaving.organisation_id, role=Role.ADMIN)
                  .values_list("pk", flat=True))
    if [pk for pk in admins if pk != leaving.pk]:
        return
    raise AccountsError(_("%(user)s is the last administrator of %(organisation)s. Make someone else "
                          "administrator first.")
                        % {"user": leaving.user, "organisation": leaving.organisation.name})


def update_organisation(organisation: Organisation, details: OrganisationDetails) -> Organisation:
    with transaction.atomic():
        organisation.name = details.name
        organisation.legal_name = details.legal_name
        organisation.org_number = details.org_number
        organisation.country = details.country
        organisation.consolidation = details.consolidation
        organisation.identifier_scheme = details.identifier_scheme
        organisation.identifier = details.identifier
        organisation.save(update_fields=["name", "legal_name", "org_number", "country", "consolidation",
                                         "identifier_scheme", "identifier"])
    return organisation


def create_client(partner: Organisation, details: OrganisationDetails, first_admin_email: str,
                  invited_by: User, accept_url: AcceptUrl) -> Organisation:
    """A new client organisation served by ``partner``; invites its first administrator if given."""
    with transaction.atomic():
        client = Organisation.objects.create(
            slug=_free_slug(details.name), name=details.name, legal_name=details.legal_name,
            org_number=details.org_number, country=details.country, consolidation=details.consolidation,
            identifier_scheme=details.identifier_scheme, identifier=details.identifier,
            kind=Organisation.Kind.CLIENT, partner=partner)
        if first_admin_email:
            invite_member(client, first_admin_email, Role.ADMIN, invited_by, accept_url)
    return client


# slugify() drops letters without an ASCII decomposition; spell the Norwegian ones out.
_NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "Æ": "Ae", "Ø": "O"})


def _free_slug(name: str) -> str:
    base = slugify(name.translate(_NORWEGIAN_LETTERS))[:40].strip("-") or "org"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def remember_language(user: User, language: str) -> None:
    """Keep the user's interface language so it follows them to another browser."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


def clear_login_failures(user: User) -> None:
    """Forget failed logins for ``user`` (after they proved who they are by resetting the password)."""
    from axes.utils import reset  # imported late: axes reads settings at import time

    reset(username=user.email.lower())
