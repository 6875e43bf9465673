"""JSON encoding for task data: Decimals as strings, dates as ISO-8601, moments in UTC with ``Z``, text as text.

``ensure_ascii`` is off: Chinese stays readable (``刘``, not ``\\u5218``) in the API's answers and wherever a
template shows data with ``|tojson`` (the admin console's process data); the HTML-safe escaping of
``|tojson`` (``<``, ``>``, ``&``, ``'``) does not depend on it.
"""

from __future__ import annotations

import datetime as dt
import decimal

from flask.json.provider import DefaultJSONProvider

from i18n import zones


class CrmJSONProvider(DefaultJSONProvider):
    sort_keys = False
    ensure_ascii = False

    @staticmethod
    def default(value):
        if isinstance(value, decimal.Decimal):
            return str(value)
        if isinstance(value, dt.datetime):
            return zones.utc_iso(value)  # stored naive UTC: say so
        if isinstance(value, dt.date):
            return value.isoformat()
        return DefaultJSONProvider.default(value)
