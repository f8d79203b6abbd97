"""The investor's plan: one private page per lead, opened by a signed link in every mail."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the plan pages, their mails and the access-log filter."""
    from leads.notify import plan_mail, relay
    from leads.plan import logfilter, models  # noqa: F401 - models registers the tables
    from leads.plan.views import bp
    from leads.queue.events import Kind

    app.register_blueprint(bp)
    relay.register(Kind.PLAN_MESSAGE, plan_mail.plan_message_notice)
    relay.register(Kind.PLAN_LINK, plan_mail.plan_link_mail)
    logfilter.install()
