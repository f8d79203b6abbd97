"""The app as the live benchmarks serve it under gunicorn: ``bench.live_app:app``.

Production settings over the real content, with a bare ``/__hello__`` endpoint added to the same
app (the yardstick: Flask, the app's request hooks and security headers, no work). The database
comes from ``BENCH_DATABASE_URL``. For the lead POST the rate limit and the bot checks are off
(``RATELIMIT_ENABLED`` false, ``FORM_MIN_SECONDS`` 0): a load generator posts many forms a
second from one address; CSRF stays on (the posts carry a token of their session).
"""

from __future__ import annotations

import logging
import os

from factory import create_app

HELLO = "/__hello__"


def make_app(database_url: str):
    """Return the benchmark app on ``database_url``."""
    app = create_app(
        {
            "CONFIG": "production",
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_ENABLED": False,
            "FORM_MIN_SECONDS": 0,
            "SESSION_COOKIE_SECURE": False,
        }
    )

    @app.route(HELLO)
    def hello():
        return "hello"

    return app


if os.environ.get("BENCH_DATABASE_URL"):
    logging.disable(logging.WARNING)
    app = make_app(os.environ["BENCH_DATABASE_URL"])
