"""flask privacy export EMAIL: everything stored about a person, as JSON."""

import json

import pytest

from tests.support.capture import inquiry_data, submit

pytestmark = pytest.mark.usefixtures("later")


def test_export_prints_lead_inquiries_consent_and_attribution(client, runner):
    client.get("/contact/?utm_source=qr&utm_campaign=stockholm")
    submit(client, "/contact/", inquiry_data(email="Anna.Mueller@example.de"))
    submit(client, "/report/", {"email": "anna.mueller@example.de", "consent": "y"})

    result = runner.invoke(args=["privacy", "export", "ANNA.MUELLER@example.de"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {
        "lead",
        "inquiries",
        "consent_records",
        "attribution",
        "notes",
        "timeline",
        "plan",
        "introductions",
    }
    assert data["lead"]["email"] == "anna.mueller@example.de"
    assert data["lead"]["full_name"] == "Anna Müller"
    assert data["lead"]["countries"] == ["north-macedonia", "serbia"]
    assert [i["kind"] for i in data["inquiries"]] == ["inquiry", "report"]
    assert data["inquiries"][0]["answers"]["message"].startswith("We plan")
    assert [c["purpose"] for c in data["consent_records"]] == ["answer_inquiry", "send_report"]
    assert all(
        c["notice_version"] == "2026-12-01" and c["granted"] for c in data["consent_records"]
    )
    assert data["attribution"][0]["utm_source"] == "qr"
    assert data["attribution"][0]["utm_campaign"] == "stockholm"
    assert (
        data["attribution"][0]["landing_page"] == "/contact/?utm_source=qr&utm_campaign=stockholm"
    )


def test_export_of_an_unknown_address_exits_1(runner, make_lead):
    make_lead(email="someone@example.de")
    result = runner.invoke(args=["privacy", "export", "nobody@example.de"])
    assert result.exit_code == 1
    assert "no lead" in result.output
