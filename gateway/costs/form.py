"""The estimator's GET form: parameter names, validation beside each field, input kept.

Parameter names (documented in docs/costs.md): ``team``, ``mix``, ``country`` (repeated),
``software``, ``service``, ``finance`` (the shares of a custom mix, percent),
``factor_software``, ``factor_service``, ``factor_finance`` (role factors), ``fallback`` (use
the all-sector average where an activity's wage is missing), and the overhead per seat:
``m2``, ``equipment``, ``recruitment`` and ``rent_<slug>`` (EUR per m² a month).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, Form, RadioField, SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation
from wtforms.widgets import NumberInput

from core.countries import COUNTRY_SLUGS
from core.forms import FiniteDecimalField, MultiCheckboxField, WholeNumberField
from gateway.costs import figures, method, present

ROLE_LABELS = present.ROLE_LABELS
# Each preset mix is named after the one role it consists of.
MIX_LABELS = {
    **{
        mix: ROLE_LABELS[next(r for r, s in shares.items() if s)]
        for mix, shares in method.ROLE_MIXES.items()
    },
    method.CUSTOM: _l("My own split"),
}


def _team_range():
    return NumberRange(
        method.TEAM_MIN,
        method.TEAM_MAX,
        message=_l(
            "Enter a team size from %(min)d to %(max)d people.",
            min=method.TEAM_MIN,
            max=method.TEAM_MAX,
        ),
    )


def _share(role: str) -> WholeNumberField:
    return WholeNumberField(
        ROLE_LABELS[role],
        validators=[
            Optional(),
            NumberRange(0, 100, message=_l("Enter a share from 0 to 100 per cent.")),
        ],
        widget=NumberInput(min=0, max=100, step=1),
    )


def _factor(role: str) -> FiniteDecimalField:
    return FiniteDecimalField(
        ROLE_LABELS[role],
        places=None,
        validators=[
            Optional(),
            NumberRange(
                method.FACTOR_MIN,
                method.FACTOR_MAX,
                message=_l(
                    "Enter a factor from %(min)s to %(max)s (1 is the published average).",
                    min=method.FACTOR_MIN,
                    max=method.FACTOR_MAX,
                ),
            ),
        ],
        widget=NumberInput(min=method.FACTOR_MIN, max=method.FACTOR_MAX, step=0.05),
    )


def _overhead(label, name: str, step: float) -> FiniteDecimalField:
    low, high = method.OVERHEAD_LIMITS.get(name, method.RENT_LIMITS)
    return FiniteDecimalField(
        label,
        places=None,
        validators=[
            Optional(),
            NumberRange(
                low, high, message=_l("Enter a number from %(min)s to %(max)s.", min=low, max=high)
            ),
        ],
        widget=NumberInput(min=low, max=high, step=step),
    )


RENT_LABEL = _l("Office rent, EUR per m² a month")


class CostsForm(Form):
    """The scenario an investor asks about."""

    team = WholeNumberField(
        _l("Team size (people)"),
        validators=[
            InputRequired(message=_l("Enter the number of people in the team.")),
            _team_range(),
        ],
        default=method.DEFAULT_TEAM,
        widget=NumberInput(min=method.TEAM_MIN, max=method.TEAM_MAX, step=1),
    )
    mix = RadioField(
        _l("Role mix"),
        choices=[SelectChoice(value, label) for value, label in MIX_LABELS.items()],
        default="software",
        validate_choice=False,
    )
    software = _share("software")
    service = _share("service")
    finance = _share("finance")
    factor_software = _factor("software")
    factor_service = _factor("service")
    factor_finance = _factor("finance")
    fallback = BooleanField(
        _l("Where no wage of the activity is published, use the all-sector average (marked)")
    )
    m2 = _overhead(_l("Office space per seat, m²"), "m2", 0.5)
    equipment = _overhead(_l("Equipment and IT per seat, EUR a year"), "equipment", 50)
    recruitment = _overhead(
        _l("Recruitment per hire, per cent of a year's gross pay"), "recruitment", 1
    )
    country = MultiCheckboxField(
        _l("Countries"),
        default=list(COUNTRY_SLUGS),
        invalid_choice_message=_l("Unknown country: %(value)s. Choose from the list."),
    )

    def validate_mix(self, field) -> None:
        """Refuse a role mix that is not offered, and a custom split that is not 100 %."""
        if field.data not in method.MIXES:
            raise StopValidation(_l("Choose one of the role mixes shown."))
        if field.data == method.CUSTOM:
            shares = [getattr(self, role).data or 0 for role in method.ROLES]
            if sum(shares) != 100:
                raise StopValidation(
                    _l(
                        "The shares of your own split must add up to 100 per cent (now %(total)d).",
                        total=sum(shares),
                    )
                )

    def validate_country(self, field) -> None:
        """Ask for at least one country."""
        if not field.data:
            raise StopValidation(_l("Choose at least one country."))

    def scenario(self) -> dict:
        """Return the validated scenario (the shape ``method.estimate`` reads)."""
        shares = {role: getattr(self, role).data or 0 for role in method.ROLES}
        factors = {}
        for role in method.ROLES:
            value = getattr(self, f"factor_{role}").data
            if value is not None:
                factors[role] = float(value)
        countries = [slug for slug in COUNTRY_SLUGS if slug in self.country.data]
        overhead = figures.overhead_values()
        for name in ("m2", "equipment", "recruitment"):
            value = getattr(self, name).data
            if value is not None:
                overhead[name] = float(value)
        rents = {}
        for slug in RENT_SLUGS:
            value = getattr(self, f"rent_{slug.replace('-', '_')}").data
            if value is not None:
                rents[slug] = float(value)
        overhead["rents"] = rents
        return method.scenario(
            self.team.data, self.mix.data, countries, shares, factors, overhead, self.fallback.data
        )


RENT_SLUGS = (*COUNTRY_SLUGS, *method.BASELINES)
for _slug in RENT_SLUGS:
    setattr(CostsForm, f"rent_{_slug.replace('-', '_')}", _overhead(RENT_LABEL, "rent", 0.5))


def rent_field(form: CostsForm, slug: str):
    """Return the rent field of a country or baseline."""
    return getattr(form, f"rent_{slug.replace('-', '_')}")


def costs_form(args: MultiDict, country_choices: list) -> tuple[CostsForm, bool]:
    """Return the form bound to the query string and whether it holds a valid scenario.

    An empty query string is the standard scenario (50 people, software, all six countries).
    """
    form = CostsForm(args if args else None)
    form.country.choices = country_choices
    if not args:
        return form, True
    return form, form.validate()


def default_scenario() -> dict:
    """Return the scenario the page shows before the investor chooses one."""
    return method.scenario(
        method.DEFAULT_TEAM, "software", list(COUNTRY_SLUGS), overhead=figures.overhead_values()
    )


def chosen_countries(scenario: dict) -> bool:
    """Tell whether a scenario's countries are a choice: anything but the default, all six.

    Every box is ticked at first, so all six is what an investor who never touched them sends:
    it names no country of interest. An estimate request then carries no ``country``
    parameter and is a regional inquiry (``leads.capture``), shared with no agency.
    """
    return set(scenario["countries"]) != set(COUNTRY_SLUGS)


def query_of(scenario: dict, *, countries: bool = True) -> list[tuple[str, str]]:
    """Return the GET parameters that ask for a scenario (links to the estimate form).

    ``countries=False`` leaves the ``country`` parameters out: the untouched default.
    """
    pairs = [("team", str(scenario["team"])), ("mix", scenario["mix"])]
    if scenario["mix"] == method.CUSTOM:
        pairs += [(role, str(scenario["shares"][role])) for role in method.ROLES]
    for role in method.ROLES:
        if scenario["factors"][role] != method.DEFAULT_FACTOR:
            pairs.append((f"factor_{role}", f"{scenario['factors'][role]:g}"))
    if scenario.get("fallback"):
        pairs.append(("fallback", "y"))
    defaults = figures.overhead_values()
    overhead = scenario.get("overhead") or {}
    for name in ("m2", "equipment", "recruitment"):
        if name in overhead and overhead[name] != defaults[name]:
            pairs.append((name, f"{overhead[name]:g}"))
    for slug, rent in sorted((overhead.get("rents") or {}).items()):
        pairs.append((f"rent_{slug.replace('-', '_')}", f"{rent:g}"))
    if countries:
        pairs += [("country", slug) for slug in scenario["countries"]]
    return pairs


def country_choices(lang: str) -> list[SelectChoice]:
    """Return the six countries as check box choices, named in ``lang``."""
    return [SelectChoice(slug, present.country_label(slug, lang)) for slug in COUNTRY_SLUGS]
