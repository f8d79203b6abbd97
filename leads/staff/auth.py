"""Staff authentication: argon2 passwords, per-user session tokens, lockout and TOTP.

The session holds ``"<user id>:<session token>"``. The user loader accepts it only while the
token matches the account's current one and the account is active, so rotating the token (logout,
password change, deactivation) kills every copy of an old cookie.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import cast

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from core.extensions import db, login_manager
from leads.capture.text import clean_line, normalise_email
from leads.common.access import ADMIN, ROLES, sees_all
from leads.lifecycle import audit
from leads.lifecycle.audit import Action
from leads.models import Notify, Organisation, StaffUser

MAX_FAILED_LOGINS = 10
FAILED_WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12
TOTP_ISSUER = "Western Balkans Outsourcing"

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """An account cannot be created or changed as asked."""


class StaffSession(UserMixin):
    """The signed-in staff user as Flask-Login sees it; attributes read through to the account."""

    def __init__(self, user: StaffUser) -> None:
        self.user = user

    def __getattr__(self, name: str):
        return getattr(self.user, name)

    def get_id(self) -> str:
        """Return the session identity: the account id and its current session token."""
        return f"{self.user.id}:{self.user.session_token}"

    @property
    def is_active(self) -> bool:
        """Tell whether the account may sign in."""
        return bool(self.user.active)

    @property
    def is_admin(self) -> bool:
        """Tell whether the user manages accounts and sees everything."""
        return self.user.role == ADMIN

    @property
    def sees_all_leads(self) -> bool:
        """Tell whether the user sees every lead (admins and coordinators)."""
        return sees_all(self.user)


@login_manager.user_loader
def load_user(identity: str) -> StaffSession | None:
    """Return the signed-in user if the session token in the cookie is still current."""
    user_id, _, token = identity.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(StaffUser, int(user_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return StaffSession(user)


def new_session_token() -> str:
    """Return a fresh random session token."""
    return secrets.token_urlsafe(32)


def rotate_session_token(user: StaffUser) -> None:
    """Invalidate every session of a user (the caller commits)."""
    user.session_token = new_session_token()


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def check_password(user: StaffUser | None, password: str) -> bool:
    """Tell whether a password is right (in constant time, also for unknown users)."""
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    if user is None:
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


def find_user(email: str) -> StaffUser | None:
    """Return the account with this email, if any."""
    return db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == normalise_email(email))
    )


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a password check: the user, or why not."""

    user: StaffUser | None
    error: str = ""  # "" | "invalid"


def is_locked(user: StaffUser, now: dt.datetime) -> bool:
    """Tell whether an account refuses sign-in attempts right now."""
    return user.locked_until is not None and user.locked_until > now


def record_failure(user: StaffUser, now: dt.datetime) -> None:
    """Count a wrong two-factor code; the tenth within 15 minutes locks the code step.

    Only someone who knows the password reaches the code step, so this cannot be used to lock
    out an owner by guessing; the password step is throttled instead (``throttle``).
    """
    if user.first_failed_at is None or now - user.first_failed_at > FAILED_WINDOW:
        user.first_failed_at = now
        user.failed_logins = 0
    user.failed_logins += 1
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until = now + LOCKOUT
        user.failed_logins = 0
        user.first_failed_at = None


def clear_failures(user: StaffUser) -> None:
    """Forget failed attempts after a successful sign-in."""
    user.failed_logins = 0
    user.first_failed_at = None
    user.locked_until = None


def authenticate(email: str, password: str) -> LoginResult:
    """Check an email and password, the same way whether the account exists or not.

    Failed attempts are throttled per account and source by the caller (``throttle``), never
    by locking the account: a lockout would let anyone keep its owner out.
    """
    user = find_user(email)
    if not check_password(user, password) or user is None or not user.active:
        return LoginResult(None, "invalid")
    db.session.commit()  # a rehashed password
    return LoginResult(user)


def needs_totp_enrolment(user: StaffUser) -> bool:
    """Tell whether a user must set up two-factor sign-in first (admins must)."""
    return user.role == ADMIN and not user.totp_secret


