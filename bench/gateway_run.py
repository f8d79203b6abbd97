"""One cold ``flask freeze`` in a fresh interpreter: ``python -m bench.gateway_run CONTENT DEST``.

Run as a child process by the benchmark so every repetition starts cold (no module or parse
cache left over from the previous one). Prints ``files seconds``.
"""

from __future__ import annotations

import logging
import sys
import time
import warnings


def main() -> None:
    """Freeze the site over the given content folder and print (files, seconds)."""
    content, dest = sys.argv[1], sys.argv[2]
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else None
    logging.disable(logging.INFO)
    warnings.simplefilter("ignore")
    started = time.perf_counter()
    from factory import create_app
    from gateway.freeze import freeze_site

    app = create_app(
        {
            "CONFIG": "production",
            "SECRET_KEY": "bench",
            "CONTENT_DIR": content,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )
    result = freeze_site(app, dest, workers=workers)
    print(result.urls, time.perf_counter() - started)


if __name__ == "__main__":
    main()
