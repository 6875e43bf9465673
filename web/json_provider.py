"""JSON encoding for task data: Decimals as strings, dates as ISO-8601."""

from __future__ import annotations

import datetime as dt
import decimal

from flask.json.provider import DefaultJSONProvider


class CrmJSONProvider(DefaultJSONProvider):
    sort_keys = False

    @staticmethod
    def default(value):
        if isinstance(value, decimal.Decimal):
            return str(value)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        return DefaultJSONProvider.default(value)
