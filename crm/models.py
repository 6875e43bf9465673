"""Import every CRM model module so their tables are on ``CrmBase.metadata`` (for Alembic)."""

from . import users  # noqa: F401