def new_totp_secret() -> str:
    """Return a new random TOTP secret (base32)."""
    return pyotp.random_base32()


def provisioning_uri(email: str, secret: str) -> str:
    """Return the otpauth:// URI an authenticator app imports."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)


def matching_counter(secret: str, code: str, at: float | None = None) -> int | None:
    """Return the time step a code belongs to (now, or one step either side), else None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if at is None else at
    current = totp.timecode(now)
    for counter in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None


def verify_totp(user: StaffUser, code: str, *, secret: str | None = None) -> bool:
    """Accept a TOTP code once: a code (or an earlier one) already used is refused."""
    secret = secret or user.totp_secret
    if not secret:
        return False
    counter = matching_counter(secret, code)
    if counter is None:
        return False
    # Check and set in one statement: of any number of parallel posts of one code, exactly one
    # changes the row (the others wait for its row lock, then find the counter spent).
    spent = db.session.execute(
        update(StaffUser)
        .where(
            StaffUser.id == user.id,
            or_(StaffUser.totp_last_counter.is_(None), StaffUser.totp_last_counter < counter),
        )
        .values(totp_last_counter=counter)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult, spent).rowcount != 1:  # an UPDATE's result is a CursorResult
        return False
    db.session.commit()  # the code is spent now, whatever the rest of the request does
    set_committed_value(user, "totp_last_counter", counter)
    return True


def check_password_strength(password: str) -> None:
    """Refuse passwords that are too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")


PROFILE_FIELDS = ("display_name", "job_title", "available_for_leads", "notify")


def _checked_profile(values: dict) -> dict:
    values = {name: value for name, value in values.items() if value is not None}
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise AccountError(f"not a profile field: {', '.join(sorted(unknown))}")
    if "notify" in values and values["notify"] not in {n.value for n in Notify}:
        raise AccountError(f"unknown notice choice {values['notify']!r}")
    return {
        name: " ".join(clean_line(value, 120).split()) if isinstance(value, str) else bool(value)
        for name, value in values.items()
    }


def update_profile(user: StaffUser, actor: StaffUser | None = None, **values) -> list[str]:
    """Change the name, title, availability or notice choice of an account (audited).

    Returns the names of the fields that changed; the caller commits.
    """
    changed = []
    for name, value in _checked_profile(values).items():
        before = getattr(user, name)
        if value != before:
            audit.record(
                None, actor, Action.STAFF_PROFILE, f"{user.email} {name}: {before}", str(value)
            )
            setattr(user, name, value)
            changed.append(name)
    return changed


def create_staff_user(email: str, org_slug: str, role: str, password: str, **profile) -> StaffUser:
    """Create a staff account of an organisation (the caller commits).

    ``profile`` may set ``display_name``, ``job_title``, ``available_for_leads`` and ``notify``.
    """
    email = normalise_email(email)
    if "@" not in email:
        raise AccountError(f"not an email address: {email}")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    organisation = db.session.scalar(select(Organisation).filter_by(slug=org_slug))
    if organisation is None:
        raise AccountError(f"unknown organisation {org_slug!r}: see flask staff orgs")
    if find_user(email) is not None:
        raise AccountError(f"an account for {email} exists already")
    check_password_strength(password)
    user = StaffUser(
        email=email,
        password_hash=hash_password(password),
        organisation=organisation,
        organisation_id=organisation.id,
        role=role,
        active=True,
        session_token=new_session_token(),
    )
    for name, value in _checked_profile(profile).items():
        setattr(user, name, value)
    db.session.add(user)
    return user


def set_password(user: StaffUser, password: str) -> None:
    """Change a password and sign the user out everywhere (the caller commits)."""
    check_password_strength(password)
    user.password_hash = hash_password(password)
    clear_failures(user)
    rotate_session_token(user)


def deactivate(user: StaffUser) -> None:
    """Close an account and end its sessions (the caller commits)."""
    user.active = False
    rotate_session_token(user)
