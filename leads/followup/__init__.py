"""Follow-up: owners' reminder digests, check-ins with silent investors, timing, impact."""

from flask import Flask

from core.extensions import csrf
from leads.followup.views import bp


def init_app(app: Flask) -> None:
    """Register the unsubscribe page (its one-click POST is CSRF-exempt, as RFC 8058 requires)
    and the follow-up mail with the mail relay."""
    from leads.followup import mail, models  # noqa: F401 - models registers the tables
    from leads.notify import relay
    from leads.queue.events import Kind

    relay.register(Kind.REMINDER_DIGEST, mail.reminder_digest)
    relay.register(Kind.CHECK_IN, mail.check_in)

    csrf.exempt(bp)
    app.register_blueprint(bp)


__all__ = ["bp", "init_app"]
