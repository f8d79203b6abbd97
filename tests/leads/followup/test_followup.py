"""Follow-up that does not depend on memory: reminder digests, check-ins and unsubscribing."""

from __future__ import annotations

import datetime as dt
import logging
import re

from sqlalchemy import select

from core.extensions import db
from leads.choices import UPDATES
from leads.followup import checkins, items, remind
from leads.followup.models import CheckIn, ReminderDigest
from leads.lifecycle import pipeline
from leads.lifecycle.stages import Stage
from leads.models import AuditEntry, Lead, utcnow
from leads.notify.relay import send_pending
from leads.privacy.consent import granted_purposes
from tests.support.followup import CONSENT, DAY, UPDATES_CONSENT, adviser, inquire, mails  # noqa: F401
from tests.support.staff import make_user


def answered(lead: Lead, at: dt.datetime) -> None:
    """The owner answered at ``at`` (a note), after which the investor went silent."""
    pipeline.add_note(lead, lead.owner, "Called, sent the salary survey.")
    lead.first_response_at = lead.last_activity_at = at
    db.session.commit()


def test_each_owner_gets_one_digest_a_day_and_nothing_more_that_day(app, runner):
    ana = adviser()
    now = utcnow()
    overdue = inquire("late@example.de", received=now - 5 * DAY)
    quiet = inquire("quiet@example.de", company="Quiet AB", received=now - 40 * DAY)
    answered(quiet, now - 20 * DAY)
    inquire("fresh@example.de", company="Fresh GmbH")
    send_pending()

    first = runner.invoke(args=["leads", "remind"])
    assert first.exit_code == 0, first.output
    assert "1 digest(s)" in first.output
    (digest,) = mails(app, "staff.reminders")
    assert digest["To"].addresses[0].addr_spec == ana.email
    body = digest.get_content()
    assert "First responses overdue (1)" in body
    assert "Gruber IT GmbH" in body
    assert "No activity for 14 days (1)" in body
    assert "Quiet AB" in body
    assert "Fresh GmbH" not in body
    assert f"/staff/leads/{overdue.id}/" in body

    again = runner.invoke(args=["leads", "remind"])
    assert again.exit_code == 0
    assert "0 digest(s)" in again.output
    assert len(mails(app, "staff.reminders")) == 1
    (row,) = db.session.scalars(select(ReminderDigest)).all()
    assert row.day == now.date()
    assert {i["section"] for i in row.items} == {"overdue", "quiet"}


def test_the_dashboard_shows_the_same_items(app, client):
    from tests.support.staff import login

    ana = adviser()
    inquire("late@example.de", received=utcnow() - 5 * DAY)
    found = items.owner_items(ana, utcnow())
    assert list(found) == [items.Section.OVERDUE]
    login(client, ana)
    page = client.get("/staff/").get_data(as_text=True)
    assert "Your follow-ups today" in page
    assert "First responses overdue (1)" in page
    assert "Gruber IT GmbH" in page


def test_staff_who_chose_no_notices_get_no_digest(app):
    adviser(notify="none")
    inquire("late@example.de", received=utcnow() - 5 * DAY)
    result = remind.run_reminders()
    assert result.claimed == 0
    assert db.session.scalars(select(ReminderDigest)).all() == []


def test_an_owner_without_an_address_is_skipped_and_logged(app, caplog):
    ana = adviser()
    inquire("late@example.de", received=utcnow() - 5 * DAY)
    ana.email = ""
    db.session.commit()
    with caplog.at_level(logging.WARNING, logger="leads.followup.remind"):
        result = remind.run_reminders()
    assert result.claimed == 0
    assert result.cancelled == 1
    (row,) = db.session.scalars(select(ReminderDigest)).all()
    assert row.status == "skipped"
    assert row.note == "no email address"
    assert f"staff account {ana.id} has no email address" in caplog.text
    assert "@" not in caplog.text  # no personal data in the log
    assert remind.run_reminders().cancelled == 0  # logged once a day, not on every run


def test_a_won_investment_gets_aftercare_at_three_and_twelve_months(app):
    ana = adviser()
    lead = inquire("won@example.de", received=utcnow() - 400 * DAY)
    pipeline.change_stage(lead, Stage.WON, ana)
    db.session.commit()
    won = db.session.scalars(select(AuditEntry).filter_by(lead_id=lead.id, action="stage")).one()
    won.created_at = utcnow() - 100 * DAY
    db.session.commit()
    found = items.owner_items(ana, utcnow())
    assert found[items.Section.AFTERCARE] == [(lead, "3 months after landing")]
    pipeline.add_note(lead, ana, "Aftercare visit: 40 people hired, second floor planned.")
    db.session.commit()
    assert items.Section.AFTERCARE not in items.owner_items(ana, utcnow())
    later = utcnow() + 300 * DAY
    assert items.owner_items(ana, later)[items.Section.AFTERCARE][0][1] == (
        "12 months after landing"
    )


