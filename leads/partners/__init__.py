"""Introductions to the region's partners: requests, the chapter's steps, the consent gate."""

from leads.partners import models  # noqa: F401 - registers the tables with SQLAlchemy
