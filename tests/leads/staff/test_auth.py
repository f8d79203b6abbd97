"""Staff accounts and sign-in: argon2, session tokens, throttling, idle timeout, TOTP, next."""

import re
import time

import pyotp
import pytest

from core.extensions import db
from leads.staff import auth, throttle
from tests.support.staff import (
    CSRF,
    PASSWORD,
    csrf_token,
    login,
    make_user,
    post_form,
    post_login,
)


def test_create_reads_the_password_twice_from_stdin(app, runner):
    result = runner.invoke(
        args=["staff", "create", "Ana@Example.org", "--org", "ipa-serbia", "--role", "country"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    user = auth.find_user("ana@example.org")
    assert user.email == "ana@example.org"
    assert user.organisation.slug == "ipa-serbia"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--org", "ipa-serbia", "--role", "country"], f"{PASSWORD}\nother password!!\n", "differ"),
        (["--org", "nowhere", "--role", "country"], f"{PASSWORD}\n{PASSWORD}\n", "unknown org"),
        (["--org", "ipa-serbia", "--role", "country"], "short\nshort\n", "at least 12"),
        (["--org", "ipa-serbia", "--role", "boss"], f"{PASSWORD}\n{PASSWORD}\n", "boss"),
    ],
)
def test_create_refuses_bad_input(app, runner, args, stdin, message):
    result = runner.invoke(args=["staff", "create", "b@example.org", *args], input=stdin)
    assert result.exit_code != 0
    assert message in result.output
    assert auth.find_user("b@example.org") is None


def test_there_is_no_sign_up_and_the_form_has_the_documented_fields(client):
    page = client.get("/staff/login").get_data(as_text=True)
    for name in ('name="email"', 'name="password"', 'name="csrf_token"'):
        assert name in page
    assert client.get("/staff/signup").status_code == 404
    assert client.get("/staff/register").status_code == 404


def test_sign_in_and_out(app, client):
    user = make_user()
    response = login(client, user)
    assert response.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    post_form(client, "/staff/logout")
    assert client.get("/staff/").status_code == 302