def test_a_later_inquiry_from_the_same_company_is_an_expansion(app):
    ana = adviser()
    first = inquire("cto@gruber.example.de", company_domain="gruber.example.de")
    pipeline.change_stage(first, Stage.WON, ana)
    db.session.commit()
    later = inquire("coo@gruber.example.de", company_domain="gruber.example.de")
    assert later.expansion_of_id == first.id
    other = inquire("someone@other.example.de", company_domain="other.example.de")
    assert other.expansion_of_id is None


# -- check-ins ---------------------------------------------------------------------------------
def silent(address, *, updates, days, lang="en"):
    lead = inquire(address, updates=updates, lang=lang, received=utcnow() - (days + 2) * DAY)
    answered(lead, utcnow() - days * DAY)
    return lead


def test_check_ins_go_only_to_investors_who_agreed_to_updates(app):
    adviser()
    agreed = silent("yes@example.de", updates=True, days=22)
    silent("no@example.de", updates=False, days=22)
    silent("recent@example.de", updates=True, days=5)
    send_pending()
    assert remind.run_reminders().done == 1
    send_pending()
    (mail,) = mails(app, "investor.check_in")
    assert mail["To"].addresses[0].addr_spec == agreed.email
    assert mail["Reply-To"].addresses[0].addr_spec == "ana@ras.example.org"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(http\S+/unsubscribe/\S+)>", mail["List-Unsubscribe"]).group(1)
    assert link in mail.get_content()
    assert "Ana Petrović, Investment Adviser" in mail.get_content()
    assert remind.run_reminders().done == 0  # the same day: nothing more


def test_at_most_two_check_ins_and_none_after_activity(app):
    adviser()
    lead = silent("yes@example.de", updates=True, days=22)
    start = utcnow()
    assert checkins.queue_check_ins(start) == 1
    assert checkins.queue_check_ins(start + 10 * DAY) == 0  # not yet twice NURTURE_DAYS
    assert checkins.queue_check_ins(start + 21 * DAY) == 1  # 43 days quiet: the last one
    assert checkins.queue_check_ins(start + 200 * DAY) == 0  # never a third
    other = silent("other@example.de", updates=True, days=22)
    assert checkins.queue_check_ins(start) == 1
    other.last_activity_at = utcnow() + DAY  # the investor replied after the first
    db.session.commit()
    assert checkins.queue_check_ins(start + 30 * DAY) == 0
    numbers = db.session.scalars(select(CheckIn.number).where(CheckIn.lead_id == lead.id)).all()
    assert sorted(numbers) == [1, 2]


def test_a_closed_lead_gets_no_check_in(app):
    ana = adviser()
    lead = silent("yes@example.de", updates=True, days=22)
    pipeline.change_stage(lead, Stage.LOST, ana, close_reason="timing")
    lead.last_activity_at = utcnow() - 30 * DAY
    db.session.commit()
    assert checkins.queue_check_ins() == 0


def _check_in_link(app, lead) -> str:
    checkins.queue_check_ins()
    db.session.commit()
    send_pending()
    sent = mails(app, "investor.check_in")
    (mail,) = [m for m in sent if m["To"].addresses[0].addr_spec == lead.email]
    return re.search(r"<http://[^/]+(/\S+)>", mail["List-Unsubscribe"]).group(1)


def test_the_unsubscribe_link_works_once_and_is_recorded(app, client):
    adviser()
    lead = silent("yes@example.de", updates=True, days=22)
    path = _check_in_link(app, lead)
    confirm = client.get(path)
    assert confirm.status_code == 200
    assert "Unsubscribe from check-ins" in confirm.get_data(as_text=True)
    assert UPDATES in granted_purposes(lead)  # a GET changes nothing

    done = client.post(path, data={"List-Unsubscribe": "One-Click"})  # no CSRF token (RFC 8058)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.get_data(as_text=True)
    db.session.expire_all()
    withdrawal = lead.consents[-1]
    assert (withdrawal.purpose, withdrawal.granted) == (UPDATES, False)
    assert withdrawal.form == "unsubscribe"
    assert UPDATES not in granted_purposes(lead)
    assert "answer_inquiry" in granted_purposes(lead)  # only the updates purpose is withdrawn

    reused = client.post(path)
    assert reused.status_code == 409
    assert "already been used" in reused.get_data(as_text=True)
    assert len(lead.consents) == len(db.session.get(Lead, lead.id).consents)
    lead.last_activity_at = utcnow() - 60 * DAY
    db.session.commit()
    assert checkins.queue_check_ins() == 0  # no later check-in


