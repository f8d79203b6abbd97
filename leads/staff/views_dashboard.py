"""The dashboard: pilot targets and reports, per organisation and for the region."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.charts import bar_chart
from core.extensions import db
from leads.choices import NO_LOCATION, RIVAL_LOCATIONS
from leads.common.labels import country_label
from leads.followup.items import owner_items, section_label
from leads.followup.timing import STEP_LABELS, Step, timing_report
from leads.lifecycle import referrals
from leads.lifecycle.organisations import LEAD_OWNER_KINDS
from leads.lifecycle.stages import CLOSE_REASON_LABELS, STAGE_LABELS
from leads.models import Lead, Organisation, utcnow
from leads.staff.blueprint import bp
from leads.staff.reports import build_dashboard, build_outcomes, scope_condition


def chart(rows, title):
    """Return a server-rendered SVG bar chart of (label, count) rows."""
    return bar_chart([(str(label), count) for label, count in rows], title=str(title))


@bp.route("/")
def dashboard():
    """Show the reports for the user's organisation or, for coordinators, any scope."""
    organisations = list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind.in_(LEAD_OWNER_KINDS))
            .order_by(Organisation.slug)
        )
    )
    if current_user.sees_all_leads:
        slug = request.args.get("org", "")
        organisation = next((o for o in organisations if o.slug == slug), None)
    else:
        organisation = current_user.organisation
    scope = db.session.scalars(
        select(Lead).where(scope_condition(organisation)).options(selectinload(Lead.countries))
    )
    names = {o.id: o.name for o in db.session.scalars(select(Organisation))}
    return render_template(
        "leads/staff/dashboard.html",
        followups=owner_items(current_user.user, utcnow()),
        section_label=section_label,
        timing=timing_report(
            list(scope), names, country_label, current_app.config["RESPONSE_WORKING_DAYS"]
        ),
        steps=[(s, STEP_LABELS[s]) for s in Step if s is not Step.RECEIVED],
        report=build_dashboard(organisation),
        outcomes=build_outcomes(organisation),
        # Referrals waiting for an answer: to the user's organisation, or (coordinators) to
        # the chosen one or anyone.
        pending_referrals=referrals.pending_for(organisation),
        location_labels=dict(RIVAL_LOCATIONS + NO_LOCATION),
        close_reason_labels=CLOSE_REASON_LABELS,
        organisation=organisation,
        organisations=organisations,
        stage_labels=STAGE_LABELS,
        chart=chart,
    )
