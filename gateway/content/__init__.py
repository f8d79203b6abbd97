"""Content: Markdown files with typed front matter, validated, rendered and sanitised."""

from gateway.content.check import check_store
from gateway.content.store import ContentError, ContentStore, Entry
from gateway.content.urls import content_path

__all__ = ["ContentError", "ContentStore", "Entry", "check_store", "content_path"]
