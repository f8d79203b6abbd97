"""HTML to PDF with WeasyPrint, offline and deterministic, cached on disk by content hash."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import segno

_lock = threading.Lock()


def qr_svg(url: str) -> str:
    """Return an inline SVG QR code for ``url`` (no network, no image files)."""
    return segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#0b3a66")


def _offline_fetcher(static_dir: Path):
    """Return a URL fetcher that reads only inline data and files under ``static_dir``."""
    from weasyprint.urls import URLFetcher

    root = static_dir.resolve().as_uri() + "/"

    class OfflineFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not (url.startswith("data:") or url.startswith(root)):
                raise ValueError(f"fact sheets load no external resources: {url}")
            return super().fetch(url, headers)

    return OfflineFetcher(allowed_protocols={"data", "file"})


def render_pdf(html: str, stylesheet: Path, static_dir: Path) -> bytes:
    """Render ``html`` with ``stylesheet`` to PDF bytes (the same bytes for the same input)."""
    import weasyprint

    document = weasyprint.HTML(
        string=html,
        base_url=static_dir.resolve().as_uri() + "/",
        url_fetcher=_offline_fetcher(static_dir),
    )
    return document.write_pdf(stylesheets=[weasyprint.CSS(filename=str(stylesheet))])


def cache_key(html: str, stylesheet: Path) -> str:
    """Return the cache key of a fact sheet: a hash of its HTML, style and renderer version."""
    import weasyprint

    digest = hashlib.sha256()
    for part in (html.encode(), stylesheet.read_bytes(), weasyprint.__version__.encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


# Sheets kept per content version: six countries in every language, with room to spare. Sheets
# of other versions are deleted when the first sheet of a new version is written.
MAX_SHEETS = 256


def cached_pdf(
    html: str, stylesheet: Path, static_dir: Path, cache_dir: Path, version: str = ""
) -> bytes:
    """Return the PDF for ``html``, rendering it only when this content version is new.

    Files are named ``<version>-<hash>.pdf``; the folder holds the current ``version``'s sheets
    only (at most ``MAX_SHEETS``), so nothing a request varies can make it grow without end.
    """
    prefix = hashlib.sha256(version.encode()).hexdigest()[:12]
    path = cache_dir / f"{prefix}-{cache_key(html, stylesheet)}.pdf"
    if path.is_file():
        return path.read_bytes()
    with _lock:
        if path.is_file():
            return path.read_bytes()
        data = render_pdf(html, stylesheet, static_dir)
        cache_dir.mkdir(parents=True, exist_ok=True)
        _prune(cache_dir, prefix)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return data


def _prune(cache_dir: Path, prefix: str) -> None:
    """Delete sheets of other versions, and this version's when there are too many."""
    current = sorted(cache_dir.glob(f"{prefix}-*.pdf"))
    stale = [p for p in cache_dir.glob("*.pdf") if not p.name.startswith(f"{prefix}-")]
    if len(current) >= MAX_SHEETS:
        stale += current
    for old in stale:
        old.unlink(missing_ok=True)
