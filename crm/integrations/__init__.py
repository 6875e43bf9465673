"""Connections to other systems: webhooks (signed HTTP calls when something happens in the CRM)."""
