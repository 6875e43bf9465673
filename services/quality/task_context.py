"""Task context of a "check and fix customer data" task: the batch's customers and their problems."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from i18n import _, pgettext
from services.context_views import context_view

from .labels import CHECK_LABELS
from .tasks import batch_findings


def quality_batch(session: Session, data: Mapping[str, Any]) -> dict:
    """The customers named by ``customer_ids`` with each finding (open or fixed) and a link per customer."""
    ids = [int(i) for i in data.get("customer_ids") or []]
    rows = batch_findings(session, ids)
    open_count = sum(1 for finding, _company in rows if finding.status == "open")
    links, seen = [], set()
    for finding, company in rows:
        if finding.customer_id not in seen:
            seen.add(finding.customer_id)
            links.append((company, f"/customers/{finding.customer_id}"))
    return context_view("quality_batch", _("Customer data to fix"),
                        [(pgettext("count", "Customers"), len(ids)), (_("Open problems"), open_count)],
                        lines=((_("Customer"), _("Check"), _("Problem"), _("Status")),
                               [(company, str(CHECK_LABELS.get(f.check, f.check)), f.detail,
                                 _("open") if f.status == "open" else _("fixed")) for f, company in rows]),
                        links=links)
