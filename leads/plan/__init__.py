"""The investor's plan: one private page per lead, opened by a signed link in every mail."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the plan pages and the access-log filter (``leads.notify`` sends its mails)."""
    from leads.plan import logfilter, models  # noqa: F401 - models registers the tables
    from leads.plan.views import bp

    app.register_blueprint(bp)
    logfilter.install()
