"""DKIM signatures on outgoing mail, when a key is configured (dkimpy).

RFC 8058 one-click unsubscribe requires a DKIM signature that covers ``List-Unsubscribe`` and
``List-Unsubscribe-Post``; mail clients ignore the one-click header otherwise. With
``DKIM_SELECTOR``, ``DKIM_DOMAIN`` and ``DKIM_PRIVATE_KEY_PATH`` set, every message the relay
sends (or writes to ``MAIL_FOLDER``) is signed over the headers of ``SIGNED_HEADERS`` it has.
Without them nothing is signed here: the mail server may sign instead (docs/deploy.md).
"""

from __future__ import annotations

import email.policy
from collections.abc import Mapping
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from pathlib import Path

import dkim

# Signed when present: the identity and content of the message, and the one-click headers.
SIGNED_HEADERS = (
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
)


class SigningError(RuntimeError):
    """The DKIM settings are incomplete, or the key cannot be read or used."""


@dataclass(frozen=True)
class DkimKey:
    """Who signs: the selector and domain published in DNS, and the private key (PEM)."""

    selector: str
    domain: str
    private_key: bytes


def configured_key(config: Mapping) -> DkimKey | None:
    """Return the configured signing key, or None when DKIM signing is off.

    Raise ``SigningError`` when only some of the three settings are given, or the key file
    cannot be read: mail that should be signed is not sent unsigned.
    """
    names = ("DKIM_SELECTOR", "DKIM_DOMAIN", "DKIM_PRIVATE_KEY_PATH")
    values = [(config.get(name) or "").strip() for name in names]
    if not any(values):
        return None
    if not all(values):
        missing = ", ".join(name for name, value in zip(names, values, strict=True) if not value)
        raise SigningError(f"DKIM signing needs {missing} as well")
    selector, domain, path = values
    try:
        private_key = Path(path).read_bytes()
    except OSError as exc:
        raise SigningError(f"the DKIM key cannot be read: {exc}") from exc
    return DkimKey(selector, domain, private_key)


def sign(data: bytes, key: DkimKey) -> bytes:
    """Return the serialised message with a DKIM-Signature header in front."""
    head = BytesHeaderParser(policy=email.policy.compat32).parsebytes(data)
    present = {name.lower() for name in head}
    headers = [name.encode("ascii") for name in SIGNED_HEADERS if name.lower() in present]
    try:
        signature = dkim.sign(
            data,
            key.selector.encode("ascii"),
            key.domain.encode("ascii"),
            key.private_key,
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=headers,
        )
    except dkim.DKIMException as exc:
        raise SigningError(f"DKIM signing failed: {exc}") from exc
    return signature + data
