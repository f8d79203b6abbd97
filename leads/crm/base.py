"""The small CRM interface the rest of the project talks to, and its null implementation."""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

# Error categories the relay acts on.
RATE_LIMIT = "RATE_LIMIT"
DAILY_LIMIT = "DAILY_LIMIT"
VALIDATION = "VALIDATION_ERROR"
CONFLICT = "CONFLICT"
NOT_FOUND = "OBJECT_NOT_FOUND"
AUTH = "AUTHENTICATION"
SERVER = "SERVER_ERROR"
NETWORK = "NETWORK"
NOT_CONFIGURED = "NOT_CONFIGURED"


class CRMError(Exception):
    """A failed CRM call, with what HubSpot said about it."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        category: str = SERVER,
        correlation_id: str | None = None,
        retryable: bool = False,
    ):
        super().__init__(message)
        self.message = message
        self.status = status
        self.category = category
        self.correlation_id = correlation_id
        self.retryable = retryable

    def describe(self) -> str:
        """Return one line for an operator: status, category, message, correlation id."""
        parts = [str(self.status) if self.status else None, self.category, self.message]
        text = " ".join(p for p in parts if p)
        if self.correlation_id:
            text += f" (correlation id {self.correlation_id})"
        return text


class DailyLimitReached(CRMError):
    """HubSpot's daily request limit is spent; nothing can be sent until it resets."""

    def __init__(self, message: str, *, reset_at: dt.datetime, **kwargs):
        kwargs.setdefault("status", 429)
        kwargs.setdefault("category", DAILY_LIMIT)
        super().__init__(message, retryable=True, **kwargs)
        self.reset_at = reset_at


@dataclass
class BatchResult:
    """Outcome of one batch call: object ids and errors keyed by ``objectWriteTraceId``."""

    ids: dict[str, str] = field(default_factory=dict)
    errors: dict[str, CRMError] = field(default_factory=dict)


@dataclass(frozen=True)
class SchemaInfo:
    """What ``ensure_schema`` read back: the pipeline id and the deal stage id per stage."""

    pipeline_id: str
    stage_ids: dict[str, str]


class CRM(abc.ABC):
    """Operations the relay needs from a CRM; every batch takes at most 100 inputs."""

    configured = True

    @abc.abstractmethod
    def upsert_contacts(self, inputs: list[dict]) -> BatchResult:
        """Create or update contacts identified by email."""

    @abc.abstractmethod
    def upsert_companies(self, inputs: list[dict]) -> BatchResult:
        """Create or update companies identified by their company key."""

    @abc.abstractmethod
    def upsert_deals(self, inputs: list[dict]) -> BatchResult:
        """Create or update deals identified by their lead reference."""

    @abc.abstractmethod
    def create_notes(self, inputs: list[dict]) -> BatchResult:
        """Create notes once each, identified by their note reference."""

    @abc.abstractmethod
    def associate(self, from_type: str, to_type: str, pairs: list[tuple[str, str]]) -> BatchResult:
        """Link objects with HubSpot's default association; errors keyed by "from:to"."""

    @abc.abstractmethod
    def ensure_schema(self) -> SchemaInfo:
        """Create the property group, properties and deal pipeline unless they exist."""

    @abc.abstractmethod
    def erase_contact(self, email: str | None = None, *, contact_id: str | None = None) -> None:
        """Permanently delete a contact under GDPR; an unknown contact is not an error."""

    @abc.abstractmethod
    def changed_since(
        self, object_type: str, since: dt.datetime, properties: tuple[str, ...]
    ) -> Iterator[list[dict]]:
        """Yield pages of objects ({"id", "properties"}) modified since ``since``, oldest first."""

    @abc.abstractmethod
    def get_owner(self, owner_id: str) -> dict | None:
        """Return a CRM owner ({"id", "email", ...}), or None if there is no such owner."""

    @abc.abstractmethod
    def health(self) -> dict:
        """Return a short description of the CRM connection for status pages."""


class NullCRM(CRM):
    """The CRM when no access token is set: every call refuses, events wait in the outbox."""

    configured = False

    def _refuse(self, *args, **kwargs):
        raise CRMError("CRM is not configured", category=NOT_CONFIGURED, retryable=True)

    upsert_contacts = upsert_companies = upsert_deals = create_notes = _refuse
    associate = ensure_schema = erase_contact = changed_since = get_owner = _refuse

    def health(self) -> dict:
        """Say that the CRM is not configured."""
        return {"configured": False, "ok": False}
