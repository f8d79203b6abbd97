"""``flask staff …``: organisations and staff accounts."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from core.extensions import db
from leads.common.access import ADMIN
from leads.lifecycle.organisations import sync_organisations
from leads.models import Notify, Organisation, StaffUser
from leads.staff import auth

staff_cli = AppGroup("staff", help="Organisations and staff accounts.")


@staff_cli.command("orgs")
def orgs_command() -> None:
    """List organisations as SLUG<TAB>COUNTRY<TAB>NAME."""
    for org in db.session.scalars(select(Organisation).order_by(Organisation.slug)):
        click.echo(f"{org.slug}\t{org.country}\t{org.name}")


@staff_cli.command("sync-orgs")
def sync_orgs_command() -> None:
    """Load the organisations from the data file (safe to repeat)."""
    changed = sync_organisations()
    click.echo(f"organisations up to date ({changed} added or changed)")


def _read_password() -> str:
    """Read a new password twice, from the terminal prompt or from stdin."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    first = sys.stdin.readline().rstrip("\r\n")
    second = sys.stdin.readline().rstrip("\r\n")
    if first != second:
        raise click.ClickException("the two passwords differ")
    return first


def _user(email: str) -> StaffUser:
    user = auth.find_user(email)
    if user is None:
        raise click.ClickException(f"no account for {email}")
    return user


def profile_options(command):
    """Add the options of what investors and colleagues see of an account, and its notices."""
    options = (
        click.option("--name", "display_name", help="Name shown to investors."),
        click.option("--title", "job_title", help="Job title shown to investors."),
        click.option(
            "--available/--not-available",
            "available_for_leads",
            default=None,
            help="Takes new leads in the round robin (default: available).",
        ),
        click.option(
            "--notify",
            type=click.Choice([n.value for n in Notify]),
            help="Email for each new lead, a daily digest, or none (default: each).",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


@staff_cli.command("create")
@click.argument("email")
@click.option("--org", "org_slug", required=True, help="Organisation slug (see flask staff orgs).")
@click.option("--role", required=True, type=click.Choice(auth.ROLES))
@profile_options
def create_command(email: str, org_slug: str, role: str, **profile) -> None:
    """Create a staff account; the password is read twice from a prompt or stdin."""
    password = _read_password()
    try:
        user = auth.create_staff_user(email, org_slug, role, password, **profile)
    except auth.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    note = " (two-factor set-up is required at first sign-in)" if role == ADMIN else ""
    click.echo(f"created {user.email} ({role}, {org_slug}){note}")


@staff_cli.command("profile")
@click.argument("email")
@profile_options
def profile_command(email: str, **profile) -> None:
    """Change an account's name, title, availability for new leads or notice choice."""
    user = _user(email)
    try:
        changed = auth.update_profile(user, None, **profile)
    except auth.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{user.email}: " + (", ".join(changed) + " changed" if changed else "no change"))


@staff_cli.command("password")
@click.argument("email")
def password_command(email: str) -> None:
    """Set a new password (read twice) and end the account's sessions."""
    user = _user(email)
    try:
        auth.set_password(user, _read_password())
    except auth.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"password changed for {user.email}; its sessions are ended")


@staff_cli.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Close an account and end its sessions."""
    user = _user(email)
    auth.deactivate(user)
    db.session.commit()
    click.echo(f"deactivated {user.email}")


@staff_cli.command("reset-2fa")
@click.argument("email")
def reset_two_factor_command(email: str) -> None:
    """Remove an account's two-factor secret (a lost phone); admins enrol again at sign-in."""
    user = _user(email)
    user.totp_secret = None
    user.totp_last_counter = None
    auth.rotate_session_token(user)
    db.session.commit()
    click.echo(f"two-factor removed for {user.email}; its sessions are ended")


@staff_cli.command("list")
def list_command() -> None:
    """List accounts as EMAIL<TAB>ORG<TAB>ROLE<TAB>STATE."""
    users = db.session.scalars(select(StaffUser).order_by(StaffUser.email))
    for user in users:
        state = "active" if user.active else "inactive"
        two_factor = "2fa" if user.totp_secret else "no-2fa"
        takes = "available" if user.available_for_leads else "not-available"
        click.echo(
            f"{user.email}\t{user.organisation.slug}\t{user.role}\t{state}\t{two_factor}"
            f"\t{takes}\t{user.notify}\t{user.display_name}"
        )
