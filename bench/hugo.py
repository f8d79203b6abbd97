"""The same site built with Hugo, like for like: the benchmark's yardstick for the freeze.

Hugo gets the same Markdown in three languages (English text under /, /de/ and /sv/, as our
site shows untranslated stories), a section listing per content folder, taxonomy pages for the
country and sector filters, the same static files, and a page layout cut from one of our own
frozen pages: the same head (styles, scripts, meta tags) and the same navigation and footer,
around Hugo's own rendering of the Markdown. The benchmark prints both sites' file counts and
bytes, so the likeness can be checked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

from gateway.locales import LANGUAGES, TRANSLATION_LANGS

ROOT = Path(__file__).resolve().parent.parent

_MAIN_RE = re.compile(r"(?s)^(.*?<main[^>]*>).*?(</main>.*)$")
_TITLE_RE = re.compile(r"(?s)<title>.*?</title>")

SINGLE = """{{ define "main" }}<article class="case-study"><h1>{{ .Title }}</h1>
<p class="lead">{{ .Params.summary }}</p>
{{ with .Params.figures }}<dl class="figures">{{ range . }}<div><dt>{{ .label }}</dt>
<dd>{{ .value }}</dd><dd class="source">{{ .source }}, {{ .year }}</dd></div>{{ end }}</dl>{{ end }}
{{ .Content }}
{{ with .Params.countries }}<p>{{ range . }}<a href="/countries/{{ . }}/">{{ . }}</a>
{{ end }}</p>{{ end }}
</article>{{ end }}
"""

LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul class="cards">
{{ range .Pages }}<li class="card"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Params.summary }}</p><p class="meta">{{ .Date.Format "January 2006" }}
{{ range .Params.countries }}<span class="tag">{{ . }}</span>{{ end }}
{{ range .Params.sectors }}<span class="tag">{{ . }}</span>{{ end }}</p></li>
{{ end }}</ul>{{ end }}
"""


def _skeleton(frozen: Path, lang: str) -> tuple[str, str]:
    """Return (before, after) the ``<main>`` content of one frozen case-study page."""
    prefix = "" if lang == "en" else f"{lang}/"
    page = next(iter(sorted((frozen / prefix / "case-studies").glob("synthetic-*/index.html"))))
    match = _MAIN_RE.match(page.read_text(encoding="utf-8"))
    before, after = match.group(1), match.group(2)
    before = _TITLE_RE.sub("<title>{{ .Title }}</title>", before, count=1)
    return before, after


def make_site(content: Path, frozen: Path, site: Path) -> Path:
    """Write a Hugo site for ``content`` whose pages look like those in ``frozen``."""
    if site.exists():
        shutil.rmtree(site)
    for lang in LANGUAGES:
        shutil.copytree(content, site / "content" / lang)
        for kind in (site / "content" / lang).iterdir():
            (kind / "_index.md").write_text(f"---\ntitle: {kind.name}\n---\n")
        before, after = _skeleton(frozen, lang)
        layouts = site / "layouts" / "_default"
        layouts.mkdir(parents=True, exist_ok=True)
        (layouts / f"baseof.{lang}.html").write_text(
            before + '{{ block "main" . }}{{ end }}' + after, encoding="utf-8"
        )
    (site / "layouts" / "_default" / "single.html").write_text(SINGLE)
    (site / "layouts" / "_default" / "list.html").write_text(LIST)
    (site / "layouts" / "_default" / "terms.html").write_text(LIST)
    (site / "layouts" / "index.html").write_text(LIST)
    shutil.copytree(ROOT / "static", site / "static" / "static")
    languages = "\n".join(
        f'[languages.{lang}]\ncontentDir = "content/{lang}"\nweight = {n}\n'
        for n, lang in enumerate(LANGUAGES)
    )
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.test/"\ntitle = "bench"\ndefaultContentLanguage = "en"\n'
        'disableKinds = ["RSS"]\n'
        "[taxonomies]\ncountry = 'countries'\nsector = 'sectors'\n"
        "[permalinks]\ncountries = '/case-studies/country/:slug/'\n"
        "sectors = '/case-studies/sector/:slug/'\n"
        "[markup.goldmark.renderer]\nunsafe = false\n" + languages
    )
    assert set(TRANSLATION_LANGS) <= set(LANGUAGES)
    return site


def build(site: Path, dest: Path) -> dict:
    """Build ``site`` into an empty ``dest`` (no cache kept); return files, bytes, seconds."""
    hugo = shutil.which("hugo")
    shutil.rmtree(dest, ignore_errors=True)
    shutil.rmtree(site / "resources", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [hugo, "--quiet", "--ignoreCache", "--source", str(site), "--destination", str(dest)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    seconds = time.perf_counter() - started
    return {"seconds": seconds, **count_files(dest)}


def count_files(folder: Path) -> dict:
    """Return the number of files in ``folder`` and their bytes (HTML pages apart)."""
    files = pages = size = page_bytes = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            files += 1
            n = path.stat().st_size
            size += n
            if path.suffix == ".html":
                pages += 1
                page_bytes += n
    return {"files": files, "bytes": size, "pages": pages, "page_bytes": page_bytes}
