"""Erasure reaches the written mail; exports hold the staff notes and the timeline's reasons."""

import json
from pathlib import Path

from core.extensions import db
from leads.lifecycle import pipeline
from leads.models import Lead
from tests.support.mail import submit_inquiry
from tests.support.staff import login, make_user


def mail_files(app) -> list[Path]:
    return sorted(Path(app.config["MAIL_FOLDER"]).glob("*.eml"))


def test_erase_deletes_the_persons_mail_from_the_mail_folder(app, runner):
    submit_inquiry("eva@example.at")
    submit_inquiry("other@example.at", full_name="Otto Other")
    assert runner.invoke(args=["mail", "send"]).exit_code == 0
    folder = Path(app.config["MAIL_FOLDER"])
    (folder / "copy-kept-by-hand.eml").write_bytes(mail_files(app)[0].read_bytes())
    assert len(mail_files(app)) == 5  # team mail and acknowledgement each, and the copy

    result = runner.invoke(args=["privacy", "erase", "eva@example.at"])
    assert result.exit_code == 0, result.output
    left = [path.read_bytes() for path in mail_files(app)]
    assert len(left) == 2  # Otto's two messages stay
    assert not any(b"eva@example.at" in raw or b"Eva Gruber" in raw for raw in left)
    assert all(b"other@example.at" in raw for raw in left)


def busy_lead(make_lead):
    lead = make_lead(full_name="Greta Example", phone="+46 8 123")
    staff = make_user()
    pipeline.add_note(lead, staff, "Greta prefers mornings, call +46 8 123")
    pipeline.change_stage(lead, "contacted", staff, reason="spoke to Greta on +46 8 123")
    db.session.commit()
    return lead


def test_cli_export_holds_notes_and_timeline_reasons(app, runner, make_lead):
    lead = busy_lead(make_lead)
    result = runner.invoke(args=["privacy", "export", lead.email])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [n["body"] for n in data["notes"]] == ["Greta prefers mornings, call +46 8 123"]
    reasons = [entry["reason"] for entry in data["timeline"]]
    assert "spoke to Greta on +46 8 123" in reasons


def test_staff_page_export_holds_notes_and_timeline_reasons(app, client, make_lead):
    lead_id = busy_lead(make_lead).id
    login(client, make_user("admin2@example.org", role="coordinator"))
    data = json.loads(client.get(f"/staff/leads/{lead_id}/export.json").get_data(as_text=True))
    assert data["notes"][0]["body"].startswith("Greta prefers")
    assert any(e["reason"] == "spoke to Greta on +46 8 123" for e in data["timeline"])
    assert db.session.get(Lead, lead_id).email in json.dumps(data)
