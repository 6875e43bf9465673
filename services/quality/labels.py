"""The checks as people read them."""

from __future__ import annotations

from i18n import _l

CHECK_LABELS = {"duplicate": _l("Likely duplicates"), "missing": _l("Missing required attributes"),
                "invalid_contact": _l("Invalid phone or e-mail"), "owner_inactive": _l("Owner left or inactive"),
                "key_idle": _l("Key customers without activity")}
