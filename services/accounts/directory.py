"""Who is who: users, teams and roles as the user pages, sign-in and the command line look them up."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from crm.accounts.access import remember_reports, reports_of
from crm.accounts.users import Role, Team, User


def user_by_id(session: Session, user_id: int | None) -> User | None:
    """The user with this id (None for no id or an unknown one)."""
    return session.get(User, user_id) if user_id else None


def user_named(session: Session, username: str) -> User | None:
    """The user who signs in as ``username``."""
    return session.scalar(select(User).where(User.username == username))


def signed_in_user(session: Session, user_id: int) -> User | None:
    """The user with their roles, team and the ids of everyone reporting to them (their data scope), in one
    statement: pages read all four, several times (see :func:`crm.accounts.access.subordinate_ids`)."""
    found = session.execute(_SIGNED_IN_USER, {"user_id": user_id}).unique().first()
    if found is None:
        return None
    remember_reports(session, user_id, found[1])
    return found[0]


_SIGNED_IN_USER = (
    select(User, reports_of(bindparam("user_id"))).where(User.id == bindparam("user_id"))
    .options(joinedload(User.roles), joinedload(User.team))
)
"""Built once: every request runs it, and building it costs more than running it from SQLAlchemy's cache."""


def users_by_username(session: Session) -> list[User]:
    """Every user, active or not, by username (the users page)."""
    return list(session.scalars(select(User).order_by(User.username)))


def active_users_by_name(session: Session) -> list[User]:
    """The active users by display name (who can be made responsible for something)."""
    return list(session.scalars(select(User).where(User.active.is_(True)).order_by(User.display_name)))


def roles_with_keys(session: Session, keys: list[str]) -> list[Role]:
    """The roles named by ``keys`` (unknown keys are left out)."""
    return list(session.scalars(select(Role).where(Role.key.in_(keys))))


def teams_by_name(session: Session) -> list[Team]:
    """Every team, by name."""
    return list(session.scalars(select(Team).order_by(Team.name)))


def team_by_id(session: Session, team_id: int | None) -> Team | None:
    """The team with this id (None for no id or an unknown one)."""
    return session.get(Team, team_id) if team_id else None


def team_name_taken(session: Session, name: str, other_than: int | None = None) -> bool:
    """Whether another team (not ``other_than``) already has ``name``."""
    query = select(Team.id).where(Team.name == name)
    if other_than is not None:
        query = query.where(Team.id != other_than)
    return session.scalar(query) is not None


def add_team(session: Session, name: str) -> Team:
    """A new team called ``name`` (cut to 100 characters)."""
    team = Team(name=name[:100])
    session.add(team)
    return team
