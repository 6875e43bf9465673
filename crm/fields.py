"""Checks of what people type into customer, contact and account forms: one message per field.

Formats: e-mail (email-validator, no DNS look-up), phone (phonenumbers, numbers without a country code are
Chinese), unified social credit code (python-stdnum ``cn.uscc`` checksum), website (http/https).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from i18n import _

DEFAULT_REGION = "CN"
USCC_LENGTH = 18


class RecordInvalid(ValueError):
    """Some fields were refused; ``errors`` maps each field to its message."""

    def __init__(self, errors: Mapping[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)


class FieldError(ValueError):
    """One field's value is refused (the message is shown by the field)."""


def email(raw: str) -> str:
    """A normalised e-mail address, or "" for none."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise FieldError(_("not a valid e-mail address (%(reason)s)", reason=exc)) from None


def phone(raw: str) -> str:
    """A phone number in international format (``+86 21 5555 0100``), or "" for none."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise FieldError(_("not a valid phone number (a number without +country code is read as Chinese)"))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def registry_number(raw: str) -> str:
    """A unified social credit code (18 characters, checksum verified) or another registry's number."""
    compact = uscc.compact(raw.strip()) if raw.strip() else ""
    if not compact:
        return ""
    if len(compact) == USCC_LENGTH:
        try:
            return uscc.validate(compact)
        except ValidationError:
            raise FieldError(_("not a valid unified social credit code (check the characters: the "
                                   "last one is a check digit)")) from None
    if not compact.replace("-", "").replace("/", "").isalnum():
        raise FieldError(_("use letters, digits, - and / only"))
    return compact


def website(raw: str) -> str:
    """An http(s) address; ``example.com`` becomes ``https://example.com``."""
    raw = raw.strip()
    if not raw:
        return ""
    url = raw if "://" in raw else f"https://{raw}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in url:
        raise FieldError(_("not a web address (e.g. https://www.example.com)"))
    return url


def collect(form: Mapping[str, str], rules: Mapping[str, tuple[int, bool, Callable[[str], str] | None]]
            ) -> dict[str, str]:
    """Check each field of ``rules`` (max length, required, format) in ``form``; raise :class:`RecordInvalid`
    with every refused field, else return the cleaned values."""
    values, errors = {}, {}
    for name, (max_length, required, clean) in rules.items():
        raw = str(form.get(name) or "").strip()
        try:
            if required and not raw:
                raise FieldError(_("required"))
            value = clean(raw) if clean else raw
            if len(value) > max_length:
                raise FieldError(_("at most %(max)s characters (this has %(n)s)", max=max_length, n=len(value)))
        except FieldError as exc:
            errors[name] = str(exc)
            continue
        values[name] = value
    if errors:
        raise RecordInvalid(errors)
    return values
