"""What the service desk's stored keys read as: channels, request types, urgencies, handling, statuses, complaint
causes, skills and settlement policies (the wording of the service-request diagram's options)."""

from __future__ import annotations

from crm.service.policy import POLICY_LABELS
from i18n import _l

LABELS = {
    "channel": {"phone": _l("Phone"), "web": _l("Website"), "complaint": _l("Complaint"), "booking": _l("Booking")},
    "request_type": {"repair": _l("Repair"), "maintenance": _l("Maintenance"), "installation": _l("Installation"),
                     "consultation": _l("Consultation"), "complaint": _l("Complaint")},
    "urgency": {"low": _l("Low"), "normal": _l("Normal"), "high": _l("High"), "critical": _l("Critical")},
    "handling": {"phone": _l("Solved by phone"), "service_order": _l("Service order"),
                 "complaint": _l("Complaint handling")},
    "request_status": {"new": _l("New"), "classified": _l("Classified"), "in_service": _l("In service"),
                       "resolved": _l("Resolved"), "closed": _l("Closed"), "cancelled": _l("Cancelled")},
    "order_status": {"awaiting_confirmation": _l("Awaiting the customer's confirmation"),
                     "confirmed": _l("Confirmed"), "scheduled": _l("Scheduled"), "done": _l("Work done"),
                     "settled": _l("Fees settled"), "cancelled": _l("Cancelled")},
    "complaint_cause": {"product_quality": _l("Product quality"), "service_quality": _l("Service quality"),
                        "delivery": _l("Delivery"), "billing": _l("Billing"), "other": _l("Other")},
    "skill": {"hull": _l("Hull"), "electrical": _l("Electrical"), "hydraulics": _l("Hydraulics"),
              "propulsion": _l("Propulsion"), "automation": _l("Automation")},
    "policy": POLICY_LABELS,
}
"""Labels by kind, then stored key."""


def label(kind: str, key: str | None) -> str:
    """The label of a stored key of ``kind`` in the current language; an unknown key (an engineer's own skill
    name) reads as it is."""
    if not key:
        return ""
    found = LABELS[kind].get(key)
    return str(found) if found is not None else key


class Labels(dict):
    """One kind's labels in the current language, for a page listing many rows: ``labels[key]`` reads as
    :func:`label` does, each key translated once (not once per row)."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def __missing__(self, key: str | None) -> str:
        text = self[key] = label(self.kind, key)
        return text
