"""Fixtures of the service tests: those of the order tests (processes deployed, customers, catalogue, engineers)."""

from tests.orders.conftest import desk, order_processes, shop  # noqa: F401
