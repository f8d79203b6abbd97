"""Request an introduction to partners (``/partners/introduce/``), on the one form flow.

``?partner=``, ``?country=`` and ``?kind=`` preselect the partners offered. The request is a lead
of kind ``introduction``: scored and routed like any other (by the partners' country, see
``leads.lifecycle.routing.route_introduction``), with one introduction stored per chosen partner.
Passing the investor's name, company and need to partners is a separate, optional consent.
"""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from babel import Locale
from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.countries import COUNTRY_SLUGS
from core.forms import MultiCheckboxField
from core.i18n import current_lang, localized_route
from gateway.content.partners import PARTNER_KINDS, PartnerDoc
from gateway.content_app import get_store
from leads import choices
from leads.capture.blueprint import bp, limit_posts
from leads.capture.flow import (
    chosen_countries,
    consent_proof,
    contact_core,
    handle,
    submission,
    thanks_context,
)
from leads.capture.forms import (
    INVALID_CHOICE,
    MESSAGE_MAX,
    ContactForm,
    PlainText,
    country_choices,
    optional,
    options,
    strip_text,
)
from leads.partners.service import record_request, requested_partners

TEAM_MAX = 100_000


class IntroductionForm(ContactForm):
    """An investor's request to be introduced to partners of the directory."""

    partners = MultiCheckboxField(
        _l("Partners you would like to meet"),
        description=_l("Choose any number, or none: the ABSL chapter then suggests partners."),
        invalid_choice_message=INVALID_CHOICE,
    )
    need = TextAreaField(
        _l("What do you need? In your own words"),
        filters=[strip_text],
        description=_l("For example: 40 German-speaking support agents in Tirana from spring."),
        validators=[
            DataRequired(_l("Please tell us briefly what you need.")),
            Length(max=MESSAGE_MAX),
            PlainText(multiline=True),
        ],
        render_kw={"rows": 5},
    )
    team_size = IntegerField(
        _l("Team size (people, optional)"),
        validators=[
            Optional(),
            NumberRange(1, TEAM_MAX, _l("Please give a whole number of people, e.g. 40.")),
        ],
        render_kw={"inputmode": "numeric", "min": 1, "max": TEAM_MAX},
    )
    team_languages = MultiCheckboxField(
        _l("Languages the team must speak (optional)"), invalid_choice_message=INVALID_CHOICE
    )
    timeline = SelectField(
        _l("When do you plan to start?"),
        choices=optional(choices.TIMELINES),
        default="",
        invalid_choice_message=INVALID_CHOICE,
    )
    share = BooleanField(
        _l(
            "Optional: the ABSL chapter may pass my name, company and need to the partners I "
            "chose (or it suggests) to introduce us. Without this, it asks me first."
        ),
        default=False,
    )


def offered(args) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Return the partners to offer as (slug, name), and the partners and countries to preselect.

    ``?partner=`` offers the partners that share a country with it, ``?country=`` and ``?kind=``
    narrow the list; unknown values are ignored, so a stale link still shows the form.
    """
    store = get_store()
    entries = store.all("partners")
    metas = {e.slug: cast(PartnerDoc, e.meta) for e in entries}
    partner = args.get("partner", "")
    country = args.get("country", "") if args.get("country") in COUNTRY_SLUGS else ""
    kind = args.get("kind", "") if args.get("kind") in PARTNER_KINDS else ""
    chosen = [partner] if partner in metas else []
    countries = [country] if country else []
    if chosen and not countries and len(metas[partner].countries) == 1:
        countries = list(metas[partner].countries)
    around = set(metas[partner].countries) if chosen else set(countries)
    shown = [
        (slug, meta.name)
        for slug, meta in metas.items()
        if slug in chosen
        or ((not around or around & set(meta.countries)) and (not kind or meta.kind == kind))
    ]
    return shown, chosen, countries


def _language_choices(lang: str) -> list:
    names = Locale.parse(lang).languages
    return options((code, names.get(code, code)) for code in choices.TEAM_LANGUAGES)


@localized_route(bp, "/partners/introduce/", methods=["GET", "POST"])
@limit_posts
def introduce():
    """Ask for an introduction to partners; store it as a lead of kind ``introduction``."""
    lang = current_lang()
    form = IntroductionForm()
    shown, chosen, countries = offered(request.args)
    form.partners.choices = options(shown)
    form.countries.choices = country_choices()
    form.team_languages.choices = _language_choices(lang)
    if request.method == "GET":
        form.partners.data = chosen
        form.countries.data = countries

    def build():
        partners = requested_partners(form.partners.data or [])
        picked = [c for c in chosen_countries(form.countries.data) if c != choices.UNDECIDED]
        where = picked or sorted({p.country for p in partners}) or [choices.UNDECIDED]
        team = form.team_size.data
        base = submission(
            choices.INTRODUCTION,
            form,
            consent_proof(choices.ARRANGE_INTRODUCTION, "introduce"),
            lead=contact_core(form),
            inquiry={
                "message": form.need.data,
                "headcount_band": choices.headcount_band_for(team) if team else "unknown",
                "timeline": form.timeline.data,
            },
            countries=tuple(where),
            on_recorded=lambda lead, inquiry: record_request(lead, inquiry, partners),
        )
        if not form.share.data:
            return base
        share = replace(
            consent_proof(choices.SHARE_WITH_PARTNERS, "introduce"),
            method="separate optional unticked checkbox, web form",
        )
        return replace(base, extra_consents=(*base.extra_consents, share))

    # The form posts back to itself with what the link preselected, and nothing else.
    chosen = {
        key: request.args[key] for key in ("partner", "country", "kind") if request.args.get(key)
    }
    action = url_for("capture.introduce", **chosen)
    return handle(
        "introduce",
        form,
        build,
        thanks=url_for("capture.introduce_thanks"),
        template="leads/capture/introduce.html",
        context=lambda: {"action": action, "offered_count": len(shown)},
    )


@localized_route(bp, "/partners/introduce/thanks/")
def introduce_thanks():
    """Thank the investor and say who makes the introduction, and by when."""
    return render_template("leads/capture/thanks.html", kind="introduction", **thanks_context())