def test_a_forged_token_does_nothing_and_says_so(app, client):
    adviser()
    lead = silent("yes@example.de", updates=True, days=22)
    path = _check_in_link(app, lead)
    forged = path[:-3] + ("abc" if not path.endswith("abc") else "xyz")
    for response in (client.get(forged), client.post(forged), client.post("/unsubscribe/x.y")):
        assert response.status_code == 400
        assert "not valid" in response.get_data(as_text=True)
    db.session.expire_all()
    assert UPDATES in granted_purposes(lead)


def test_check_ins_speak_the_investors_language(app, client):
    adviser()
    de = silent("de@example.de", updates=True, days=22, lang="de")
    sv = silent("sv@example.se", updates=True, days=22, lang="sv")
    checkins.queue_check_ins()
    db.session.commit()
    send_pending()
    by_address = {m["To"].addresses[0].addr_spec: m for m in mails(app, "investor.check_in")}
    german = by_address[de.email].get_content()
    assert "Sehr geehrte" in german or "Guten Tag" in german
    assert "Ihnen" in german or "Ihre" in german
    assert " du " not in german.lower()
    assert "in Serbien" in german
    assert "in Serbien" in by_address[de.email]["Subject"]
    swedish = by_address[sv.email].get_content()
    assert "ni " in swedish.lower() or "er " in swedish.lower()
    assert " du " not in swedish.lower()
    assert "/de/unsubscribe/" in by_address[de.email]["List-Unsubscribe"]
    path = re.search(r"<http://[^/]+(/\S+)>", by_address[sv.email]["List-Unsubscribe"]).group(1)
    assert 'lang="sv"' in client.get(path).get_data(as_text=True)


# -- pipeline items, timing and the impact report ---------------------------------------------
def test_digest_lists_land_dates_near_referrals_waiting_and_outcomes_to_complete(app):
    from leads.lifecycle import referrals

    ana = adviser()
    reg = make_user("reg@absl-wb.example.org", "absl-western-balkans", "country")
    landing = inquire("land@example.de", company="Landing GmbH")
    landing.expected_land_date = utcnow().date() + 20 * DAY
    later = inquire("later@example.de", company="Later GmbH")
    later.expected_land_date = utcnow().date() + 60 * DAY
    closed = inquire("closed@example.de", company="Closed GmbH")
    pipeline.change_stage(closed, Stage.WON, None)  # closed elsewhere, without its outcome
    db.session.commit()
    referred = inquire("refer@example.de", company="Referred GmbH")
    referrals.refer(referred, "absl-western-balkans", ana, "Two countries: yours to lead.")
    db.session.commit()

    found = items.owner_items(ana, utcnow())
    assert [lead.company for lead, _ in found[items.Section.LANDING]] == ["Landing GmbH"]
    assert [lead.company for lead, _ in found[items.Section.OUTCOMES]] == ["Closed GmbH"]
    assert items.Section.REFERRALS not in found
    waiting = items.owner_items(reg, utcnow())[items.Section.REFERRALS]
    assert [lead.company for lead, _ in waiting] == ["Referred GmbH"]
    assert "waiting 0 days" in waiting[0][1]
    remind.run_reminders()
    send_pending()
    bodies = {
        m["To"].addresses[0].addr_spec: m.get_content() for m in mails(app, "staff.reminders")
    }
    assert "Expected to land within 30 days (1)" in bodies[ana.email]
    assert "Outcomes to complete (1)" in bodies[ana.email]
    assert "Referrals waiting for an answer (1)" in bodies[reg.email]


def test_timing_medians_use_working_days_and_the_promise(app, client):
    from leads.followup import timing
    from tests.support.staff import login

    monday = dt.datetime(2026, 11, 2, 9, 0)
    friday = monday + 4 * DAY
    assert timing.working_days_between(monday, monday + DAY) == 1.0
    # Friday 09:00 to Tuesday 09:00 is two working days: the weekend does not count.
    assert timing.working_days_between(friday, friday + 4 * DAY) == 2.0
    ana = adviser()
    coordinator = make_user()
    fast = inquire("fast@example.de", received=monday)
    answered(fast, monday + DAY)
    slow = inquire("slow@example.de", received=monday)
    answered(slow, monday + 4 * DAY)
    (row,) = timing.timing_report(
        [fast, slow], {fast.organisation_id: "RAS"}, str, promise_days=2
    ).by_organisation
    assert row.label == "RAS"
    assert row.medians[timing.Step.FIRST_RESPONSE] == 2.5
    assert (row.answered, row.within_promise, row.within_share) == (2, 1, 50)
    login(client, coordinator)
    page = client.get("/staff/").get_data(as_text=True)
    assert "Service timing" in page
    assert "First personal response" in page
    assert "Development Agency of Serbia (RAS)" in page
    assert "50 % (1/2)" in page
    assert ana.id  # the owner of both


