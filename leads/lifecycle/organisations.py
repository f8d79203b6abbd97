"""Reference data: the organisations, loaded from ``leads/data/organisations.yaml``."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml
from sqlalchemy import select

from core.countries import COUNTRY_SLUGS, REGIONAL
from core.extensions import db
from leads.models import Organisation

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "organisations.yaml"


class OrganisationKind(StrEnum):
    BRAND = "brand"
    REGIONAL = "regional"
    IPA = "ipa"
    ABSL = "absl"


KINDS = tuple(OrganisationKind)
# Organisations a lead is routed or given to by hand, each with its own dashboard.
LEAD_OWNER_KINDS = (OrganisationKind.IPA, OrganisationKind.REGIONAL)


@cache
def organisation_rows() -> tuple[dict, ...]:
    """Return the organisations of the data file, checked."""
    rows = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    for row in rows:
        if row["country"] not in (*COUNTRY_SLUGS, REGIONAL):
            raise ValueError(f"{DATA_FILE}: unknown country {row['country']!r} for {row['slug']}")
        if row["kind"] not in KINDS:
            raise ValueError(f"{DATA_FILE}: unknown kind {row['kind']!r} for {row['slug']}")
    return tuple(rows)


def sync_organisations() -> int:
    """Insert or update the organisations from the data file; return how many changed."""
    existing = {org.slug: org for org in db.session.scalars(select(Organisation))}
    changed = 0
    for row in organisation_rows():
        org = existing.get(row["slug"])
        if org is None:
            db.session.add(Organisation(**row))
            changed += 1
        elif any(getattr(org, key) != value for key, value in row.items()):
            for key, value in row.items():
                setattr(org, key, value)
            changed += 1
    db.session.commit()
    return changed
