"""Which consent purposes of a lead stand: the latest record of each purpose decides."""

from __future__ import annotations

from leads.models import ConsentRecord, Lead


def granted_purposes(lead: Lead) -> list[str]:
    """Return the purposes whose latest consent record is a grant."""
    latest: dict[str, ConsentRecord] = {}
    for record in sorted(lead.consents, key=lambda r: (r.created_at, r.id or 0)):
        latest[record.purpose] = record
    return [purpose for purpose, record in latest.items() if record.granted]
