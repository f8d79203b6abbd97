"""The mail relay: team notification and acknowledgement, to a folder or a real SMTP server."""

import datetime as dt
import email
import email.policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.extensions import db
from leads.models import Lead, Organisation, OutboxEvent, utcnow
from leads.notify import messages
from leads.notify.relay import send_pending
from leads.queue import outbox
from tests.support.apps import ROOT
from tests.support.mail import free_port, read_folder, submit_inquiry, text_of


def test_without_smtp_messages_land_in_the_mail_folder(app, runner):
    submit_inquiry()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output
    mails = read_folder(app)
    team, ack = (m for _name, m in sorted(mails.items()))
    assert team["To"] == app.config["LEAD_INBOX"]
    assert "Gruber IT GmbH" in team["Subject"]
    assert "Serbia, Kosovo" in team["Subject"]
    assert team["Reply-To"].addresses[0].addr_spec == "eva@example.at"
    team_body = text_of(team)
    assert "We need 20 developers." in team_body
    assert "utm_campaign: vienna" in team_body
    assert ack["To"].addresses[0].addr_spec == "eva@example.at"
    assert "within 2 working days" in text_of(ack)
    statuses = db.session.scalars(select(OutboxEvent.status).where(OutboxEvent.channel == "mail"))
    assert set(statuses) == {outbox.DONE}
    assert runner.invoke(args=["mail", "send"]).output.startswith("sent 0")


def test_team_mail_goes_to_the_routed_organisation(app):
    recorded = submit_inquiry()
    org = db.session.scalars(select(Organisation).where(Organisation.email.is_not(None))).first()
    if org is None:
        org = db.session.scalars(select(Organisation)).first()
        org.email = "leads@ras.example"
    db.session.get(Lead, recorded.lead_id).organisation = org
    db.session.commit()
    send_pending()
    recipients = [m["To"] for m in read_folder(app).values()]
    assert org.email in recipients
    assert app.config["LEAD_INBOX"] not in recipients


GERMAN_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
GERMAN_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip


def test_acknowledgement_is_in_the_investors_language(app):
    recorded = submit_inquiry(preferred_language="de")
    send_pending()
    ack = next(m for name, m in read_folder(app).items() if "acknowledgement" in name)
    body = " ".join(text_of(ack).split())  # the text is wrapped: compare words, not lines
    # The deadline, written out in German in the team's time zone (Belgrade).
    due = db.session.get(Lead, recorded.lead_id).response_due_at
    local = due.replace(tzinfo=dt.UTC).astimezone(ZoneInfo("Europe/Belgrade"))
    weekday, month = GERMAN_WEEKDAYS[local.weekday()], GERMAN_MONTHS[local.month - 1]
    zone = "Mitteleuropäische Sommerzeit" if local.dst() else "Mitteleuropäische Normalzeit"
    by = f"{weekday}, {local.day}. {month} {local.year}, {local:%H:%M} {zone}"
    assert f"Wir antworten innerhalb von 2 Arbeitstagen, spätestens am {by}." in body
    assert ack["Subject"].startswith("Vielen Dank für Ihre Anfrage")


def test_no_line_break_reaches_a_header(app):
    # Data that bypassed the forms (an import, a staff edit) must still be header-safe.
    recorded = submit_inquiry(full_name="Eva\r\nBcc: victim@example.com", company="X\nY: z")
    send_pending()
    for message in read_folder(app).values():
        assert message["Bcc"] is None
        assert message["Y"] is None
        for name, value in message.items():
            assert "\r" not in str(value), name
            assert "\n" not in str(value), name
    assert db.session.get(Lead, recorded.lead_id).full_name.startswith("Eva")


def test_the_mail_policy_refuses_line_breaks_in_headers():
    message = EmailMessage(policy=messages.POLICY)
    with pytest.raises(ValueError, match="linefeed or carriage return"):
        message["Subject"] = "Hello\r\nBcc: victim@example.com"
    assert messages.header_text("Hello\r\nBcc: x\x00") == "HelloBcc: x"


def test_erased_lead_gets_no_mail(app):
    recorded = submit_inquiry()
    db.session.get(Lead, recorded.lead_id).email = None
    db.session.commit()
    result = send_pending()
    assert result.cancelled == 2
    assert result.sent == 0
    assert read_folder(app) == {}


def test_report_is_promised_then_sent_once_published(app, tmp_path):
    submit_inquiry(email_address="reader@example.com", kind="report")
    first = send_pending()
    assert first.sent == 2
    (promise,) = [m for n, m in read_folder(app).items() if "investor.report" in n]
    assert "not published yet" in promise.get_content()
    event = db.session.scalar(select(OutboxEvent).where(OutboxEvent.kind == "investor.report"))
    assert event.status == outbox.PENDING
    assert event.available_at > utcnow()

    assert send_pending().sent == 0  # not due yet
    event.available_at = utcnow()
    db.session.commit()
    assert send_pending().deferred == 1  # due, but still unpublished: no second promise

    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF")
    app.config["REPORT_FILE"] = str(report)
    event.available_at = utcnow()
    db.session.commit()
    assert send_pending().sent == 1
    db.session.refresh(event)
    assert event.status == outbox.DONE
    reports = [m for n, m in read_folder(app).items() if "investor.report" in n]
    assert "/report/download/" in reports[0].get_content()


def test_smtp_delivers_to_a_real_local_server(app, runner, smtp_server):
    submit_inquiry()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    recipients = sorted(rcpt for env in smtp_server.envelopes for rcpt in env.rcpt_tos)
    assert recipients == sorted([app.config["LEAD_INBOX"], "eva@example.at"])
    raw = next(env.content for env in smtp_server.envelopes if "eva@" in env.rcpt_tos[0])
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert "within 2 working days" in text_of(parsed)
    assert read_folder(app) == {}


