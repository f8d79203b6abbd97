"""No input of any kind makes the form endpoints fail with a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.capture import MEET_URL, hidden_fields

pytestmark = pytest.mark.usefixtures("later")
URLS = ["/contact/", "/de/contact/", MEET_URL, "/report/"]
FIELDS = [
    "full_name",
    "email",
    "company",
    "job_title",
    "phone",
    "company_website",
    "hq_country",
    "interest",
    "countries",
    "project_type",
    "headcount_band",
    "investment_band",
    "timeline",
    "roadshow",
    "preferred_language",
    "message",
    "consent",
    "slot",
    "topics",
    "homepage",
    "rendered_at",
    "csrf_token",
]
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(max_size=300)
nasty = st.sampled_from(
    [
        "",
        "\x00",
        "\r\n",
        "%00",
        "' OR 1=1 --",
        "<script>",
        "\u202e",
        "😀" * 50,
        "a" * 6000,
        "serbia",
        "undecided",
        "y",
        "DE",
        "ict",
        "Day 1 morning",
        "x@example.com",
        "ＡＢ@ｅｘ.ｃｏｍ",
    ]
)
values = st.one_of(text, nasty, st.lists(st.one_of(text, nasty), max_size=4))
forms = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), st.text(max_size=20)), values, max_size=12
)


def ok(status: int) -> bool:
    return status < 500


@SETTINGS
@given(url=st.sampled_from(URLS), data=forms, keep_hidden=st.booleans())
def test_any_form_post_is_answered_without_a_server_error(client, url, data, keep_hidden):
    fields = hidden_fields(client, url) if keep_hidden else {}
    response = client.post(url, data={**fields, **data})
    assert ok(response.status_code), response.status_code


@SETTINGS
@given(
    url=st.sampled_from(URLS),
    body=st.binary(max_size=2000),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "text/plain",
            "application/json",
        ]
    ),
)
def test_any_raw_body_is_answered_without_a_server_error(client, url, body, content_type):
    response = client.post(url, data=body, content_type=content_type)
    assert ok(response.status_code), response.status_code


@SETTINGS
@given(
    path=st.sampled_from(["/contact/", "/report/", "/contact/thanks/", "/report/thanks/"]),
    query=st.dictionaries(st.text(max_size=20), st.text(max_size=100), max_size=5),
    referrer=st.text(max_size=200),
    slug=st.text(max_size=40),
)
def test_any_visit_is_answered_without_a_server_error(client, path, query, referrer, slug):
    clean = referrer.replace("\r", "").replace("\n", "")  # HTTP itself cannot carry these
    headers = {"Referer": clean.encode("utf-8", "replace").decode("latin-1")}
    assert ok(client.get(path, query_string=query, headers=headers).status_code)
    assert ok(client.get(f"/events/{slug}/meet/").status_code)
    assert ok(client.get(f"/report/download/{slug}").status_code)


@pytest.mark.parametrize("body", ["0", "[]", '"text"', "null", '{"email": ["a", 1]}', "{"])
@pytest.mark.parametrize("url", [*URLS, "/staff/login"])
def test_json_bodies_are_refused_like_any_bad_form(client, url, body):
    response = client.post(url, data=body, content_type="application/json")
    assert ok(response.status_code), response.status_code
