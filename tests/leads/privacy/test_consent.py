"""Consent withdrawal: appended to the record, queued mail stops, from the CLI and the lead page."""

from sqlalchemy import select

from core.extensions import db
from leads.models import AuditEntry, ConsentRecord, OutboxEvent
from leads.queue import outbox
from tests.support.staff import csrf_token, login, make_user


def queued_mail(lead):
    event = outbox.enqueue("mail", "investor.acknowledgement", lead_id=lead.id)
    db.session.commit()
    return event


def test_cli_withdrawal_appends_a_record_and_stops_queued_mail(app, runner, make_lead):
    lead = make_lead(email="sofia@example.se")
    mail = queued_mail(lead)

    result = runner.invoke(args=["privacy", "withdraw", "Sofia@Example.se"])

    assert result.exit_code == 0, result.output
    assert "consent withdrawn: inquiry" in result.output
    records = db.session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)).all()
    assert [(r.purpose, r.granted) for r in records] == [("inquiry", True), ("inquiry", False)]
    assert records[1].notice_version == records[0].notice_version
    assert db.session.get(OutboxEvent, mail.id).status == outbox.CANCELLED
    assert db.session.scalar(select(AuditEntry).filter_by(action="consent_withdrawn"))

    again = runner.invoke(args=["privacy", "withdraw", "sofia@example.se"])
    assert "no consent to withdraw" in again.output
    assert db.session.query(ConsentRecord).count() == 2


def test_cli_withdrawal_for_an_unknown_address_fails(app, runner):
    result = runner.invoke(args=["privacy", "withdraw", "nobody@example.org"])
    assert result.exit_code == 1


def test_staff_record_a_withdrawal_from_the_lead_page(app, client, make_lead):
    lead = make_lead()
    login(client, make_user())
    page = client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert "Record consent withdrawal" in page

    token = csrf_token(client, f"/staff/leads/{lead.id}/")
    response = client.post(f"/staff/leads/{lead.id}/consent/withdraw", data={"csrf_token": token})

    assert response.status_code == 302
    page = client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert "withdrawn" in page
    assert "Record consent withdrawal" not in page
    latest = db.session.scalars(select(ConsentRecord).order_by(ConsentRecord.id.desc())).first()
    assert latest.granted is False
    assert latest.form == "staff"
