"""Tracking tokens: signed, so a contact, campaign or target address cannot be forged, guessed or enumerated.

Each kind of token has its own signing salt, so an e-mail-open token is no click token and no visitor token.
A token never expires: an e-mail may be opened years after it was sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

OPEN, CLICK, VISITOR = "open", "click", "visitor"
MAX_TOKEN_LENGTH = 2048


@dataclass(frozen=True)
class Opened:
    contact_id: int
    campaign: str


@dataclass(frozen=True)
class Clicked:
    contact_id: int
    campaign: str
    url: str


class TrackingTokens:
    """Makes and reads the tokens of the tracking pixel, tracked links and website visitors."""

    def __init__(self, secret_key: str):
        self._secret = secret_key

    def _serializer(self, kind: str) -> URLSafeSerializer:
        return URLSafeSerializer(self._secret, salt=f"crm-tracking-{kind}")

    def open_token(self, contact_id: int, campaign: str) -> str:
        return self._serializer(OPEN).dumps([contact_id, campaign])

    def click_token(self, contact_id: int, campaign: str, url: str) -> str:
        return self._serializer(CLICK).dumps([contact_id, campaign, url])

    def visitor_token(self, contact_id: int) -> str:
        return self._serializer(VISITOR).dumps([contact_id])

    def _read(self, kind: str, token: str, size: int) -> list | None:
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        try:
            values = self._serializer(kind).loads(token)
        except BadSignature:
            return None
        if not isinstance(values, list) or len(values) != size or not isinstance(values[0], int):
            return None
        return values

    def read_open(self, token: str) -> Opened | None:
        """The contact and campaign of a genuine open token, else None."""
        values = self._read(OPEN, token, 2)
        return Opened(*values) if values else None

    def read_click(self, token: str) -> Clicked | None:
        """The contact, campaign and target of a genuine click token, else None."""
        values = self._read(CLICK, token, 3)
        return Clicked(*values) if values else None

    def read_visitor(self, token: str) -> int | None:
        """The contact of a genuine visitor token, else None."""
        values = self._read(VISITOR, token, 1)
        return values[0] if values else None