def test_smtp_outage_is_retried_later(app, runner):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)
    submit_inquiry()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 1
    events = db.session.scalars(select(OutboxEvent).where(OutboxEvent.channel == "mail")).all()
    assert {(e.status, e.attempts) for e in events} == {(outbox.FAILED, 1)}
    assert all("ConnectionRefusedError" in e.last_error for e in events)


def test_the_mail_worker_sends_as_mail_arrives_and_stops_cleanly_on_sigterm(app, backend):
    import os
    import signal
    import subprocess
    import sys
    import time

    if backend != "sqlite":
        pytest.skip("one process-level run is enough")
    env = {
        **os.environ,
        "APP_CONFIG": "testing",
        "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_MAIL_FOLDER": app.config["MAIL_FOLDER"],
        "FLASK_CONTENT_DIR": app.config["CONTENT_DIR"],
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "wsgi",
            "mail",
            "send",
            "--loop",
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        submit_inquiry()  # queued while the worker is already running
        deadline = time.monotonic() + 60
        while len(read_folder(app)) < 2:
            assert time.monotonic() < deadline, "the worker sent nothing"
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0].decode()
        assert worker.returncode == 0, output
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.communicate()
    db.session.expire_all()
    assert {
        e.status for e in db.session.scalars(select(OutboxEvent).filter_by(channel="mail"))
    } == {outbox.DONE}


# An RFC 2047 encoded word that decodes to CR/LF: on CPython before 3.11.10 (CVE-2024-6923) the
# header folder writes the decoded line breaks out, injecting headers and a body.
ENCODED_INJECTION = (
    "Anna =?utf-8?q?=0D=0ABcc:_x@evil.example=0D=0ASubject:_Your_invoice=0D=0A=0D=0APlease_pay?="
)


def _assert_clean(raw: bytes) -> EmailMessage:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    names = [name.lower() for name in parsed]
    assert "bcc" not in names, names
    assert names.count("subject") == 1, names
    assert names[:3] == ["from", "to", "subject"], names
    assert not text_of(parsed).startswith("Please pay")
    for name, value in parsed.items():
        assert "\r" not in str(value), name
        assert "\n" not in str(value), name
    return parsed


@pytest.mark.parametrize("field", ["full_name", "company"])
def test_an_encoded_word_in_a_form_field_injects_no_header_or_body(app, field):
    submit_inquiry(**{field: ENCODED_INJECTION})
    result = send_pending()
    assert result.sent == 2, result.errors
    assert result.dead == 0, result.errors
    for path in Path(app.config["MAIL_FOLDER"]).glob("*.eml"):
        parsed = _assert_clean(path.read_bytes())
        # The typed text is kept as text, readable, with the encoded word broken up.
        shown = " ".join(str(parsed[n]) for n in ("To", "Reply-To", "Subject") if parsed[n])
        if field == "company" and "team" in path.name:
            assert "Anna = ?utf-8?q?" in shown
        if field == "full_name":
            assert "Anna = ?utf-8?q?" in shown


def test_an_encoded_word_reaches_no_header_over_smtp(app, smtp_server):
    submit_inquiry(full_name=ENCODED_INJECTION, company=ENCODED_INJECTION)
    assert send_pending().sent == 2
    recipients = sorted(rcpt for env in smtp_server.envelopes for rcpt in env.rcpt_tos)
    assert recipients == sorted([app.config["LEAD_INBOX"], "eva@example.at"])
    for envelope in smtp_server.envelopes:
        _assert_clean(envelope.content)


def test_every_header_value_is_stripped_of_encoded_words():
    assert "=?" not in messages.header_text(ENCODED_INJECTION)
    assert "?=" not in messages.header_text(ENCODED_INJECTION)
    assert messages.header_text("Müller & Söhne GmbH") == "Müller & Söhne GmbH"
    with pytest.raises(messages.UnsendableError):
        messages.address("Eva", "=?utf-8?q?x?=@example.com")


def test_serialised_mail_is_checked_before_it_is_sent():
    # Whatever the interpreter's folder does, a message whose bytes carry a header that was
    # not set is refused: simulate a folder that writes a decoded line break out.
    message = EmailMessage(policy=messages.POLICY)
    message["From"] = "gateway@example.org"
    message["To"] = "eva@example.at"
    message["Subject"] = "Hello"
    message.set_content("Body")
    data, recipients = messages.serialise(message)
    assert recipients == ["eva@example.at"]
    assert b"Subject: Hello" in data

    class LeakyMessage(EmailMessage):
        def as_bytes(self, *args, **kwargs):
            return (
                super()
                .as_bytes(*args, **kwargs)
                .replace(b"Subject: Hello", b"Subject: Hello\r\nBcc: x@evil.example")
            )

    leaky = LeakyMessage(policy=messages.POLICY)
    for name, value in message.items():
        leaky[name] = value
    leaky.set_content("Body")
    with pytest.raises(messages.UnsafeMessageError):
        messages.serialise(leaky)


def test_bcc_goes_to_the_envelope_not_the_headers():
    message = EmailMessage(policy=messages.POLICY)
    message["From"] = "gateway@example.org"
    message["To"] = "eva@example.at"
    message["Bcc"] = "inbox@example.org"
    message["Subject"] = "Hello"
    message.set_content("Body")
    data, recipients = messages.serialise(message)
    assert recipients == ["eva@example.at", "inbox@example.org"]
    assert b"inbox@example.org" not in data
