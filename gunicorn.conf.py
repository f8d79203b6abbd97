"""Gunicorn settings read from the project folder (gunicorn loads ./gunicorn.conf.py itself).

Command-line options still win; this file only adds the start-up check below.
"""

import config as app_config
from core.security import rate_limit_warning


def when_ready(server):
    """Warn once at start-up when memory:// rate limits meet more than one worker."""
    uri = app_config.env("FLASK_RATELIMIT_STORAGE_URI") or app_config.Config.RATELIMIT_STORAGE_URI
    warning = rate_limit_warning(server.cfg.workers, uri)
    if warning:
        server.log.warning(warning)
