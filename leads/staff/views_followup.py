"""The impact report: per organisation and period, printable and as CSV."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_login import current_user

from leads.followup import impact
from leads.followup.timing import STEP_LABELS, lead_timings
from leads.models import utcnow
from leads.staff.blueprint import bp

REPORT_PARAMETERS = ("org", "from", "to")


def _report():
    """Return (organisations shown, period or None, error or None) for the request."""
    visible = impact.visible_organisations(current_user)
    slug = request.args.get("org", "")
    if slug:
        visible = [o for o in visible if o.slug == slug]
        if not visible:
            abort(404)
    try:
        period = impact.parse_period(
            request.args.get("from"), request.args.get("to"), utcnow().date()
        )
    except impact.PeriodError as error:
        return visible, None, error
    return visible, period, None


@bp.context_processor
def followup_helpers():
    """Offer the lead page its service timing (one lead's steps, from its audit trail)."""
    return {"lead_timing": lambda lead: lead_timings([lead])[0], "step_labels": STEP_LABELS}


@bp.route("/impact/")
def impact_page():
    """Show the impact report of the user's organisation, or of every organisation side by side."""
    organisations, period, error = _report()
    rows = impact.impact_report(organisations, period) if period else []
    page = render_template(
        "leads/staff/impact.html",
        rows=rows,
        period=period,
        error=error,
        columns=impact.COLUMNS,
        cell=impact.cell,
        kind_rows=impact.kind_rows,
        choices=impact.visible_organisations(current_user),
        selected=request.args.get("org", ""),
        values={"from": request.args.get("from", ""), "to": request.args.get("to", "")},
        # The report's own parameters only: another (``endpoint``, ``_method``) would reach
        # url_for as one of its own arguments.
        csv_args={k: request.args[k] for k in REPORT_PARAMETERS if request.args.get(k)},
    )
    return page, 400 if error else 200


@bp.route("/impact.csv")
def impact_csv():
    """Download the impact report as CSV (formula-safe)."""
    organisations, period, error = _report()
    if error is not None:
        return Response(f"{error}\n", status=400, mimetype="text/plain")
    rows = impact.impact_report(organisations, period)
    name = f"impact-{period.start}-{period.end}.csv"
    return Response(
        impact.export_csv(rows, period),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
