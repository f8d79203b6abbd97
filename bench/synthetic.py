"""Synthetic content for the benchmarks: the real site plus N generated case studies.

Fixed seed: the same N gives the same files (real front matter fields, bodies of about 5 KB).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from core.countries import COUNTRY_SLUGS

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

{paragraphs}

### What comes next

More teams, more languages, more clients. See [the comparison](/compare/).

[^1]: Benchmark data, not a real source.
"""


PARAGRAPHS = (
    "The centre opened with a small team of developers and testers and grew as clients from "
    "the German-speaking markets asked for longer engagements. Recruitment relied on the local "
    "university, a bootcamp run with the industry association and referrals from staff.",
    "Training followed a fixed plan: four weeks of onboarding, a mentor for every newcomer and "
    "a certification path agreed with the clients. Attrition stayed below the regional average "
    "because promotions were announced on a published schedule.",
    "Clients reported shorter hand-over times and fewer escalations after the second year. "
    "Most work is done in English; a growing share of support is delivered in German and "
    "Swedish by people who learned the language on the job.",
    "The company worked with the employment agency to reach people outside the capital and "
    "opened a second office in a smaller town, where rents and commuting times are lower and "
    "the local secondary schools now offer an ICT track.",
    "Data protection follows the GDPR: the centre signed standard contractual clauses with "
    "its clients, appointed a data protection officer and passed an external audit of its "
    "information security management in the third year.",
    "Public support came as co-financing for training and a grant for equipment; both were "
    "tied to hiring targets that the centre met ahead of time, with women making up close to "
    "half of the new hires in technical roles.",
)


def body_paragraphs(n: int, count: int = 17) -> str:
    """Return ``count`` paragraphs picked with a seed fixed per story (about 4.3 KB)."""
    pick = random.Random(n)
    return "\n\n".join(pick.choice(PARAGRAPHS) for _ in range(count))


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
        f"  - {{label: People trained, value: {n}, unit: people, source: Benchmark,"
        " period: '2024'}\n"
        "source: {title: Benchmark data, year: 2024}\n"
        "---\n"
        + BODY.format(
            org=org, country=country, n=n, clients=n % 17 + 1, paragraphs=body_paragraphs(n)
        )
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
