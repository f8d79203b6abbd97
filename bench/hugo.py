# ruff: noqa: E501 - the Hugo templates below keep the shape of the pages they mirror
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

from core.locales import LANGUAGES, TRANSLATION_LANGS

ROOT = Path(__file__).resolve().parent.parent

_MAIN_RE = re.compile(r"(?s)^(.*?<main[^>]*>).*?(</main>.*)$")
_TITLE_RE = re.compile(r"(?s)<title>.*?</title>")

SECTIONS_MOVED = {"countries": "profiles", "sectors": "industries"}

# A country or sector page lists its stories, as ours do.
STORIES_OF = """{{ $slug := .File.ContentBaseName }}{{ $key := cond (eq .Section "profiles")
"countries" "sectors" }}<section class="stories"><h2>Success stories</h2><div class="cards">
{{ range where (where site.RegularPages "Section" "case-studies") (printf "Params.%s" $key)
"intersect" (slice $slug) }}<article class="card">
  <h2 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
  <p class="card-meta">{{ .Params.organisation }} · <time datetime="{{ .Date.Format "2006-01-02" }}">
{{ .Date.Format "January 2006" }}</time></p>
  <p>{{ .Params.summary }}</p>
</article>{{ end }}</div></section>"""

# A story as our template shows it: breadcrumb, facts, key results, body, source, call to action.
SINGLE = (
    """{{ define "main" }}<div class="wrap narrow">
  <nav class="breadcrumb" aria-label="Breadcrumb"><a href="/case-studies/">Success stories</a></nav>
  <article>
    <h1>{{ .Title }}</h1>
    <p class="lead">{{ .Params.summary }}</p>
    <dl class="meta-list">
      <div><dt>Organisation</dt><dd>{{ .Params.organisation }}</dd></div>
      <div><dt>Date</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2006" }}</time></dd></div>
      <div><dt>Countries</dt><dd>{{ range .Params.countries }}<a href="/case-studies/country/{{ . }}/">{{ . | humanize }}</a> {{ end }}</dd></div>
      <div><dt>Sectors</dt><dd>{{ range .Params.sectors }}<a href="/case-studies/sector/{{ . }}/">{{ . | humanize }}</a> {{ end }}</dd></div>
    </dl>
    {{ with .Params.figures }}<section aria-labelledby="results-title">
      <h2 id="results-title">Key results</h2>
      <div><ul class="figures">{{ range . }}
  <li class="figure">
    <span class="figure-number"><span class="figure-value">{{ .value }}</span></span>
    <span class="figure-label">{{ .label }}</span>
    <span class="figure-source">Source: {{ .source }}, {{ .period }}</span>
  </li>{{ end }}
</ul></div>
    </section>{{ end }}
<div class="prose">{{ .Content }}</div>
    {{ if in (slice "profiles" "industries") .Section }}"""
    + STORIES_OF
    + """{{ end }}
    <p class="source">Source: {{ .Params.source.title }}, {{ .Params.source.year }}</p>
  </article>
  <section class="cta" aria-labelledby="cta-title">
  <h2 id="cta-title">Talk to us about your project</h2>
  <p>Tell us what you plan. We route your inquiry to the right agencies and associations and reply
  within two working days.</p>
  <p><a class="button" href="/contact/">Send an inquiry</a></p>
</section>
</div>{{ end }}
"""
)

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
    if match is None:
        raise RuntimeError(f"no <main> in {page}")
    before, after = match.group(1), match.group(2)
    before = _TITLE_RE.sub("<title>{{ .Title }}</title>", before, count=1)
    return before, after


def make_site(content: Path, frozen: Path, site: Path) -> Path:
    """Write a Hugo site for ``content`` whose pages look like those in ``frozen``."""
    if site.exists():
        shutil.rmtree(site)
    for lang in LANGUAGES:
        shutil.copytree(content, site / "content" / lang)
        # The taxonomies take the names "countries" and "sectors" (the front matter's keys), so
        # the profile sections move aside: Hugo's permalinks name sections and taxonomies alike.
        for kind, moved in SECTIONS_MOVED.items():
            (site / "content" / lang / kind).rename(site / "content" / lang / moved)
        for section in (site / "content" / lang).iterdir():
            (section / "_index.md").write_text(f"---\ntitle: {section.name}\n---\n")
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
    hugo = shutil.which("hugo") or "hugo"  # a missing hugo fails in subprocess.run
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
