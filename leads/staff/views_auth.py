"""Sign-in, two-factor, sign-out and one's own account."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from core.extensions import db, limiter
from leads.models import StaffUser, utcnow
from leads.staff import auth, throttle
from leads.staff.blueprint import SEEN_KEY, bp, safe_next
from leads.staff.forms import ButtonForm, CodeForm, LoginForm, PasswordChangeForm, ProfileForm

PENDING_KEY = "staff_pending"
ENROL_KEY = "staff_enrol_secret"
PENDING_SECONDS = 300


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _complete_login(user: StaffUser, next_url: str | None):
    """Start a full session for a user who passed every sign-in step."""
    session.clear()
    session.permanent = True
    auth.clear_failures(user)
    user.last_login_at = utcnow()
    db.session.commit()
    login_user(auth.StaffSession(user))
    session[SEEN_KEY] = time.time()
    return redirect(safe_next(next_url) or url_for("staff.dashboard"))


def _pending_user() -> StaffUser | None:
    """Return the user between password and second factor, if that step is still fresh."""
    pending = session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(StaffUser, pending["id"])
    if user is None or not user.active or user.session_token != pending["token"]:
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Sign in with email and password (then a code when two-factor is on)."""
    if current_user.is_authenticated:
        return redirect(url_for("staff.dashboard"))
    form = LoginForm()
    next_url = safe_next(request.args.get("next"))
    status = 200
    if form.validate_on_submit():
        email, source = form.email.data, request.remote_addr or ""
        wait = throttle.wait_seconds(email, source)
        result = auth.authenticate(email, form.password.data) if not wait else None
        if result is None:
            flash(
                _(
                    "Too many failed attempts from this connection. Please wait %(seconds)s "
                    "seconds and try again; an administrator can set a new password for you.",
                    seconds=wait,
                ),
                "error",
            )
            status = 429
        elif result.user is not None:
            throttle.clear(email, source)
            user = result.user
            if not user.totp_secret and not auth.needs_totp_enrolment(user):
                return _complete_login(user, next_url)
            session.pop(ENROL_KEY, None)
            session[PENDING_KEY] = {
                "id": user.id,
                "token": user.session_token,
                "at": time.time(),
                "next": next_url,
            }
            if user.totp_secret:
                return redirect(url_for("staff.login_code"))
            return redirect(url_for("staff.login_enrol"))
        else:
            throttle.record_failure(email, source)
            flash(_("Wrong email or password."), "error")
            status = 401
    return render_template("leads/staff/login.html", form=form), status


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login_code():
    """Check the authenticator code of a user who gave the right password."""
    user = _pending_user()
    if user is None:
        return redirect(url_for("staff.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        now = utcnow()
        if auth.is_locked(user, now):
            flash(_("Too many failed attempts. Try again in 15 minutes."), "error")
            return render_template("leads/staff/code.html", form=form), 429
        if auth.verify_totp(user, form.code.data):
            return _complete_login(user, session.get(PENDING_KEY, {}).get("next"))
        auth.record_failure(user, now)
        db.session.commit()
        form.code.errors.append(_("That code is not valid (or was used already)."))
        status = 401
    return render_template("leads/staff/code.html", form=form), status


def _enrolment(user: StaffUser, form: CodeForm, template: str, **context):
    secret = session.get(ENROL_KEY)
    if not secret:
        secret = session[ENROL_KEY] = auth.new_totp_secret()
    return render_template(
        template,
        form=form,
        secret=secret,
        uri=auth.provisioning_uri(user.email, secret),
        **context,
    )


@bp.route("/login/two-factor", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login_enrol():
    """Set up two-factor sign-in before the first session (required for admins)."""
    user = _pending_user()
    if user is None:
        return redirect(url_for("staff.login"))
    form = CodeForm()
    secret = session.get(ENROL_KEY)
    if form.validate_on_submit() and secret:
        if auth.verify_totp(user, form.code.data, secret=secret):
            user.totp_secret = secret
            next_url = session.get(PENDING_KEY, {}).get("next")
            flash(_("Two-factor sign-in is on."), "success")
            return _complete_login(user, next_url)
        form.code.errors.append(_("That code is not valid. Check the clock of your device."))
    return _enrolment(user, form, "leads/staff/enrol.html", required=True)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out, ending every copy of this session."""
    form = ButtonForm()
    if form.validate_on_submit():
        user = db.session.get(StaffUser, current_user.id)
        auth.rotate_session_token(user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are signed out."), "info")
    return redirect(url_for("staff.login"))


def _account_page(status: int = 200, **forms):
    user = current_user.user
    forms.setdefault("password_form", PasswordChangeForm())
    forms.setdefault("profile_form", ProfileForm(obj=user))
    return render_template("leads/staff/account.html", logout_form=ButtonForm(), **forms), status


@bp.route("/account/")
def account():
    """Show one's account: name and title shown to investors, notices, two-factor, password."""
    return _account_page()


@bp.route("/account/profile", methods=["POST"])
def update_profile():
    """Change one's name, title, availability for new leads and notice choice (audited)."""
    form = ProfileForm()
    user = current_user.user
    if not form.validate_on_submit():
        return _account_page(400, profile_form=form)
    changed = auth.update_profile(
        user,
        user,
        display_name=form.display_name.data or "",
        job_title=form.job_title.data or "",
        available_for_leads=form.available_for_leads.data,
        notify=form.notify.data,
    )
    db.session.commit()
    flash(_("Your profile is saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("staff.account"))


@bp.route("/account/password", methods=["POST"])
def change_password():
    """Change one's password; other sessions end."""
    form = PasswordChangeForm()
    user = current_user.user
    if form.validate_on_submit():
        if not auth.check_password(user, form.current.data):
            form.current.errors.append(_("That is not your current password."))
        else:
            auth.set_password(user, form.new.data)
            db.session.commit()
            login_user(auth.StaffSession(user))  # this session carries the new token
            flash(_("Your password is changed. Other sessions are signed out."), "success")
            return redirect(url_for("staff.account"))
    return _account_page(400, password_form=form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
def two_factor():
    """Turn on (or renew) two-factor sign-in for one's account."""
    user = current_user.user
    form = CodeForm()
    secret = session.get(ENROL_KEY)
    if form.validate_on_submit() and secret:
        if auth.verify_totp(user, form.code.data, secret=secret):
            user.totp_secret = secret
            db.session.commit()
            session.pop(ENROL_KEY, None)
            flash(_("Two-factor sign-in is on."), "success")
            return redirect(url_for("staff.account"))
        form.code.errors.append(_("That code is not valid. Check the clock of your device."))
    return _enrolment(user, form, "leads/staff/enrol.html", required=False)
