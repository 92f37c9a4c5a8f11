"""The demo organisations and their users (one shared demo password).

Names follow the web tests' cast: in Nordlys alice is the admin, olga the
sustainability ombudsman (bærekraftombud), carl a contributor, emma an
employee and aud the auditor; petra works for the climate partner; mallory
is the admin of another client and sees nothing of Nordlys.
"""

from __future__ import annotations

from dataclasses import dataclass

from klimabok.accounts.models import Membership, Organisation, User
from klimabok.accounts.roles import Role

# Only for the demo: documented in the README and printed by `klimabok demo logins`.
DEMO_PASSWORD = "klimabok-demo"  # noqa: S105


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    legal_name: str
    org_number: str  # nine digits, valid mod-11 check digit
    kind: str
    partner_slug: str | None = None
    consolidation: str = ""
    lei: str = ""  # fictitious, with valid ISO 17442 check digits: the demo's iXBRL report needs one


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    organisation_slug: str
    role: str


ORGANISATIONS = (
    DemoOrganisation("klimapartner", "Klimapartner AS", "Klimapartner AS", "931502840",
                     Organisation.Kind.PARTNER),
    DemoOrganisation("nordlys", "Nordlys Kundesenter AS", "Nordlys Kundesenter AS", "928467139",
                     Organisation.Kind.CLIENT, partner_slug="klimapartner",
                     consolidation=Organisation.Consolidation.OPERATIONAL_CONTROL,
                     lei="5299KLIMABOKDEMO0142"),
    DemoOrganisation("fjordbakst", "Fjordbakst AS", "Fjordbakst AS", "998702151",
                     Organisation.Kind.CLIENT),
)

USERS = (
    DemoUser("alice@nordlys.example", "Alice Berg", "nordlys", Role.ADMIN),
    DemoUser("olga@nordlys.example", "Olga Haugen", "nordlys", Role.OMBUDSMAN),
    DemoUser("carl@nordlys.example", "Carl Lie", "nordlys", Role.CONTRIBUTOR),
    DemoUser("emma@nordlys.example", "Emma Dahl", "nordlys", Role.EMPLOYEE),
    DemoUser("aud@revisor.example", "Aud Moen", "nordlys", Role.AUDITOR),
    DemoUser("petra@klimapartner.example", "Petra Strand", "klimapartner", Role.PARTNER),
    DemoUser("mallory@fjordbakst.example", "Mallory Fjeld", "fjordbakst", Role.ADMIN),
)

DEMO_SLUGS = tuple(o.slug for o in ORGANISATIONS)


def remove_demo_people() -> None:
    """Delete the demo organisations (with everything in them) and the demo users."""
    # Clients first: a partner organisation is protected while it has clients.
    Organisation.objects.filter(slug__in=DEMO_SLUGS, kind=Organisation.Kind.CLIENT).delete()
    Organisation.objects.filter(slug__in=DEMO_SLUGS).delete()
    User.objects.filter(email__in=[u.email for u in USERS]).delete()


def create_demo_people() -> dict[str, Organisation]:
    """Create the demo organisations, users and memberships; the organisations by slug."""
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        organisations[spec.slug] = Organisation.objects.create(
            slug=spec.slug, name=spec.name, legal_name=spec.legal_name, org_number=spec.org_number,
            kind=spec.kind, consolidation=spec.consolidation,
            identifier_scheme=Organisation.IdentifierScheme.LEI if spec.lei else "", identifier=spec.lei,
            partner=organisations[spec.partner_slug] if spec.partner_slug else None)
    for person in USERS:
        user = User.objects.create_user(person.email, DEMO_PASSWORD, name=person.name)
        Membership.objects.create(user=user, organisation=organisations[person.organisation_slug],
                                  role=person.role)
    return organisations
