"""Helpers for the mail tests: leads recorded as the forms record them, the mail folder read
back, and a real SMTP server on a loopback port."""

from __future__ import annotations

import email
import email.policy
import socket
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from core.extensions import db
from leads.capture.service import ConsentProof, Submission, record_submission
from leads.models import Lead

CONSENT = ConsentProof("answer_inquiry", "v1", "0" * 64, "contact", "/contact/")


def submit_inquiry(email_address="eva@example.at", **lead):
    """Record an inquiry (or the ``kind`` given) for Serbia and Kosovo, as the form would."""
    fields = {"full_name": "Eva Gruber", "company": "Gruber IT GmbH", **lead}
    return record_submission(
        Submission(
            kind=lead.pop("kind", "inquiry"),
            email=email_address,
            consent=CONSENT,
            lead=fields,
            countries=("serbia", "kosovo"),
            answers={"message": "We need 20 developers."},
            attribution={"utm_source": "qr", "utm_campaign": "vienna"},
        )
    )


def text_of(message: EmailMessage) -> str:
    """Return the plain-text part of a message (the first reply also has an HTML part)."""
    return message.get_body(("plain",)).get_content()


def read_folder(app) -> dict[str, EmailMessage]:
    """Return the messages written to the app's mail folder, by file name."""
    folder = Path(app.config["MAIL_FOLDER"])
    return {
        path.name: email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(folder.glob("*.eml"))
    }


def inquire(address: str, lang: str = "en", hq: str = "DE", countries=("serbia",), **lead):
    """Record an inquiry in ``lang`` from a company in ``hq``; return its lead."""
    fields = {"full_name": "Eva Gruber", "company": "Gruber IT GmbH", "hq_country": hq}
    fields.update(preferred_language=lang, interest="ict", **lead)
    recorded = record_submission(
        Submission(
            kind="inquiry",
            email=address,
            consent=CONSENT,
            lead=fields,
            inquiry={"headcount_band": "50-249"},
            countries=countries,
            lang=lang,
            answers={"message": "We need 20 developers."},
        )
    )
    return db.session.get(Lead, recorded.lead_id)


class Inbox:
    """What the local SMTP server received."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    """Return a loopback port that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """Run an SMTP server on a free loopback port and point the app's mail at it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, server_hostname="localhost")
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield inbox
    controller.stop()
