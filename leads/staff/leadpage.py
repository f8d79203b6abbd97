"""The staff lead page as one model: what it shows about a lead, for one user, and its forms.

``lead_page`` gathers the facts (score, routing, timeline, CRM events, referrals, what the
user may do) from the lead and the user; it reads the database but no request. ``lead_forms``
builds the page's forms, keeping the one that was just posted with its errors. A view renders
both with ``render_lead``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.extensions import db
from leads.choices import LIKELIHOODS, NO_LOCATION, RIVAL_LOCATIONS
from leads.common import overdue
from leads.common.access import Capability, capabilities
from leads.crm import adapter
from leads.lifecycle import outcomes, referrals, scoring
from leads.lifecycle.organisations import LEAD_OWNER_KINDS
from leads.lifecycle.routing import Route, route_for
from leads.lifecycle.stages import CLOSE_REASON_LABELS, STAGE_LABELS
from leads.models import AuditEntry, Lead, Note, OutboxEvent, Referral, StaffUser
from leads.partners.models import Introduction
from leads.partners.service import introductions_of, may_share, partner_brief
from leads.plan import token as plan_token
from leads.plan.models import PlanMessage, PlanStep
from leads.privacy.consent import granted_purposes
from leads.queue import outbox
from leads.queue.events import Channel
from leads.staff import listing
from leads.staff.forms import (
    AssignForm,
    ButtonForm,
    ContactForm,
    NoteForm,
    PlanStepChangeForm,
    PlanStepForm,
    QualifyForm,
    ReferForm,
    ReferralAnswerForm,
    StageForm,
    options,
)
from leads.staff.forms_partners import (
    STEP_LABELS,
    IntroConsentForm,
    IntroStepForm,
    intro_step_form,
)

# What every lead page uses to name things (the same for every lead and user).
VOCABULARY: dict[str, Any] = {
    "Capability": Capability,
    "rules": scoring.RULES,
    "retryable": (outbox.FAILED, outbox.DEAD),
    "rival_labels": dict(RIVAL_LOCATIONS + NO_LOCATION),
    "likelihood_labels": dict(LIKELIHOODS),
    "stage_labels": STAGE_LABELS,
    "close_reason_labels": CLOSE_REASON_LABELS,
    "intro_step_labels": STEP_LABELS,
    "partner_brief": partner_brief,
}


@dataclass(frozen=True)
class LeadPage:
    """Everything the lead page shows about one lead, for one user (its template variables)."""

    lead: Lead
    can: frozenset[Capability]  # what this user may do with the lead
    score: scoring.Score  # computed now, with its breakdown (the stored score may be older)
    route: Route  # where the lead's countries route it today
    overdue: bool  # first response late
    consent_granted: bool  # some purpose still granted (withdrawal can be recorded)
    pending_referral: Referral | None
    referral_list: list[Referral]
    timeline: list[dict]  # audit entries and notes, newest first
    events: list[OutboxEvent]  # the lead's CRM events, newest first
    crm_configured: bool
    introductions: list[Introduction]  # the partners asked for (or suggested), with their steps
    may_share: bool  # the investor agreed that their details go to partners
    plan: PlanState  # the investor's plan: its link and the steps agreed with them

    def context(self) -> dict[str, Any]:
        """Return the page as template variables, with the vocabulary it names things by."""
        return {**VOCABULARY, **{f.name: getattr(self, f.name) for f in fields(self)}}


def lead_page(lead: Lead, user) -> LeadPage:
    """Return what the lead page shows about ``lead`` to ``user``."""
    return LeadPage(
        lead=lead,
        can=capabilities(user, lead),
        score=scoring.score_lead(scoring.facts_for(lead), lead.stage),
        route=route_for(
            lead.country_slugs,
            lead.inquiries[-1].kind if lead.inquiries else "",
            lead.inquiries[-1].countries if lead.inquiries else (),
        ),
        overdue=overdue.is_overdue(lead),
        consent_granted=bool(granted_purposes(lead)),
        pending_referral=referrals.pending(lead),
        referral_list=lead.referrals,
        timeline=timeline(lead),
        events=crm_events(lead),
        crm_configured=adapter.configured(),
        introductions=introductions_of(lead),
        may_share=may_share(lead),
        plan=plan_state(lead),
    )


@dataclass(frozen=True)
class PlanState:
    """The investor's plan as staff see it: whether its link works, until when, and its steps."""

    has_plan: bool  # not for a lead closed as spam
    expires: Any  # when the link stops working without a new mail or visit
    expired: bool
    steps: list[PlanStep]


def plan_state(lead: Lead) -> PlanState:
    """Return the state of a lead's plan for the lead page."""
    steps = db.session.scalars(
        select(PlanStep).where(PlanStep.lead_id == lead.id).order_by(PlanStep.done, PlanStep.id)
    ).all()
    return PlanState(
        has_plan=plan_token.has_plan(lead) and lead.erased_at is None,
        expires=plan_token.active_since(lead) + plan_token.LIFETIME,
        expired=plan_token.expired(lead),
        steps=list(steps),
    )


