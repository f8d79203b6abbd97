"""CRM sync: the CRM interface, the HubSpot adapter, payloads, the relay and its commands."""
