"""What the report filters offer a viewer: the salespeople and teams in their scope, and the regions, industries
and grades of their customers (nothing from outside the scope is named)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import literal, select, union
from sqlalchemy.orm import Session

from crm.accounts.users import Team, User
from crm.customers.models import Customer
from services.reporting.report_types import scoped


@dataclass(frozen=True)
class FilterChoices:
    salespeople: list[tuple[int, str]]
    teams: list[tuple[int, str]]
    regions: list[str]
    industries: list[str]
    grades: list[str]


def filter_choices(session: Session, scope: set[int] | None) -> FilterChoices:
    """The choices of each filter for a viewer whose data scope is ``scope`` (None: everyone's)."""
    people = session.execute(scoped(select(User.id, User.display_name).where(User.active.is_(True)), User.id, scope)
                             .order_by(User.display_name)).all()
    teams = select(Team.id, Team.name).order_by(Team.name)
    if scope is not None:
        teams = teams.where(Team.id.in_(select(User.team_id).where(User.id.in_(scope))))
    return FilterChoices([(i, name) for i, name in people], [(i, name) for i, name in session.execute(teams)],
                         **customer_values(session, scope))


ATTRIBUTES = {"regions": Customer.region, "industries": Customer.industry, "grades": Customer.grade}


def customer_values(session: Session, scope: set[int] | None) -> dict[str, list[str]]:
    """The distinct regions, industries and grades of the customers in ``scope``, each sorted; one statement."""
    found = union(*(scoped(select(literal(name).label("attribute"), column.label("value")).where(column != ""),
                           Customer.owner_id, scope) for name, column in ATTRIBUTES.items())).subquery()
    values: dict[str, list[str]] = {name: [] for name in ATTRIBUTES}
    for name, value in session.execute(select(found).order_by(found.c.value)):
        values[name].append(value)
    return values
