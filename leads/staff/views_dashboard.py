"""The dashboard: pilot targets and reports, per organisation and for the region."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from gateway.charts import bar_chart
from gateway.extensions import db
from leads.models import Organisation
from leads.organisations import LEAD_OWNER_KINDS
from leads.staff.blueprint import bp
from leads.staff.reports import build_dashboard
from leads.stages import STAGE_LABELS


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
    return render_template(
        "leads/staff/dashboard.html",
        report=build_dashboard(organisation),
        organisation=organisation,
        organisations=organisations,
        stage_labels=STAGE_LABELS,
        chart=chart,
    )
