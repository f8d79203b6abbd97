"""No single parameter makes a page fail: bad values answer 400 or an error beside the field.

The named cases (a signalling NaN, a 309-digit number, ``endpoint`` and ``_method`` in a
query, a superscript digit in a header) each have a test; then hypothesis fuzzes every
parameter of every GET page of the app (found from its URL map, the parameters from what each
page reads) as an anonymous visitor, a coordinator and a country user, and the webhook headers.
"""

from __future__ import annotations

import json
import os
import time
from typing import ClassVar
from urllib.parse import urlencode

import pytest
from flask import Request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import BuildError

from core.extensions import db
from gateway.content_app import get_store
from leads.crm import webhooks
from leads.lifecycle import pipeline, referrals
from tests.hubspot_double.server import sign_v3, webhook_request
from tests.support.inbound import LEADS_URL, PATH, SECRET, batch
from tests.support.staff import csrf_token, login, make_user

HUGE = "9" * 309
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "8")),
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def app_overrides():
    return {"HUBSPOT_CLIENT_SECRET": SECRET, "LEADS_URL": LEADS_URL}


# -- the named cases ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "page", ["/costs/", "/de/costs/", "/costs/estimate/", "/sv/costs/estimate/"]
)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("factor_software=sNaN", "Enter a number such as 1.25."),
        ("factor_service=-sNaN", "Enter a number such as 1.25."),
        ("factor_finance=NaN", "Enter a number such as 1.25."),
        ("factor_software=Infinity", "Enter a number such as 1.25."),
        ("factor_software=1e999999", "Enter a number such as 1.25."),
        (f"team={HUGE}", "Enter a team size from 5 to 500 people."),
        (f"team=-{HUGE}", "Enter a team size from 5 to 500 people."),
        ("team=%C2%B2", "Enter a team size from 5 to 500 people."),
        ("team=1e3", "Enter a team size from 5 to 500 people."),
        (f"mix=custom&software={HUGE}&service=0&finance=0", "Enter a share from 0 to 100 per"),
        (f"mix=custom&software=50&service={HUGE}&finance=0", "Enter a share from 0 to 100 per"),
    ],
)
def test_a_bad_number_on_the_estimator_is_an_error_beside_its_field(client, page, query, message):
    response = client.get(f"{page}?{query}")
    assert response.status_code in (200, 400)
    body = response.get_data(as_text=True)
    if page.startswith("/costs/"):  # the English pages say it in English
        assert message in body


def test_the_number_messages_are_translated(client):
    german = client.get(f"/de/costs/?team={HUGE}").get_data(as_text=True)
    assert "Bitte geben Sie eine Teamgröße von 5 bis 500 Personen ein." in german
    swedish = client.get("/sv/costs/?factor_software=sNaN").get_data(as_text=True)
    assert "Ange ett tal, till exempel 1,25." in swedish


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (HUGE, "This number is too large."),
        ("9" * 19, "This number is too large."),
        ("1.5", "Enter a whole number, digits only."),
        ("²", "Enter a whole number, digits only."),
    ],
)
def test_an_outcome_number_out_of_reach_is_refused_beside_its_field(
    client, staff_world, value, message
):
    login(client, staff_world["coordinator"])
    lead = staff_world["lead"]
    page = f"/staff/leads/{lead.id}/"
    data = {
        "csrf_token": csrf_token(client, page),
        "stage": "won",
        "won_country": "serbia",
        "jobs_planned": value,
        "investment_eur": value,
        "land_date": "2027-01-01",
    }
    response = client.post(f"{page}stage", data=data)
    assert response.status_code == 400
    assert response.get_data(as_text=True).count(message) >= 2
    db.session.expire_all()
    assert db.session.get(type(lead), lead.id).stage != "won"


@pytest.fixture
def staff_world(app, make_lead):
    """A lead shared between organisations with a pending referral, and two staff users."""
    lead = make_lead(countries=("serbia",))
    pipeline.route(lead)
    coordinator = make_user()
    country = make_user("sr@example.org", "ipa-serbia", "country")
    referrals.refer(lead, "ipa-north-macedonia", country, "Skopje?")
    db.session.commit()
    return {"lead": lead, "coordinator": coordinator, "country": country}


