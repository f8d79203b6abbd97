"""Notifications of the lead forms: team mail and investor acknowledgements via the outbox."""

from flask import Flask

from leads.notify.cli import mail_cli


def init_app(app: Flask) -> None:
    """Register the ``flask mail`` commands and the plan's mails."""
    from leads.notify import plan_mail, relay
    from leads.queue.events import Kind

    relay.register(Kind.PLAN_MESSAGE, plan_mail.plan_message_notice)
    relay.register(Kind.PLAN_LINK, plan_mail.plan_link_mail)
    app.cli.add_command(mail_cli)
