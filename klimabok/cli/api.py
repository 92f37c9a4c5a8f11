"""``klimabok api-token create`` and ``revoke``: bearer tokens for the JSON API (``/api/v1/``)."""

from __future__ import annotations

import typer

from klimabok.cli import django_setup, fail, reports_errors

app = typer.Typer(no_args_is_help=True)


@app.command()
@reports_errors
def create(user: str = typer.Option(..., "--user", help="E-mail address of the user the token acts as."),
           org: str = typer.Option("", "--org", help="Organisation slug (default: the user's only one)."),
           name: str = typer.Option("", "--name", help="What the token is for, e.g. 'ERP integration'."),
           ) -> None:
    """Create a token and print it once: only its SHA-256 is stored, so it cannot be shown again."""
    django_setup()
    from klimabok.accounts.models import Organisation, User
    from klimabok.api.tokens import create_token

    account = User.objects.filter(email=user.strip().lower()).first()
    if account is None:
        fail(f"no user {user}")
        return
    organisation = None
    if org:
        organisation = Organisation.objects.filter(slug=org).first()
        if organisation is None:
            fail(f"no organisation {org}")
            return
    row, token = create_token(account, organisation, name)
    typer.echo(f"API token {row.pk} for {account.email} in {row.organisation.slug} "
               f"(stored as a hash: copy it now, it is not shown again):", err=True)
    typer.echo(token)


@app.command()
@reports_errors
def revoke(token_id: int = typer.Argument(..., help="The token's ID, as printed when it was created."),
           ) -> None:
    """Revoke a token: every request with it is refused from now on."""
    django_setup()
    from klimabok.api.tokens import revoke_token

    row = revoke_token(token_id)
    typer.echo(f"API token {row.pk} of {row.user.email} is revoked "
               f"(since {row.revoked_at:%Y-%m-%d %H:%M} UTC)")
