"""Users, roles and teams: who may work in which lane and whose data they see."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, String, Table, Text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.base import CrmBase, utcnow
from i18n import _l

ROLES: dict[str, str] = {
    "salesperson": "Salesperson",
    "information_officer": "Information officer",
    "customer_director": "Customer director",
    "sales_director": "Sales director",
    "marketing_director": "Marketing director",
    "finance": "Finance",
    "service_agent": "Service agent",
    "engineer": "Engineer",
    "process_owner": "Process owner",
    "administrator": "Administrator",
    "integration": "Integration (creates service requests only)",
}
"""Role keys (lane names, normalized) and their labels (stored in the role table; the modeler reads them)."""

ROLE_LABELS: dict[str, object] = {
    "salesperson": _l("Salesperson"),
    "information_officer": _l("Information officer"),
    "customer_director": _l("Customer director"),
    "sales_director": _l("Sales director"),
    "marketing_director": _l("Marketing director"),
    "finance": _l("Finance"),
    "service_agent": _l("Service agent"),
    "engineer": _l("Engineer"),
    "process_owner": _l("Process owner"),
    "administrator": _l("Administrator"),
    "integration": _l("Integration (creates service requests only)"),
}
"""The roles' labels as people read them, in their language."""


def role_labels() -> dict[str, str]:
    """Every role key with its label in the current language."""
    return {key: str(ROLE_LABELS.get(key, label)) for key, label in ROLES.items()}

user_roles = Table(
    "user_role",
    CrmBase.metadata,
    Column("user_id", ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
    Column("role_key", ForeignKey("role.key", ondelete="CASCADE"), primary_key=True),
)


class Role(CrmBase):
    __tablename__ = "role"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))


class Team(CrmBase):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class User(CrmBase):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    """Raised to end every session and API token issued so far (:mod:`crm.accounts.sessions`)."""
    notify_email: Mapped[bool] = mapped_column(default=True, server_default=true())
    """Whether reminders and notices also come by e-mail (in-app notifications always come)."""
    notify_sms: Mapped[bool] = mapped_column(default=True, server_default=true())
    """Whether approval requests also come as text messages."""
    language: Mapped[str] = mapped_column(String(10), default="", server_default="")
    """The user's language (``zh_CN``, ``en``); empty: the site's."""
    timezone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    """The user's time zone (IANA name such as ``Asia/Shanghai``); empty: the site's."""
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin")
    manager: Mapped[User | None] = relationship(remote_side="User.id", foreign_keys=[manager_id])
    team: Mapped[Team | None] = relationship()

    @property
    def role_keys(self) -> frozenset[str]:
        return frozenset(role.key for role in self.roles)

    def has_role(self, key: str) -> bool:
        return key in self.role_keys


class LoginAttempt(CrmBase):
    """Failed logins, kept in the database so every web process sees the same throttle."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(45), default="", server_default="", index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
