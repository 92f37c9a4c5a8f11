"""Tenant scoping: which organisation a request may see, and as which role.

Every view that takes an organisation slug calls :func:`org_access`; a slug
the user has no access to is a 404 (not 403), so another tenant's existence
is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from klimabok.accounts.models import Membership, Organisation, User
from klimabok.accounts.roles import Role, can


@dataclass(frozen=True)
class Access:
    organisation: Organisation
    role: str

    def can(self, capability: str) -> bool:
        return can(self.role, capability)


def role_in(user: User, organisation: Organisation) -> str | None:
    """The user's role in ``organisation``: direct membership, or partner staff of its partner."""
    if not user.is_authenticated:
        return None
    roles = dict(Membership.objects.filter(user=user, organisation_id__in=[
        organisation.pk, *( [organisation.partner_id] if organisation.partner_id else [])
    ]).values_list("organisation_id", "role"))
    if organisation.pk in roles:
        return roles[organisation.pk]
    if organisation.partner_id in roles and roles[organisation.partner_id] == Role.PARTNER:
        return Role.PARTNER
    return None


def navigation_for(user: User) -> tuple[list[Organisation], bool]:
    """The client organisations the user can open, and whether they are partner staff.

    One query for the memberships (plus one for a partner's clients): every page's header needs both.
    """
    if not user.is_authenticated:
        return [], False
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    own = [m.organisation for m in memberships if m.organisation.kind == Organisation.Kind.CLIENT]
    partner_ids = [m.organisation_id for m in memberships
                   if m.organisation.kind == Organisation.Kind.PARTNER and m.role == Role.PARTNER]
    clients = list(Organisation.objects.filter(partner_id__in=partner_ids)) if partner_ids else []
    seen: dict[int, Organisation] = {o.pk: o for o in [*own, *clients]}
    return sorted(seen.values(), key=lambda o: o.name), bool(partner_ids)


def organisations_for(user: User) -> list[Organisation]:
    """Client organisations the user can open: own memberships and a partner's clients."""
    return navigation_for(user)[0]


def org_access(request: HttpRequest, slug: str, capability: str | None = None) -> Access:
    """The organisation ``slug`` as the request's user may see it, or 404.

    With ``capability``, a member who lacks it gets a 403 naming their role:
    they know the organisation exists, so hiding it would only confuse.
    """
    user = request.user
    if not user.is_authenticated:
        raise Http404
    try:
        organisation = Organisation.objects.get(slug=slug, kind=Organisation.Kind.CLIENT)
    except Organisation.DoesNotExist:
        raise Http404 from None
    role = role_in(user, organisation)
    if role is None:
        raise Http404
    if capability is not None and not can(role, capability):
        raise PermissionDenied(
            _("Your role (%(role)s) cannot do this.") % {"role": Role(role).label})
    return Access(organisation, role)


def partner_organisations_of(user: User) -> list[Organisation]:
    """The climate-partner organisations where ``user`` is partner staff (may serve and create clients)."""
    if not user.is_authenticated:
        return []
    return list(Organisation.objects.filter(
        kind=Organisation.Kind.PARTNER, memberships__user=user, memberships__role=Role.PARTNER))


def partner_of(request: HttpRequest) -> Organisation:
    """The partner organisation the user serves as partner staff (``?partner=slug`` picks one of several)."""
    partners = partner_organisations_of(request.user) if isinstance(request.user, User) else []
    wanted = request.GET.get("partner")
    for partner in sorted(partners, key=lambda p: p.name):
        if wanted in (None, partner.slug):
            return partner
    raise Http404
