"""Transports for e-mail (SMTP) and text messages (an HTTP SMS gateway); used only when configured."""

from __future__ import annotations

import json
import smtplib
import urllib.request
from email.message import EmailMessage
from typing import Protocol

import config

SENDER = "CRM <noreply@crm.invalid>"
TIMEOUT_SECONDS = 15


class Transport(Protocol):
    """Sends one message to an address; raises on failure (the delivery job retries)."""

    def send(self, address: str, subject: str, body: str) -> None: ...


class SmtpTransport:
    """E-mail through ``host[:port]`` with smtplib (no authentication: a relay inside the firewall)."""

    def __init__(self, host: str):
        name, _, port = host.partition(":")
        self.host, self.port = name, int(port or 25)

    def send(self, address: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = SENDER, address, subject
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS) as smtp:
            smtp.send_message(message)


class SmsGateway:
    """Text messages: ``POST {"to": phone, "text": ...}`` as JSON to the gateway URL; any 2xx is success."""

    def __init__(self, url: str):
        self.url = url

    def send(self, address: str, subject: str, body: str) -> None:
        text = f"{subject}: {body}" if body else subject
        request = urllib.request.Request(
            self.url, data=json.dumps({"to": address, "text": text}).encode(),
            headers={"Content-Type": "application/json"}, method="POST",
        )
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            if not 200 <= response.status < 300:
                raise ConnectionError(f"SMS gateway answered {response.status}")


def configured_transports(settings: config.Settings) -> dict[str, Transport]:
    """The transports the settings enable, by channel name ("email", "sms")."""
    transports: dict[str, Transport] = {}
    if settings.smtp_host:
        transports["email"] = SmtpTransport(settings.smtp_host)
    if settings.sms_gateway_url:
        transports["sms"] = SmsGateway(settings.sms_gateway_url)
    return transports