def test_wrong_password_is_refused(app, client):
    make_user()
    response = post_login(client, "coord@example.org", "wrong password here")
    assert response.status_code == 401
    assert "Wrong email or password" in response.get_data(as_text=True)
    assert post_login(client, "nobody@example.org").status_code == 401
    assert client.get("/staff/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(app, client):
    user = make_user()
    response = login(client, user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize("app_overrides", [{"SESSION_COOKIE_SECURE": True}])
def test_session_cookie_is_secure_over_https(app, client):
    user = make_user()
    https = {"base_url": "https://localhost"}
    page = client.get("/staff/login", **https).get_data(as_text=True)
    token = CSRF.search(page).group(1)
    response = client.post(
        "/staff/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        headers={"Referer": "https://localhost/staff/login"},  # Flask-WTF's strict HTTPS check
        **https,
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_copied_cookie_dies_at_logout(app, client):
    user = make_user()
    login(client, user)
    stolen = client.get_cookie("session").value
    post_form(client, "/staff/logout")

    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/staff/leads/")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


def test_a_password_change_ends_other_sessions_but_keeps_this_one(app, client):
    user = make_user()
    login(client, user)
    other = app.test_client()
    login(other, user)
    response = post_form(
        client,
        "/staff/account/password",
        {"current": PASSWORD, "new": "a brand new passphrase", "confirm": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert other.get("/staff/").status_code == 302
    assert auth.authenticate(user.email, "a brand new passphrase").user is not None


def test_deactivation_ends_the_session(app, client, runner):
    user = make_user()
    login(client, user)
    result = runner.invoke(args=["staff", "deactivate", user.email])
    assert result.exit_code == 0, result.output
    assert client.get("/staff/").status_code == 302
    assert post_login(client, user.email).status_code == 401


def test_password_command_resets_and_ends_sessions(app, client, runner):
    user = make_user()
    login(client, user)
    new = "another long passphrase"
    result = runner.invoke(args=["staff", "password", user.email], input=f"{new}\n{new}\n")
    assert result.exit_code == 0, result.output
    assert client.get("/staff/").status_code == 302
    assert auth.authenticate(user.email, new).user is not None


ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def post_from(client, source, email, password=PASSWORD):
    token = csrf_token(client)
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/staff/login", data=data, environ_base=source)


def flashed(response) -> str:
    match = re.search(
        r'<p class="flash[^"]*"[^>]*>(.*?)</p>', response.get_data(as_text=True), re.S
    )
    return re.sub(r"\d+ seconds", "N seconds", match.group(1).strip()) if match else ""


def test_failures_slow_that_account_and_source_but_never_lock_out_the_owner(app):
    user = make_user()
    attacker, owner = app.test_client(), app.test_client()
    free = [post_from(attacker, ATTACKER, user.email, "wrong!").status_code for _ in range(5)]
    assert free == [401] * throttle.FREE_FAILURES  # then the pair must wait
    held = post_from(attacker, ATTACKER, user.email)  # even the right password waits its turn
    assert held.status_code == 429
    assert "Please wait 2 seconds" in held.get_data(as_text=True)
    assert "administrator can set a new password" in held.get_data(as_text=True)
    assert post_from(owner, OWNER, user.email).status_code == 302  # the owner is not held up
    time.sleep(2.1)
    assert post_from(attacker, ATTACKER, user.email, "wrong!").status_code == 401
    assert "Please wait 4 seconds" in post_from(attacker, ATTACKER, user.email).get_data(
        as_text=True
    )


def test_delays_grow_and_are_capped():
    assert [throttle.delay_for(n) for n in range(4, 9)] == [0, 2, 4, 8, 16]
    assert throttle.delay_for(100) == throttle.MAX_DELAY


def test_existing_and_unknown_accounts_get_the_same_answers(app):
    make_user()
    answers = {}
    for email, source in (("coord@example.org", ATTACKER), ("nobody@example.org", OWNER)):
        client = app.test_client()
        answers[email] = [
            (r.status_code, flashed(r))
            for r in (post_from(client, source, email, "wrong!") for _ in range(7))
        ]
    assert answers["coord@example.org"] == answers["nobody@example.org"]
    assert {status for status, _message in answers["nobody@example.org"]} == {401, 429}


def test_a_successful_sign_in_clears_the_failures(app):
    user = make_user()
    client = app.test_client()
    for _ in range(4):
        post_from(client, ATTACKER, user.email, "wrong!")
    assert post_from(client, ATTACKER, user.email).status_code == 302
    client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/account/")})
    for _ in range(4):
        assert post_from(client, ATTACKER, user.email, "wrong!").status_code == 401


def test_idle_sessions_end(app, client):
    user = make_user()
    login(client, user)
    with client.session_transaction() as session:
        session["staff_seen"] = time.time() - app.permanent_session_lifetime.total_seconds() - 5
    response = client.get("/staff/leads/")
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]
    assert client.get("/staff/").status_code == 302


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/staff/leads/?stage=new", "/staff/leads/?stage=new"),
        ("https://evil.example/", "/staff/"),
        ("//evil.example/", "/staff/"),
        ("/\\evil.example/", "/staff/"),
        ("javascript:alert(1)", "/staff/"),
    ],
)
def test_next_only_goes_to_local_paths(app, client, next_url, expected):
    user = make_user()
    response = post_login(client, user.email, next_url=next_url.replace("?", "%3F"))
    assert response.headers["Location"] == expected


def test_the_login_redirect_remembers_the_page(app, client):
    response = client.get("/staff/leads/?stage=new")
    assert response.status_code == 302
    assert "next=/staff/leads/?stage%3Dnew" in response.headers["Location"] or (
        "next=%2Fstaff%2Fleads%2F%3Fstage%3Dnew" in response.headers["Location"]
    )


def test_two_factor_users_need_a_code_and_each_code_works_once(app, client):
    user = make_user(totp=True)
    response = post_login(client, user.email)
    assert response.headers["Location"] == "/staff/login/code"
    assert client.get("/staff/").status_code == 302  # not signed in yet
    code = pyotp.TOTP(user.totp_secret).now()
    token = csrf_token(client, "/staff/login/code")
    wrong = client.post("/staff/login/code", data={"code": "000000", "csrf_token": token})
    assert wrong.status_code == 401
    right = client.post("/staff/login/code", data={"code": code, "csrf_token": token})
    assert right.status_code == 302
    assert client.get("/staff/").status_code == 200
    post_form(client, "/staff/logout")

    # The same code again (a replay) is refused.
    post_login(client, user.email)
    token = csrf_token(client, "/staff/login/code")
    replay = client.post("/staff/login/code", data={"code": code, "csrf_token": token})
    assert replay.status_code == 401
    assert client.get("/staff/").status_code == 302


def test_the_code_step_needs_the_password_step(app, client):
    assert client.get("/staff/login/code").headers["Location"] == "/staff/login"
    assert client.get("/staff/login/two-factor").headers["Location"] == "/staff/login"


def test_admins_must_enrol_in_two_factor(app, client):
    admin = make_user("admin@example.org", "brand-lead", "admin")
    response = post_login(client, admin.email)
    assert response.headers["Location"] == "/staff/login/two-factor"
    assert client.get("/staff/").status_code == 302
    page = client.get("/staff/login/two-factor").get_data(as_text=True)
    assert "otpauth://totp/" in page
    with client.session_transaction() as session:
        secret = session["staff_enrol_secret"]
    assert secret in page
    token = csrf_token(client, "/staff/login/two-factor")
    code = pyotp.TOTP(secret).now()
    response = client.post("/staff/login/two-factor", data={"code": code, "csrf_token": token})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    db.session.refresh(admin)
    assert admin.totp_secret == secret


def test_anyone_may_turn_on_two_factor(app, client):
    user = make_user(role="country", org="ipa-serbia")
    login(client, user)
    page = client.get("/staff/account/two-factor").get_data(as_text=True)
    assert "otpauth://" in page
    with client.session_transaction() as session:
        secret = session["staff_enrol_secret"]
    code = pyotp.TOTP(secret).now()
    post_form(client, "/staff/account/two-factor", {"code": code}, "/staff/account/two-factor")
    db.session.refresh(user)
    assert user.totp_secret == secret


def test_totp_codes_are_single_use_at_the_function_level(app):
    user = make_user(totp=True)
    code = pyotp.TOTP(user.totp_secret).now()
    assert auth.verify_totp(user, code)
    assert not auth.verify_totp(user, code)
    assert not auth.verify_totp(user, "abcdef")


@pytest.mark.parametrize(
    "app_overrides", [{"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}]
)
def test_sign_in_attempts_are_limited_per_address(app, client):
    make_user()
    statuses = [post_login(client, "coord@example.org", "wrong!").status_code for _ in range(4)]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3] == 429
