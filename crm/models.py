"""Import every CRM model module so their tables are on ``CrmBase.metadata`` (for Alembic)."""

from . import customers, users  # noqa: F401
