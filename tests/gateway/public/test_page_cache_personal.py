"""Nothing made for one visitor (messages, sign-in, tokens) reaches another from the page cache."""

from __future__ import annotations

import pytest

from tests.support.staff import csrf_token, login, make_user

PAGES = ["/sv/about/", "/de/", "/case-studies/cortex-academy-training-results/"]
MESSAGE = "Your profile is saved."


def _save_profile(client) -> None:
    token = csrf_token(client, "/staff/account/")
    response = client.post(
        "/staff/account/profile",
        data={"csrf_token": token, "display_name": "Ana Petrović", "notify": "each"},
    )
    assert response.status_code == 302  # the redirect is not followed: the message waits


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("cached_before", [False, True])
def test_a_flashed_staff_message_is_never_served_to_the_public(live, page, cached_before):
    assert live.config["PAGE_CACHE_MB"]
    if cached_before:
        assert live.test_client().get(page).status_code == 200
    staff = live.test_client()
    login(staff, make_user())
    _save_profile(staff)

    own = staff.get(page)
    assert own.status_code == 200
    assert MESSAGE in own.get_data(as_text=True)  # shown once, to its owner

    for _ in range(12):
        anonymous = live.test_client()
        response = anonymous.get(page)
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert MESSAGE not in text
        assert "flash-success" not in text
        assert 'name="csrf_token"' not in text
    assert MESSAGE not in staff.get(page).get_data(as_text=True)  # and once only


def test_signed_in_staff_pages_are_not_stored(live):
    staff = live.test_client()
    login(staff, make_user())
    staff.get("/sv/about/")
    assert live.extensions["page_cache"].pages == {}
    live.test_client().get("/sv/about/")
    assert len(live.extensions["page_cache"].pages) == 1
