"""The demo logins (embedded default and tests): password ``demo``, role evident from the name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm.accounts.access import create_user, ensure_roles
from crm.accounts.users import Team, User
from demo.vocabulary import vocabulary

DEMO_PASSWORD = "demo"

DEMO_USERS: dict[str, tuple[str, list[str]]] = {
    "admin": ("Ada Admin", ["administrator"]),
    "owner": ("Otto Owner", ["process_owner"]),
    "sales": ("Sam Sales", ["salesperson"]),
    "sales2": ("Sue Sales", ["salesperson"]),
    "info": ("Ian Info", ["information_officer"]),
    "custdir": ("Cara Customer-Director", ["customer_director"]),
    "salesdir": ("Sid Sales-Director", ["sales_director"]),
    "mktdir": ("Mia Marketing-Director", ["marketing_director"]),
    "finance": ("Fay Finance", ["finance"]),
    "agent": ("Al Agent", ["service_agent"]),
    "engineer": ("Eve Engineer", ["engineer"]),
}


def create_demo_users(session: Session, language: str | None = None) -> dict[str, User]:
    """Create the demo users (idempotent) with display names in ``language`` (English by default);
    ``sales`` and ``sales2`` report to ``salesdir``."""
    names = dict(vocabulary(language).users)
    ensure_roles(session)
    existing = {u.username: u for u in session.scalars(select(User))}
    team = session.scalar(select(Team).where(Team.name == "Sales")) or Team(name="Sales")
    session.add(team)
    for username, (name, roles) in DEMO_USERS.items():
        if username not in existing:
            existing[username] = create_user(session, username, DEMO_PASSWORD, names.get(username, name), roles,
                                             email=f"{username}@example.com", phone="+86 138 0000 0100")
    for username in ("sales", "sales2", "salesdir"):
        existing[username].team = team
    existing["sales"].manager = existing["sales2"].manager = existing["salesdir"]
    session.flush()
    return existing
