"""What people add around tasks: saved worklist filters (own or shared with the team) and comments."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import ForeignKey, String, Text, or_, select
from sqlalchemy.orm import Mapped, Session, joinedload, lazyload, load_only, mapped_column, relationship

from crm.accounts.users import User
from crm.base import CrmBase, utcnow


class SavedFilter(CrmBase):
    """A named worklist query; ``team_id`` set means the owner shares it with that team."""

    __tablename__ = "saved_filter"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship()

    @property
    def args(self) -> dict[str, str]:
        """The worklist query-string arguments this filter stands for."""
        return json.loads(self.query)


class TaskComment(CrmBase):
    """A remark on a task, kept with its process instance (task and instance ids, not foreign keys:
    the engine's tables live in another metadata)."""

    __tablename__ = "task_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(index=True)
    task_id: Mapped[str] = mapped_column(String(36), index=True)
    task_title: Mapped[str] = mapped_column(String(300), default="")
    author: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def save_filter(session: Session, owner: User, name: str, args: dict[str, str], *, shared: bool) -> SavedFilter:
    """Store ``args`` under ``name``; ``shared`` makes it visible to the owner's team (if any)."""
    saved = SavedFilter(owner=owner, name=name.strip()[:100], query=json.dumps(args, sort_keys=True),
                        team_id=owner.team_id if shared else None)
    session.add(saved)
    session.flush()
    return saved


def filters_for(session: Session, user: User) -> list[SavedFilter]:
    """The user's own filters and those their team shares, by name."""
    condition = SavedFilter.owner_id == user.id
    if user.team_id is not None:
        condition = or_(condition, SavedFilter.team_id == user.team_id)
    owner = joinedload(SavedFilter.owner).options(load_only(User.display_name), lazyload(User.roles))
    return list(session.scalars(
        select(SavedFilter).where(condition).options(owner).order_by(SavedFilter.name, SavedFilter.id)
    ))


def delete_filter(session: Session, user: User, filter_id: int) -> bool:
    """Delete one of the user's own filters; False when there is no such filter of theirs."""
    saved = session.get(SavedFilter, filter_id)
    if saved is None or saved.owner_id != user.id:
        return False
    session.delete(saved)
    session.flush()
    return True


def add_comment(session: Session, instance_id: int, task_id: str, task_title: str, author: str,
                body: str) -> TaskComment:
    """Record a comment on a task."""
    comment = TaskComment(instance_id=instance_id, task_id=task_id, task_title=task_title, author=author,
                          body=body.strip())
    session.add(comment)
    session.flush()
    return comment


def comments_on(session: Session, instance_id: int) -> list[TaskComment]:
    """Every comment on the tasks of an instance, oldest first."""
    return list(session.scalars(
        select(TaskComment).where(TaskComment.instance_id == instance_id).order_by(TaskComment.id)
    ))
