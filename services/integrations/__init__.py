"""Use cases connecting the CRM to other systems: webhook targets, signing and sending, the events they carry."""
