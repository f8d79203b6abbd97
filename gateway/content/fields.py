"""The building blocks of every content schema: text kinds, constrained strings, the strict base.

``gateway.content.schemas`` and ``gateway.content.partners`` build their documents from these.
Pure pydantic, no Flask.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.countries import COUNTRY_SLUGS
from gateway.content.units import PERIOD_PATTERN, QUALIFIERS, UNITS

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CountrySlug = Literal[COUNTRY_SLUGS]  # type: ignore[valid-type]


class TextKind:
    """Marks a str field in ``Annotated`` metadata as ``text`` or ``name``.

    ``text`` is human-readable and translatable; ``name`` is a proper name (an organisation, a
    university, the title of an English-language source) that stays as written in every
    language. Tools that walk the models (the translation checks) read this marker.
    """

    __slots__ = ("kind",)

    def __init__(self, kind: Literal["text", "name"]):
        self.kind = kind

    def __repr__(self) -> str:
        return f"TextKind({self.kind!r})"


TEXT = TextKind("text")
NAME = TextKind("name")

Text = Annotated[str, Field(min_length=1), TEXT]
"""A human-readable, translatable string."""
Name = Annotated[str, Field(min_length=1), NAME]
"""A proper name or the title of a source: the same in every language."""
ShortText = Annotated[str, Field(min_length=1, max_length=120), TEXT]
Summary = Annotated[str, Field(min_length=1, max_length=300), TEXT]
Label = Annotated[str, Field(min_length=1, max_length=160), TEXT]
Period = Annotated[str, Field(pattern=PERIOD_PATTERN), NAME]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), NAME]
if TYPE_CHECKING:
    Unit = str  # a key of the units table: the Literal below checks it at run time
else:
    Unit = Literal[tuple(UNITS)]
Qualifier = Literal[QUALIFIERS]  # type: ignore[valid-type]


class Strict(BaseModel):
    """A model that refuses unknown keys, so a typo in front matter is reported."""

    model_config = ConfigDict(extra="forbid", frozen=True)
