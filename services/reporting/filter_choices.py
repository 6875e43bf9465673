"""What the report filters offer a viewer: the salespeople and teams in their scope, and the regions, industries
and grades of their customers (nothing from outside the scope is named)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Integer, Select, cast, literal, null, select, union_all
from sqlalchemy.orm import Session

from crm.accounts.users import Team, User
from crm.customers.models import Customer
from services.reporting.bound import OWNERS, Shape, in_scope


@dataclass(frozen=True)
class FilterChoices:
    salespeople: list[tuple[int, str]]
    teams: list[tuple[int, str]]
    regions: list[str]
    industries: list[str]
    grades: list[str]


def filter_choices(session: Session, scope: set[int] | None) -> FilterChoices:
    """The choices of each filter for a viewer whose data scope is ``scope`` (None: everyone's); one statement,
    built once per process (:mod:`.bound`)."""
    found: dict[str, list] = {kind: [] for kind in ("salespeople", "teams", *ATTRIBUTES)}
    for kind, row_id, name in session.execute(_choices_statement(Shape(scope is not None)),
                                              {"owners": sorted(scope or ())}):
        found[kind].append(name if row_id is None else (row_id, name))
    return FilterChoices(**found)


ATTRIBUTES = {"regions": Customer.region, "industries": Customer.industry, "grades": Customer.grade}


@cache
def _choices_statement(shape: Shape) -> Select:
    """(kind, id, name) of the active people and the teams in scope, and (kind, none, value) of the distinct
    regions, industries and grades of the customers in scope: each kind sorted by name."""
    no_id = cast(null(), Integer)
    people = in_scope(select(literal("salespeople").label("kind"), User.id.label("id"), User.display_name.label("name"))
                      .where(User.active.is_(True)), User.id, shape)
    teams = select(literal("teams"), Team.id, Team.name)
    if shape.scoped:
        teams = teams.where(Team.id.in_(select(User.team_id).where(User.id.in_(OWNERS))))
    values = (in_scope(select(literal(kind), no_id, column).where(column != ""), Customer.owner_id, shape).distinct()
              for kind, column in ATTRIBUTES.items())
    found = union_all(people, teams, *values).subquery()
    return select(found).order_by(found.c.kind, found.c.name)
