"""Fixtures for the CRM tests: the HubSpot double and adapters pointed at it."""

import pytest

from leads.crm.hubspot import API_VERSIONS, HubSpotCRM
from tests.hubspot_double import HubSpotDouble

TOKEN = "test-token"


def crm_settings(double, api_version: str, **extra) -> dict:
    """Return app settings that point the CRM at the double (plus ``extra``)."""
    return {
        "HUBSPOT_ACCESS_TOKEN": TOKEN,
        "HUBSPOT_BASE_URL": double.url,
        "HUBSPOT_API_VERSION": api_version,
        **extra,
    }


@pytest.fixture
def hubspot_double():
    """Run a HubSpot double on a free loopback port; fail on any departure from the specs."""
    double = HubSpotDouble(TOKEN).start()
    yield double
    double.stop()
    assert double.violations == [], "\n".join(double.violations)


@pytest.fixture(params=API_VERSIONS)
def api_version(request):
    """Run the test once per HubSpot API version."""
    return request.param


@pytest.fixture
def make_crm(hubspot_double, api_version):
    """Build HubSpotCRM adapters pointed at the double."""

    def make(**overrides):
        options = {
            "base_url": hubspot_double.url,
            "api_version": api_version,
            "timeout": (1.0, 2.0),
        }
        options.update(overrides)
        return HubSpotCRM(TOKEN, **options)

    return make
