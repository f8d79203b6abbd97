"""Keep plan tokens out of the logs: access log lines show ``/plan/…`` instead of the token."""

from __future__ import annotations

import logging
import re

TOKEN_IN_PATH = re.compile(r"(/plan/)[A-Za-z0-9_\-.]{8,}")


def redact(text: str) -> str:
    """Return ``text`` with every plan token in a path replaced by ``…``."""
    return TOKEN_IN_PATH.sub(r"\1…", text)


class RedactPlanTokens(logging.Filter):
    """A logging filter that rewrites a record's message and arguments without plan tokens."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; always keep it."""
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


# The servers' access logs: Werkzeug's development server and Gunicorn.
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


def install() -> None:
    """Add the filter to the access loggers (once)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactPlanTokens) for f in logger.filters):
            logger.addFilter(RedactPlanTokens())
