"""Secrets the platform must read back (webhook signing secrets) are stored sealed: encrypted and authenticated
with Fernet (the ``cryptography`` package), under a key derived from the site's ``SECRET_KEY`` with HKDF. A
database dump or backup alone does not reveal them.

The key is configured once per process from the settings (:func:`configure`, as ``build_platform`` does), like
the formatting and time-zone settings: every web process and worker of a site shares ``SECRET_KEY``, so each can
open what another sealed. A site that changes ``SECRET_KEY`` can no longer open what was sealed before:
:class:`SealBroken` says so, and the secret must be made again (a new webhook).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "sealed:v1:"
"""Marks a sealed value (a value without it predates sealing)."""
_PURPOSE = b"crm stored secrets v1"

_fernet: Fernet | None = None


class SealBroken(Exception):
    """A sealed value cannot be opened with this site's key (``SECRET_KEY`` changed, or the value was altered)."""


def key_for(secret_key: str) -> Fernet:
    """The Fernet key derived from ``secret_key`` (HKDF-SHA256, this module's purpose as info)."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def configure(secret_key: str) -> None:
    """Use the key derived from ``secret_key`` in this process."""
    global _fernet
    _fernet = key_for(secret_key)


def seal(plain: str, fernet: Fernet | None = None) -> str:
    """``plain`` encrypted and authenticated, marked with :data:`PREFIX`."""
    return PREFIX + _key(fernet).encrypt(plain.encode()).decode()


def unseal(stored: str, fernet: Fernet | None = None) -> str:
    """The plain value of a sealed one; :class:`SealBroken` when this key cannot open it."""
    if not stored.startswith(PREFIX):
        raise SealBroken("the value is not sealed")
    try:
        return _key(fernet).decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken:
        raise SealBroken("the value was sealed with another SECRET_KEY, or altered") from None


def is_sealed(stored: str) -> bool:
    """Whether ``stored`` is a sealed value."""
    return stored.startswith(PREFIX)


def _key(fernet: Fernet | None) -> Fernet:
    if fernet is not None:
        return fernet
    if _fernet is None:
        raise RuntimeError("crm.sealing.configure() was not called (build_platform does it)")
    return _fernet