@pytest.mark.parametrize("role", ["coordinator", "country"])
@pytest.mark.parametrize(
    "url",
    [
        f"/staff/leads/?score_min={HUGE}",
        f"/staff/leads/?score_max={HUGE}",
        "/staff/leads/?score_min=%C2%B2",
        f"/staff/leads/?score_min=-{HUGE}&score_max={HUGE}",
    ],
)
def test_a_huge_score_filter_is_an_error_beside_the_field(client, staff_world, role, url):
    login(client, staff_world[role])
    response = client.get(url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "between 0 and 1000" in body
    csv = client.get(url.replace("/staff/leads/", "/staff/leads/export.csv"))
    assert csv.status_code == 302
    assert "/staff/leads/?" in csv.headers["Location"]
    assert HUGE not in csv.headers["Location"] or "score_" in csv.headers["Location"]


STAFF_PAGES = [
    "/staff/",
    "/staff/leads/",
    "/staff/leads/export.csv",
    "/staff/impact/",
    "/staff/impact.csv",
    "/staff/account/",
    "/staff/sync/",
    "/staff/leads/{lead}/",
    "/staff/leads/{lead}/export.json",
]


@pytest.mark.parametrize("role", ["coordinator", "country"])
@pytest.mark.parametrize("extra", ["endpoint=x", "_method=POST", "_external=1", "_anchor=x"])
def test_url_for_arguments_in_a_query_break_no_staff_page(client, staff_world, role, extra):
    login(client, staff_world[role])
    for page in STAFF_PAGES:
        url = page.format(lead=staff_world["lead"].id)
        response = client.get(f"{url}?{extra}&sort=score&org=ipa-serbia")
        assert response.status_code < 500, (url, extra)
        body = response.get_data(as_text=True)
        assert extra not in body, (url, extra)  # never carried into the page's links


@pytest.mark.parametrize("stamp", ["²", "³", "¹²³", "1²", "²" * 16, "½", " 1", "-1", "1" * 17])
def test_a_webhook_timestamp_that_is_no_ascii_number_is_refused(client, stamp):
    body, headers = webhook_request([{"eventId": 1}], uri=LEADS_URL + PATH, secret=SECRET)
    headers[webhooks.TIMESTAMP_HEADER] = stamp
    headers[webhooks.SIGNATURE_HEADER] = sign_v3(SECRET, "POST", LEADS_URL + PATH, body, stamp)
    response = client.post(PATH, data=body, headers=headers)
    assert response.status_code == 401
    assert not webhooks.verify(SECRET, "POST", LEADS_URL + PATH, body, headers)


# -- the fuzz -----------------------------------------------------------------------------------
class RecordingArgs(ImmutableMultiDict):
    """Query parameters that note every name a page asks for."""

    asked: ClassVar[set[str]] = set()

    def __getitem__(self, key):
        RecordingArgs.asked.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        RecordingArgs.asked.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        RecordingArgs.asked.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        RecordingArgs.asked.add(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    parameter_storage_class = RecordingArgs


NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "2",
    "5",
    "50",
    HUGE,
    "-" + HUGE,
    "9" * 5000,
    "1e309",
    "sNaN",
    "-sNaN",
    "NaN",
    "Infinity",
    "0x10",
    "1_000",
    "²",
    "١٢",
    "½",
    "\x00",
    "%00",
    "\r\n",
    "\u202e",
    "😀" * 20,
    "x" * 3000,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "//evil.example",
    "javascript:alert(1)",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "-2026-01-01",
    "2026-W01",
    "POST",
    "x",
    "none",
    "custom",
    "software",
    "serbia",
    "albania",
    "de",
    "sv",
    "score",
    "-created",
    "owned",
    "shared",
    "y",
    "true",
    "ipa-serbia",
    "absl-western-balkans",
]
EXTRA_NAMES = ["endpoint", "_method", "_external", "_anchor", "_scheme", "lang", "page", "next"]
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.from_regex(r"-?[0-9]{1,400}(\.[0-9]{1,20})?(e-?[0-9]{1,6})?", fullmatch=True),
)


def get_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in ("static",)
    ]


def example_urls(app, lead_id: int) -> list[str]:
    """Return one URL of every GET rule, with real slugs where the page needs one."""
    store = get_store()

    def first(kind: str) -> str:
        return store.slugs(kind)[0]

    values_of = {
        "public.case_study": {"slug": first("case-studies")},
        "public.case_studies_by_country": {"slug": "serbia"},
        "public.case_studies_by_sector": {"slug": first("sectors")},
        "public.country": {"slug": "serbia"},
        "factsheets.fact_sheet": {"slug": "serbia"},
        "public.event": {"slug": first("events")},
        "capture.meeting": {"slug": first("events")},
        "capture.meeting_thanks": {"slug": first("events")},
        "public.sector": {"slug": first("sectors")},
    }
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in get_rules(app):
            given_values = dict(values_of.get(rule.endpoint, {}))
            if "lead_id" in rule.arguments:
                given_values["lead_id"] = lead_id
            if "token" in rule.arguments:
                given_values["token"] = "x.y"
            if "lang" in rule.arguments and rule.rule.startswith("/<"):
                given_values["lang"] = "de"
            try:
                url = url_for(rule.endpoint, **given_values)
            except BuildError:  # a rule needing other values: its sibling rule covers it
                continue
            if url not in urls:
                urls.append(url)
    # The fact sheet is a PDF rendered once per language; one of them is enough here.
    pdfs = [u for u in urls if u.endswith(".pdf")]
    return [u for u in urls if not u.endswith(".pdf")] + pdfs[:1]


