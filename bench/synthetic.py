"""Synthetic content for the freeze benchmark: the real site plus N generated case studies."""

from __future__ import annotations

import shutil
from pathlib import Path

from gateway.countries import COUNTRY_SLUGS

SECTORS = ("ict-services", "bpo", "game-development", "finance-accounting", "shared-services")

BODY = """
## Background

{org} works in {country} and serves clients in the European Union. This synthetic story
number {n} exists to measure how fast the site is written to static files; its text has
*emphasis*, **strong words**, a [link to the country](/countries/{country}/) and a list:

- a delivery centre with a few dozen people
- training with a local academy
- customers in Germany, Austria and Sweden

## Results

| Measure | Value |
|---|---|
| People trained | {n} |
| Clients | {clients} |

The figures are invented for the benchmark.[^1]

### What comes next

More teams, more languages, more clients. See [the comparison](/compare/).

[^1]: Benchmark data, not a real source.
"""


def case_study(n: int) -> str:
    """Return the text of synthetic case study number ``n``."""
    country = COUNTRY_SLUGS[n % len(COUNTRY_SLUGS)]
    sector = SECTORS[n % len(SECTORS)]
    org = f"Example Services {n}"
    return (
        "---\n"
        f"title: Synthetic success story {n}\n"
        f"summary: A generated case study ({country}, {sector}) used by the freeze benchmark.\n"
        f"date: 2024-{n % 12 + 1:02d}-{n % 28 + 1:02d}\n"
        f"countries: [{country}]\n"
        f"sectors: [{sector}]\n"
        f"organisation: {org}\n"
        "figures:\n"
        f"  - {{label: People trained, value: {n}, source: Benchmark, year: 2024}}\n"
        "source: {title: Benchmark data, year: 2024}\n"
        "---\n" + BODY.format(org=org, country=country, n=n, clients=n % 17 + 1)
    )


def make_content(real: Path, dest: Path, pages: int) -> Path:
    """Copy the real content to ``dest`` and add ``pages`` synthetic case studies."""
    shutil.copytree(real, dest, ignore=shutil.ignore_patterns("*.de.md", "*.sv.md"))
    shutil.rmtree(dest / "case-studies")
    folder = dest / "case-studies"
    folder.mkdir()
    for n in range(pages):
        (folder / f"synthetic-{n:05d}.md").write_text(case_study(n), encoding="utf-8")
    return dest
