from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Organisations (tenants), users, memberships and roles, invitations."""

    name = "klimabok.accounts"
    label = "accounts"
