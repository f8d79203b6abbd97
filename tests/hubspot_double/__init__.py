"""A local HubSpot double for the tests."""

from tests.hubspot_double.server import HubSpotDouble

__all__ = ["HubSpotDouble"]
