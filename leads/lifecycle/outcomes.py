"""What a closed lead tells us: the outcome a won or lost lead must carry, checked in one place.

Won: the country chosen, jobs planned in the first two years, the investment in EUR and the land
date. Lost: the location chosen instead (``choices.RIVAL_LOCATIONS`` or ``choices.NO_LOCATION``)
besides the close reason. ``check`` returns messages by field name, so the staff form shows each
beside its field; a lead closed without them elsewhere (HubSpot) is marked "outcome to complete".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from core.countries import COUNTRY_SLUGS
from leads.choices import LIKELIHOODS, NO_LOCATION, RIVAL_LOCATIONS, values
from leads.lifecycle.stages import Stage
from leads.models import Lead

OUTCOME_STAGES = frozenset({Stage.WON, Stage.LOST})
MAX_JOBS = 100_000
MAX_INVESTMENT_EUR = 10_000_000_000
LOST_TO_VALUES = (*values(RIVAL_LOCATIONS), *values(NO_LOCATION))
# Every date of an investment step (land dates, expected or recorded) lies in this range; a date
# outside it is a typing error (or worse), refused where it is entered.
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)


def date_in_range(day: dt.date | None) -> bool:
    """Tell whether a date is within DATE_MIN..DATE_MAX (None is not a date: False)."""
    return isinstance(day, dt.date) and DATE_MIN <= day <= DATE_MAX


def date_range_error() -> str:
    """Return the message shown beside a date field holding a date outside the range."""
    return str(
        _l(
            "Enter a date between %(start)s and %(end)s.",
            start=DATE_MIN.isoformat(),
            end=DATE_MAX.isoformat(),
        )
    )


@dataclass(frozen=True)
class Outcome:
    """The outcome fields as typed (any of them may be missing)."""

    won_country: str = ""
    jobs_planned: int | None = None
    investment_eur: int | None = None
    land_date: dt.date | None = None
    lost_to: str = ""


class OutcomeError(ValueError):
    """An outcome with missing or impossible values; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _inquiry_date(lead: Lead) -> dt.date | None:
    dates = [i.created_at.date() for i in lead.inquiries if i.created_at]
    if lead.created_at:
        dates.append(lead.created_at.date())
    return min(dates) if dates else None


def check(lead: Lead, stage: str, outcome: Outcome) -> dict[str, str]:
    """Return what is missing or impossible in an outcome for closing a lead at ``stage``."""
    errors: dict[str, str] = {}
    if stage == Stage.WON:
        if outcome.won_country not in COUNTRY_SLUGS:
            errors["won_country"] = str(_l("Choose the country the investor chose."))
        if outcome.jobs_planned is None:
            errors["jobs_planned"] = str(_l("Enter the jobs planned in the first two years."))
        elif not 0 <= outcome.jobs_planned <= MAX_JOBS:
            errors["jobs_planned"] = str(_l("Jobs planned must be 0 or more."))
        if outcome.investment_eur is None:
            errors["investment_eur"] = str(_l("Enter the investment amount in EUR."))
        elif not 0 <= outcome.investment_eur <= MAX_INVESTMENT_EUR:
            errors["investment_eur"] = str(_l("The investment must be 0 EUR or more."))
        land_error = _land_date_error(lead, outcome.land_date)
        if land_error:
            errors["land_date"] = land_error
    elif stage == Stage.LOST and outcome.lost_to not in LOST_TO_VALUES:
        errors["lost_to"] = str(_l("Choose where the investor went instead."))
    return errors


def _land_date_error(lead: Lead, land_date: dt.date | None) -> str:
    """Return what is wrong with a won lead's land date, or ""."""
    first = _inquiry_date(lead)
    if land_date is None:
        return str(_l("Enter the land date."))
    if not date_in_range(land_date):
        return date_range_error()
    if first is not None and land_date < first:
        return str(_l("The land date cannot be before the first inquiry (%(date)s).", date=first))
    return ""


def apply(lead: Lead, stage: str, outcome: Outcome | None) -> None:
    """Store a checked outcome on a lead closed at ``stage``, or mark it to complete.

    ``outcome`` None means the close came from elsewhere (e.g. HubSpot) without the fields:
    the lead is closed all the same and its owner is asked to complete them.
    """
    if stage not in OUTCOME_STAGES:
        lead.outcome_to_complete = False
        return
    if outcome is None:
        lead.outcome_to_complete = bool(check(lead, stage, stored(lead)))
        return
    errors = check(lead, stage, outcome)
    if errors:
        raise OutcomeError(errors)
    if stage == Stage.WON:
        lead.won_country = outcome.won_country
        lead.jobs_planned = outcome.jobs_planned
        lead.investment_eur = outcome.investment_eur
        lead.land_date = outcome.land_date
        lead.lost_to = ""
    else:
        lead.lost_to = outcome.lost_to
    lead.outcome_to_complete = False


def stored(lead: Lead) -> Outcome:
    """Return the outcome fields a lead holds now."""
    return Outcome(
        won_country=lead.won_country or "",
        jobs_planned=lead.jobs_planned,
        investment_eur=lead.investment_eur,
        land_date=lead.land_date,
        lost_to=lead.lost_to or "",
    )


def describe(lead: Lead) -> str:
    """Return a one-line summary of the stored outcome, for the audit trail."""
    if lead.stage == Stage.WON:
        return (
            f"{lead.won_country}, {lead.jobs_planned} jobs, EUR {lead.investment_eur}, "
            f"lands {lead.land_date}"
        )
    if lead.stage == Stage.LOST:
        return f"lost to {lead.lost_to}"
    return ""


def check_qualification(
    rivals: list[str], likelihood: str, expected: dt.date | None, lead: Lead
) -> dict[str, str]:
    """Return what is wrong with a lead's rivals, likelihood and expected land date."""
    errors: dict[str, str] = {}
    if any(r not in values(RIVAL_LOCATIONS) for r in rivals):
        errors["rivals"] = str(_l("Choose rivals from the list."))
    if likelihood and likelihood not in values(LIKELIHOODS):
        errors["likelihood"] = str(_l("Choose a likelihood from the list."))
    first = _inquiry_date(lead)
    if expected is not None and not date_in_range(expected):
        errors["expected_land_date"] = date_range_error()
    elif expected is not None and first is not None and expected < first:
        errors["expected_land_date"] = str(
            _l("The land date cannot be before the first inquiry (%(date)s).", date=first)
        )
    return errors