def test_impact_report_prints_and_exports_for_each_organisation(app, client):
    from leads.lifecycle import outcomes
    from tests.support.staff import login

    ana = adviser()
    regional = make_user("reg@absl-wb.example.org", "absl-western-balkans", "country")
    lead = inquire("won@example.de", company="=HYPERLINK(evil)")
    outcome = outcomes.Outcome(
        won_country="serbia", jobs_planned=40, investment_eur=1_500_000, land_date=utcnow().date()
    )
    pipeline.change_stage(lead, Stage.WON, ana, outcome=outcome)
    db.session.commit()
    year = utcnow().year

    login(client, regional)
    page = client.get(f"/staff/impact/?from={year}-01-01")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Development Agency of Serbia (RAS)" in text
    assert "ABSL Albania" in text
    assert "1500000" in text
    assert ">40<" in text
    csv_response = client.get(f"/staff/impact.csv?from={year}-01-01&org=ipa-serbia")
    assert csv_response.headers["Content-Type"].startswith("text/csv")
    lines = csv_response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("period_start,period_end,organisation_slug,organisation,received")
    assert len(lines) == 2
    assert ",ipa-serbia,Development Agency of Serbia (RAS),1,0,0,1,0,1,40,1500000," in lines[1]

    for query, message in (
        ("from=2026-13-01", "Enter a date as YYYY-MM-DD"),
        ("from=2019-12-31", "Reports start on 2020-01-01"),
        (f"to={year + 1}-01-01", "cannot end after today"),
        (f"from={year}-03-01&to={year}-02-01", "on or before the end"),
    ):
        response = client.get(f"/staff/impact/?{query}")
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
        assert client.get(f"/staff/impact.csv?{query}").status_code == 400
    client.post("/staff/logout")


def test_an_agency_sees_only_its_own_impact_report(app, client):
    from tests.support.staff import login

    ana = adviser()
    login(client, ana)
    text = client.get("/staff/impact/").get_data(as_text=True)
    assert "Development Agency of Serbia (RAS)" in text
    assert "ABSL Albania" not in text
    assert client.get("/staff/impact/?org=ipa-albania").status_code == 404
    assert client.get("/staff/impact.csv?org=ipa-albania").status_code == 404


def test_the_updates_consent_is_separate_optional_and_unticked(app, client):
    page = client.get("/contact/").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="updates"[^>]*>', page).group(0)
    assert "checked" not in box
    assert "required" not in box
    assert re.search(r'<input[^>]*name="consent"[^>]*>', page)


def test_the_second_check_in_waits_for_nurture_days_after_the_first(app):
    adviser()
    silent("long@example.de", updates=True, days=60)  # quiet for longer than twice NURTURE_DAYS
    now = utcnow()
    assert checkins.queue_check_ins(now) == 1
    assert checkins.queue_check_ins(now + DAY) == 0
    assert checkins.queue_check_ins(now + 21 * DAY) == 1


def test_remind_is_a_body_of_the_one_worker_loop(app):
    from leads.queue.worker import StopFlag, run_loop

    class StopAfterTwo(StopFlag):
        def __init__(self):
            super().__init__("test")
            self.sleeps = []

        def wait(self, seconds):
            self.sleeps.append(seconds)
            if len(self.sleeps) == 2:
                self.event.set()
            return bool(self)

    adviser()
    inquire("late@example.de", received=utcnow() - 5 * DAY)
    stop = StopAfterTwo()
    run_loop("reminders", lambda: remind.remind_body(send=True), idle_seconds=3600, stop=stop)
    assert stop.sleeps == [3600, 3600]  # it always waits for the next interval
    assert len(mails(app, "staff.reminders")) == 1  # two turns, one digest


def test_the_lead_page_shows_its_service_timing_and_expansion(app, client):
    from tests.support.staff import login

    ana = adviser()
    first = inquire("cto@gruber.example.de", company_domain="gruber.example.de")
    pipeline.change_stage(first, Stage.WON, ana)
    db.session.commit()
    later = inquire("coo@gruber.example.de", company_domain="gruber.example.de")
    login(client, make_user())
    page = client.get(f"/staff/leads/{later.id}/").get_data(as_text=True)
    assert "Service timing" in page
    assert "Owner assigned" in page
    assert f"won investment, lead #{first.id}" in page
    won = client.get(f"/staff/leads/{first.id}/").get_data(as_text=True)
    assert "Won or lost" in won
    assert "working days after receipt" in won
