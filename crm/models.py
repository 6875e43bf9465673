"""Import every CRM model module so their tables are on ``CrmBase.metadata`` (for Alembic)."""

from . import customers, users  # noqa: F401

# isort: split
from . import (  # noqa: F401  (orders and service)
    catalog,
    contracts,
    engineers,
    payments,
    projects,
    quotes,
    reminders,
    service_desk,
    settlements,
)

# isort: split
from . import audit, drafts  # noqa: F401  (process authoring)

# isort: split
from . import (  # noqa: F401  (sales)
    activities,
    behaviour,
    expenses,
    opportunities,
    ownership,
    service_plans,
    tenders,
    visits,
)
