"""One TOTP code posted from parallel sessions at the same moment signs in exactly once."""

import threading

import pyotp

from core.extensions import db
from leads.models import StaffUser
from leads.staff import auth
from tests.support.staff import csrf_token, make_user, post_login

PARALLEL = 6


def test_a_code_used_in_parallel_database_sessions_is_accepted_once(app):
    user = make_user(totp=True)
    user_id, secret = user.id, user.totp_secret
    code = pyotp.TOTP(secret).now()
    db.session.remove()
    barrier = threading.Barrier(PARALLEL)
    results: list[bool] = []

    def attempt():
        with app.app_context():
            account = db.session.get(StaffUser, user_id)  # each read sees the unused counter
            barrier.wait()
            results.append(auth.verify_totp(account, code))
            db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * (PARALLEL - 1) + [True]


def test_a_code_posted_from_parallel_browsers_signs_in_once(app):
    user = make_user(totp=True)
    code = pyotp.TOTP(user.totp_secret).now()
    clients = []
    for _ in range(PARALLEL):
        client = app.test_client()
        assert post_login(client, user.email).status_code == 302
        clients.append((client, csrf_token(client, "/staff/login/code")))
    db.session.remove()
    barrier = threading.Barrier(PARALLEL)
    statuses: list[int] = []

    def post(client, token):
        with app.app_context():
            barrier.wait()
            response = client.post("/staff/login/code", data={"code": code, "csrf_token": token})
            statuses.append(response.status_code)
            db.session.remove()

    threads = [threading.Thread(target=post, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302] + [401] * (PARALLEL - 1)
