"""How mail headers are written: display names and subjects as encoded words that read back the
same in every client, and the unsubscribe headers literally (RFC 2369, RFC 8058)."""

from __future__ import annotations

import base64
import email.policy
import re
from email.headerregistry import AddressHeader, UnstructuredHeader


class UnsendableError(ValueError):
    """A message that can never be sent (no address, an address that does not parse)."""


class UnsafeMessageError(UnsendableError):
    """The serialised message does not say what was built: a header was injected or lost."""


def _unfolded(value: object) -> str:
    return " ".join(str(value).split())


ENCODED_WORD_LIMIT = 75  # RFC 2047: an encoded word is at most 75 characters long


def _encoded_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode("utf-8")).decode("ascii") + "?="


def _encoded_words(text: str, *, phrase: bool) -> list[str]:
    """Return ``text`` as RFC 2047 encoded words, each space kept inside the word before it.

    The standard library's folder cuts a long display name into encoded words anywhere, and
    its own parser (like some mail clients) then reads a space between them: "Пушкин" came back
    as "Пуш кин"; in a subject it sometimes moves a space between two encoded words, where
    every reader drops it. Here no space ever stands between two words of the text's own, so
    readers that join adjacent encoded words (RFC 2047) and readers that keep the space read
    the same text (a display name up to the width of a space). In a display name (``phrase``)
    words are cut only after a space, so a long run without one stays one longer word.
    """
    parts = re.split(r"(?<= )", text) if phrase else list(text)
    words: list[str] = []
    chunk = ""
    for part in parts:
        if chunk and len(_encoded_word(chunk + part)) > ENCODED_WORD_LIMIT:
            words.append(_encoded_word(chunk))
            chunk = ""
        chunk += part
    if chunk:
        words.append(_encoded_word(chunk))
    return words


# Headers whose value is a list of <URI> (RFC 2369) or a fixed token (RFC 8058): mail clients
# read them literally, never as RFC 2047 text. The standard library writes an unstructured
# value with a token longer than a line (a long URL) as encoded words, which no client reads
# as a link: these are written as they are, on one line (RFC 5322 allows up to 998 characters).
LITERAL_HEADERS = frozenset({"list-unsubscribe", "list-unsubscribe-post"})
LINE_LIMIT = 998


class _MailPolicy(email.policy.EmailPolicy):
    """The SMTP policy, writing non-ASCII names and subjects so that they parse back unchanged.

    ASCII headers are folded by the standard library as before; the ``List-Unsubscribe``
    headers are written literally (``LITERAL_HEADERS``).
    """

    def fold(self, name, value):
        return (
            self._literal(name, value)
            or self._fold_unicode(name, value)
            or super().fold(name, value)
        )

    def fold_binary(self, name, value):
        folded = self._literal(name, value) or self._fold_unicode(name, value)
        return folded.encode("ascii") if folded else super().fold_binary(name, value)

    def _literal(self, name: str, value: object) -> str | None:
        if name.lower() not in LITERAL_HEADERS:
            return None
        text = _unfolded(value)
        line = f"{name}: {text}"
        if not text.isascii() or len(line) > LINE_LIMIT:
            raise UnsafeMessageError(f"the {name} header is not one ASCII line")
        return line + self.linesep

    def _fold_unicode(self, name: str, value: object) -> str | None:
        if isinstance(value, UnstructuredHeader) and not str(value).isascii():
            return self._fold_tokens(name, _encoded_words(str(value), phrase=False))
        if not isinstance(value, AddressHeader) or any(g.display_name for g in value.groups):
            return None
        addresses = value.addresses
        if all(a.display_name.isascii() for a in addresses) or not all(
            a.addr_spec.isascii() for a in addresses
        ):
            return None
        tokens: list[str] = []
        for index, item in enumerate(addresses):
            comma = "," if index < len(addresses) - 1 else ""
            if item.display_name.isascii():
                tokens.append(str(item) + comma)
            else:
                tokens += _encoded_words(item.display_name, phrase=True)
                tokens.append(f"<{item.addr_spec}>{comma}")
        return self._fold_tokens(name, tokens)

    def _fold_tokens(self, name: str, tokens: list[str]) -> str:
        lines = [f"{name}:"]
        limit = self.max_line_length or 78
        for token in tokens:
            if len(lines[-1]) + 1 + len(token) > limit and lines[-1] != f"{name}:":
                lines.append("")
            lines[-1] += " " + token
        return self.linesep.join(lines) + self.linesep


POLICY = _MailPolicy(linesep="\r\n")