def parameters_read(client, urls: list[str]) -> dict[str, list[str]]:
    """Return, per URL, the query parameters the page asks for (found by asking it)."""
    found = {}
    for url in urls:
        RecordingArgs.asked = set()
        # Some pages read nothing of an empty query: ask with one parameter.
        client.get(url, query_string="probe=1").close()
        found[url] = sorted(RecordingArgs.asked)
    return found


def fuzz_pages(app, client, urls):
    app.request_class = RecordingRequest
    read = parameters_read(client, urls)
    failures = []
    for url in urls:
        names = sorted({*read[url], *EXTRA_NAMES})
        query = st.lists(
            st.tuples(st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=8)), values),
            min_size=1,
            max_size=6,
        )
        fuzz_one_page(client, url, query, failures)
    assert failures == []
    return read


def fuzz_one_page(client, url: str, query, failures: list) -> None:
    """Send a page the drawn query strings; a 5xx fails (and is noted with its query)."""

    @FUZZ
    @given(pairs=query)
    def check(pairs):
        with client.get(url, query_string=urlencode(pairs)) as response:
            status = response.status_code
        if status >= 500:
            failures.append((url, pairs, status))
        assert status < 500, (url, pairs)

    check()


def test_no_public_or_staff_get_parameter_gives_a_server_error_anonymously(
    app, client, staff_world
):
    started = time.perf_counter()
    urls = example_urls(app, staff_world["lead"].id)
    assert len(urls) >= 40
    read = fuzz_pages(app, client, urls)
    # The parameters each page reads were found, so the fuzz aims at them.
    assert {"team", "factor_software", "country", "mix"} <= set(read["/costs/"])
    print(f"\n{len(urls)} pages fuzzed anonymously in {time.perf_counter() - started:.1f} s")


@pytest.mark.parametrize("role", ["coordinator", "country"])
def test_no_get_parameter_gives_a_server_error_to_staff(app, client, staff_world, role):
    login(client, staff_world[role])
    urls = [u for u in example_urls(app, staff_world["lead"].id) if u.startswith("/staff/")]
    urls += ["/costs/", "/contact/", "/de/costs/estimate/"]  # a signed-in user on public pages
    read = fuzz_pages(app, client, urls)
    assert {"score_min", "score_max", "sort", "q"} <= set(read["/staff/leads/"])
    assert {"org", "from", "to"} <= set(read["/staff/impact/"])


latin1 = st.text(
    alphabet=st.characters(max_codepoint=255, blacklist_characters="\r\n\x00"), max_size=40
)
header_values = st.one_of(
    st.sampled_from(["", "²", "³", "¹", "½", "0", "-1", "9" * 16, "9" * 17, HUGE, "sNaN", " "]),
    latin1,
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


def test_no_webhook_header_gives_a_server_error(app, client):
    body, signed = webhook_request(batch(1, size=2), uri=LEADS_URL + PATH, secret=SECRET)

    @FUZZ
    @given(
        stamp=st.one_of(st.none(), header_values),
        signature=st.one_of(st.none(), header_values, st.just("signed")),
        extra=st.dictionaries(
            st.sampled_from(
                [
                    "Content-Type",
                    "X-HubSpot-Signature",
                    "X-HubSpot-Signature-Version",
                    "Content-Length-X",
                ]
            ),
            header_values,
            max_size=3,
        ),
        raw_body=st.one_of(
            st.just(body), st.binary(max_size=200), st.just(json.dumps([{}]).encode())
        ),
    )
    def check(stamp, signature, extra, raw_body):
        headers = dict(extra)
        if stamp is not None:
            headers[webhooks.TIMESTAMP_HEADER] = stamp
            if signature == "signed":
                signature = sign_v3(SECRET, "POST", LEADS_URL + PATH, raw_body, stamp)
        if signature is not None:
            headers[webhooks.SIGNATURE_HEADER] = signature
        response = client.post(PATH, data=raw_body, headers=headers)
        assert response.status_code < 500, (headers, raw_body)

    check()
    # A correctly signed batch still gets in.
    assert client.post(PATH, data=body, headers=signed).status_code == 204
