"""Erasure and retention: personal data goes, anonymous statistics and one audit line stay,
pending events are cancelled and a CRM GDPR delete is queued."""

import datetime as dt

from sqlalchemy import select, text

from core.extensions import db
from leads.lifecycle import pipeline
from leads.models import AuditEntry, Lead, Note, OutboxEvent, utcnow
from leads.privacy.erase import erase_lead, months_before, purge_expired
from leads.queue import outbox
from leads.queue.events import Kind
from tests.support.staff import (
    csrf_token,
    login,
    make_user,
)

ERASE_KIND = Kind.CONTACT_ERASE


def all_text_in_database() -> str:
    """Dump every row of every table as text (to look for leftovers of a person)."""
    dump = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(text(f'SELECT * FROM "{table.name}"')):
            dump.append(repr(tuple(row)))
    return "\n".join(dump)


def busy_lead(make_lead):
    lead = make_lead(
        full_name="Greta Example",
        phone="+46 8 123",
        crm_contact_id="901",
        inquiry={"message": "Call Greta on +46 8 123", "referrer": "https://x.se/greta"},
    )
    staff = make_user()
    pipeline.add_note(lead, staff, "Greta prefers mornings")
    pipeline.change_stage(lead, "contacted", staff, reason="spoke to Greta")
    done = outbox.enqueue("crm", "lead.upserted", lead_id=lead.id, payload={"email": lead.email})
    db.session.commit()
    outbox.mark_done([done])
    db.session.commit()
    return lead


def test_cli_erase_removes_the_person_and_queues_the_crm_delete(app, runner, make_lead):
    lead = busy_lead(make_lead)
    email = lead.email
    result = runner.invoke(args=["privacy", "erase", email.upper()])
    assert result.exit_code == 0, result.output

    db.session.expire_all()
    lead = db.session.get(Lead, lead.id)
    assert lead.email is None
    assert lead.full_name == ""
    assert lead.phone == ""
    assert lead.erased_at is not None
    assert lead.stage == "contacted"
    assert lead.country_slugs == ["serbia"]
    assert lead.inquiries[0].answers == {}
    assert lead.inquiries[0].message == ""
    assert db.session.scalar(select(Note)) is None

    erase_event = db.session.scalars(select(OutboxEvent).filter_by(kind=ERASE_KIND)).one()
    assert (erase_event.channel, erase_event.status) == ("crm", "pending")
    assert erase_event.payload == {"email": email, "crm_contact_id": "901"}
    others = db.session.scalars(select(OutboxEvent).where(OutboxEvent.kind != ERASE_KIND)).all()
    assert {e.status for e in others} == {"cancelled", "done"}
    assert all(e.payload == {} for e in others)

    erased = db.session.scalars(select(AuditEntry).filter_by(action="erased")).one()
    assert erased.lead_id == lead.id
    assert erased.reason == "request"

    # The only place the email survives is the pending CRM delete; nothing else names Greta.
    dump = all_text_in_database()
    assert dump.count(email) == 1
    assert "Greta" not in dump
    assert "+46 8 123" not in dump


def test_cli_erase_of_an_unknown_email_fails(app, runner):
    result = runner.invoke(args=["privacy", "erase", "nobody@example.org"])
    assert result.exit_code == 1
    assert "no lead" in result.output


def test_erasing_twice_is_harmless(app, make_lead):
    lead = make_lead()
    erase_lead(lead)
    db.session.commit()
    erase_lead(lead)
    db.session.commit()
    assert len(db.session.scalars(select(OutboxEvent).filter_by(kind=ERASE_KIND)).all()) == 1


def test_a_delivered_erasure_forgets_the_email(app, make_lead):
    lead = make_lead()
    erase_lead(lead)
    db.session.commit()
    event = db.session.scalars(select(OutboxEvent).filter_by(kind=ERASE_KIND)).one()
    outbox.mark_done([event])
    db.session.commit()
    purge_expired(24)
    db.session.refresh(event)
    assert event.payload == {}


def test_purge_expired_erases_only_inactive_leads(app, runner, make_lead):
    stale = make_lead(last_activity_at=utcnow() - dt.timedelta(days=800))
    fresh = make_lead(last_activity_at=utcnow() - dt.timedelta(days=30))
    result = runner.invoke(args=["privacy", "purge-expired"])
    assert result.exit_code == 0, result.output
    assert "1 lead(s) inactive for more than 24 months erased" in result.output
    db.session.expire_all()
    assert db.session.get(Lead, stale.id).erased_at is not None
    assert db.session.get(Lead, fresh.id).email is not None
    entry = db.session.scalars(select(AuditEntry).filter_by(action="erased")).one()
    assert entry.reason == "retention"


def test_months_before_handles_month_ends():
    assert months_before(dt.datetime(2026, 3, 31, 10), 1) == dt.datetime(2026, 2, 28, 10)
    assert months_before(dt.datetime(2026, 1, 15), 24) == dt.datetime(2024, 1, 15)
    assert months_before(dt.datetime(2026, 1, 15), 13) == dt.datetime(2024, 12, 15)


def test_erase_from_the_lead_page_needs_confirmation(app, client, make_lead):
    lead = make_lead()
    login(client, make_user())
    page = client.get(f"/staff/leads/{lead.id}/erase").get_data(as_text=True)
    assert "cannot be undone" in page
    token = csrf_token(client, f"/staff/leads/{lead.id}/erase")
    unconfirmed = client.post(
        f"/staff/leads/{lead.id}/erase", data={"csrf_token": token, "reason": "request"}
    )
    assert unconfirmed.status_code == 400
    db.session.refresh(lead)
    assert lead.erased_at is None
    confirmed = client.post(
        f"/staff/leads/{lead.id}/erase",
        data={"csrf_token": token, "reason": "request", "confirm": "y"},
    )
    assert confirmed.status_code == 302
    db.session.refresh(lead)
    assert lead.erased_at is not None
    assert lead.email is None
    page = client.get(f"/staff/leads/{lead.id}/").get_data(as_text=True)
    assert f"Lead {lead.id} (erased)" in page
    assert client.get(f"/staff/leads/{lead.id}/erase").status_code == 409


def test_erase_and_export_recognise_the_address_as_the_forms_do(app, runner, make_lead):
    make_lead(email="anna@example.de")
    typed = " ＡＮＮＡ@Example.DE "  # full-width letters and capitals, as people paste them
    assert runner.invoke(args=["privacy", "export", typed]).exit_code == 0
    assert runner.invoke(args=["privacy", "erase", typed]).exit_code == 0
    assert runner.invoke(args=["privacy", "export", "anna@example.de"]).exit_code == 1
