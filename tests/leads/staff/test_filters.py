"""Every lead-list parameter is validated: a bad value is a message beside the field, never a 500.

Runs on SQLite and PostgreSQL (where integers overflow and NUL bytes are refused by the server).
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.staff import login, make_user

LIST = "/staff/leads/"
CSV = "/staff/leads/export.csv"
PARAMS = [
    "q",
    "stage",
    "country",
    "sector",
    "source",
    "campaign",
    "score_min",
    "score_max",
    "organisation",
    "owner",
    "created_from",
    "created_to",
    "overdue",
    "high_value",
    "sort",
    "page",
]


@pytest.fixture
def coordinator(app, client, make_lead):
    make_lead(full_name="Anna Serb", countries=("serbia",), score=40)
    user = make_user()
    login(client, user)
    return user


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("score_min=99999999999999999999", "score_min", "between 0 and 1000"),
        ("score_max=9223372036854775808", "score_max", "between 0 and 1000"),
        ("created_to=9999-12-31", "created_to", "between 2000-01-01 and 2999-12-31"),
        ("created_from=0001-01-01", "created_from", "between 2000-01-01 and 2999-12-31"),
        ("q=an%00na", "q", "control characters"),
        ("campaign=spring%00", "campaign", "control characters"),
    ],
)
def test_out_of_range_filter_is_a_message_beside_the_field(
    client, coordinator, query, field, message
):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert message in html
    assert "Anna Serb" in html  # the bad filter is left out; the list still shows


@pytest.mark.parametrize(
    "query", ["created_to=9999-12-31", "score_max=9223372036854775808", "q=%00"]
)
def test_csv_export_with_a_bad_filter_goes_back_to_the_list(client, coordinator, query):
    response = client.get(f"{CSV}?{query}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{LIST}?")
    assert client.get(response.headers["Location"]).status_code == 200


@pytest.mark.parametrize("page", ["99999999999999999999", "2", "²", "-1", "1e9", "0"])
def test_any_page_number_shows_a_page(client, coordinator, page):
    response = client.get(f"{LIST}?page={page}")
    assert response.status_code == 200
    assert "Anna Serb" in response.get_data(as_text=True)  # past the end: the last page


@pytest.mark.parametrize(
    "path",
    [
        "/staff/leads/99999999999999999999/",
        "/staff/leads/2147483648/",
        "/staff/leads/9223372036854775808/export.json",
        "/staff/leads/1/events/99999999999999999999/retry",
    ],
)
def test_huge_ids_are_not_found(client, coordinator, path):
    assert client.get(path).status_code in (404, 405)
    assert client.post(path).status_code in (400, 404, 405)


values = st.one_of(
    st.text(max_size=40),
    st.integers().map(str),
    st.sampled_from(["", "9999-12-31", "0000-00-00", "2026-02-30", "-created", "none", "y"]),
    st.dates().map(str),
    st.just("\x00"),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.dictionaries(st.sampled_from(PARAMS), values, max_size=5), csv=st.booleans())
def test_fuzzed_list_parameters_never_give_a_server_error(client, coordinator, query, csv):
    response = client.get(CSV if csv else LIST, query_string=query)
    assert response.status_code in (200, 302)
    response.get_data()  # the CSV streams: read it all