def timeline(lead: Lead) -> list[dict]:
    """Return the lead's audit entries, notes and messages from the plan, newest first."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.lead_id == lead.id)
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.created_at)
    )
    notes = db.session.scalars(
        select(Note)
        .where(Note.lead_id == lead.id)
        .options(selectinload(Note.author))
        .order_by(Note.created_at)
    )
    messages = db.session.scalars(select(PlanMessage).where(PlanMessage.lead_id == lead.id))
    items = [{"at": e.created_at, "kind": "audit", "entry": e} for e in entries]
    items += [{"at": n.created_at, "kind": "note", "note": n} for n in notes]
    items += [{"at": m.created_at, "kind": "plan_message", "message": m} for m in messages]
    return sorted(items, key=lambda item: item["at"], reverse=True)


def crm_events(lead: Lead) -> list[OutboxEvent]:
    """Return the lead's CRM events, newest first."""
    query = (
        select(OutboxEvent)
        .where(OutboxEvent.lead_id == lead.id, OutboxEvent.channel == Channel.CRM)
        .order_by(OutboxEvent.id.desc())
    )
    return list(db.session.scalars(query).all())


# -- the page's forms ------------------------------------------------------------------------
@dataclass(frozen=True)
class LeadForms:
    """The forms of the lead page (the one just posted keeps what was typed and its errors)."""

    stage_form: StageForm
    note_form: NoteForm
    assign_form: AssignForm
    button_form: ButtonForm
    contact_form: ContactForm
    qualify_form: QualifyForm
    refer_form: ReferForm
    answer_form: ReferralAnswerForm
    intro_form: IntroStepForm
    intro_consent_form: IntroConsentForm
    plan_step_form: PlanStepForm
    plan_change_form: PlanStepChangeForm

    def context(self) -> dict[str, FlaskForm]:
        """Return the forms as template variables."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def lead_forms(lead: Lead, **posted: FlaskForm) -> LeadForms:
    """Return the lead page's forms: ``posted`` ones as given, the others filled from the lead."""
    return LeadForms(
        stage_form=posted.get("stage_form") or stage_form(lead),
        note_form=posted.get("note_form") or NoteForm(formdata=None),
        assign_form=posted.get("assign_form") or assign_form(lead),
        button_form=ButtonForm(),
        contact_form=posted.get("contact_form") or ContactForm(formdata=None),
        qualify_form=posted.get("qualify_form")
        or QualifyForm(
            formdata=None,
            rivals=lead.rivals or [],
            likelihood=lead.likelihood,
            expected_land_date=lead.expected_land_date,
        ),
        refer_form=posted.get("refer_form") or refer_form(lead),
        answer_form=posted.get("answer_form") or ReferralAnswerForm(formdata=None),
        intro_form=posted.get("intro_form") or intro_step_form(lead),
        intro_consent_form=posted.get("intro_consent_form") or IntroConsentForm(formdata=None),
        plan_step_form=posted.get("plan_step_form") or PlanStepForm(formdata=None),
        plan_change_form=PlanStepChangeForm(formdata=None),
    )


def assign_form(lead: Lead) -> AssignForm:
    """Return the owner form: the lead's organisation's active staff (and, for coordinators,
    the organisations that own leads)."""
    form = AssignForm()
    organisations = listing.organisation_choices(LEAD_OWNER_KINDS)
    form.organisation.choices = options((org.id, org.name) for org in organisations)
    owners = db.session.scalars(
        select(StaffUser)
        .where(StaffUser.organisation_id == lead.organisation_id, StaffUser.active.is_(True))
        .order_by(StaffUser.email)
    )
    form.owner.choices = options([(0, _("Nobody")), *((u.id, u.email) for u in owners)])
    if request.method == "GET":
        form.organisation.data = lead.organisation_id
        form.owner.data = lead.owner_id or 0
    return form


def refer_form(lead: Lead) -> ReferForm:
    """Return the referral form, offering the organisations that may receive the lead."""
    form = ReferForm()
    choices = [(org.slug, org.name) for org in referrals.receiving_organisations(lead)]
    form.organisation.choices = options(choices)
    return form


def stage_form(lead: Lead) -> StageForm:
    """Return the stage form filled with the lead's stage and stored outcome."""
    stored = outcomes.stored(lead)
    return StageForm(
        formdata=None,
        stage=lead.stage,
        close_reason=lead.close_reason or "",
        won_country=stored.won_country,
        jobs_planned=stored.jobs_planned,
        investment_eur=stored.investment_eur,
        land_date=stored.land_date,
        lost_to=stored.lost_to,
    )


def render_lead(lead: Lead, user, *, status: int = 200, **posted: FlaskForm):
    """Render the lead page for ``user`` (``posted``: a form sent back with its errors)."""
    page = lead_page(lead, user)
    forms = lead_forms(lead, **posted)
    return render_template("leads/staff/lead.html", **page.context(), **forms.context()), status
