"""The URL prefix: from the ``APPLICATION_ROOT`` setting only, never from the request."""

from __future__ import annotations


class FixedScriptName:
    """WSGI middleware: the URL prefix comes from the ``APPLICATION_ROOT`` setting only.

    A server such as gunicorn takes ``SCRIPT_NAME`` from a request header; links built from it
    would then point wherever the request says, in every cached page. Here the path the client
    asked for (script name and path together) is split at the configured prefix instead; a
    path without the prefix (a proxy that strips it) is served as it is.
    """

    def __init__(self, wsgi_app, application_root: str):
        self.wsgi_app = wsgi_app
        self.prefix = script_name(application_root)

    def __call__(self, environ, start_response):
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if self.prefix and (path == self.prefix or path.startswith(self.prefix + "/")):
            path = path[len(self.prefix) :]
        environ["SCRIPT_NAME"] = self.prefix
        environ["PATH_INFO"] = path
        return self.wsgi_app(environ, start_response)


def script_name(application_root: str) -> str:
    """Return the URL prefix of an ``APPLICATION_ROOT`` setting ("/" is none, "/gw/" is "/gw")."""
    root = "/" + (application_root or "").strip().strip("/")
    if any(c in root for c in "?#%\\ ") or "//" in root:
        raise RuntimeError(f"APPLICATION_ROOT must be a plain path such as /gateway: {root!r}")
    return root.rstrip("/")
