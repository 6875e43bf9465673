"""Import every CRM model module so their tables are on ``CrmBase.metadata`` (for Alembic)."""

from crm import audit, files, idempotency  # noqa: F401
from crm.accounts import users  # noqa: F401
from crm.campaigns import campaigns  # noqa: F401
from crm.customers import behaviour, history, models, ownership, service_plans, wallet  # noqa: F401
from crm.imports import models as import_models  # noqa: F401
from crm.integrations import webhooks  # noqa: F401
from crm.notifications import messages  # noqa: F401
from crm.orders import catalog, contracts, payments, projects, quotes, reminders  # noqa: F401
from crm.processes import drafts, worklist  # noqa: F401
from crm.quality import models as quality_models  # noqa: F401
from crm.reporting import periodic_reports, targets  # noqa: F401
from crm.sales import activities, expenses, opportunities, tenders, visits  # noqa: F401
from crm.service import engineers, service_desk, settlements  # noqa: F401
