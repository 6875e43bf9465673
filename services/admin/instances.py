"""Queries behind the admin console: find instances, explain one, and summarize process health."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from crm.customers.models import Customer
from engine.models import HumanTask, InstanceEvent, OutboxJob, ProcessInstance, ProcessVersion, utcnow
from engine.runtime import ProcessEngine, current_data
from services.processes import labels

TIMER_LAG_TOLERANCE = dt.timedelta(seconds=60)
STATUS_FILTERS = ("running", "waiting_timer", "waiting_message", "error", "suspended", "completed", "terminated")


@dataclass(frozen=True)
class InstanceFilter:
    process: str = ""
    version: int | None = None
    status: str = ""
    customer_id: int | None = None
    customer: str = ""
    """Part of the customer's name."""
    started_from: dt.date | None = None
    started_to: dt.date | None = None
    idle_days: int | None = None
    timer_overdue: bool = False

    @classmethod
    def from_args(cls, args) -> InstanceFilter:
        """Build from query-string arguments; values that do not parse are ignored."""
        def parse(name, kind):
            try:
                return kind(args[name]) if args.get(name) else None
            except ValueError:
                return None

        return cls(
            process=args.get("process", ""), version=parse("version", int),
            status=args.get("status", "") if args.get("status") in STATUS_FILTERS else "",
            customer_id=parse("customer_id", int), customer=args.get("customer", "").strip()[:100],
            started_from=parse("started_from", dt.date.fromisoformat),
            started_to=parse("started_to", dt.date.fromisoformat), idle_days=parse("idle_days", int),
            timer_overdue=args.get("timer_overdue") in ("1", "on", "true"),
        )

    def as_args(self) -> dict:
        values = {"process": self.process, "version": self.version, "status": self.status,
                  "customer_id": self.customer_id, "customer": self.customer,
                  "started_from": self.started_from, "started_to": self.started_to,
                  "idle_days": self.idle_days, "timer_overdue": "1" if self.timer_overdue else ""}
        return {k: v for k, v in values.items() if v not in (None, "")}


def _apply(query: Select, flt: InstanceFilter, now: dt.datetime) -> Select:
    if flt.process:
        query = query.where(ProcessInstance.process_key == flt.process)
    if flt.version is not None:
        query = query.join(ProcessVersion).where(ProcessVersion.version == flt.version)
    if flt.status.startswith("waiting_"):
        query = query.where(ProcessInstance.status == "waiting",
                            ProcessInstance.waiting_on == flt.status.removeprefix("waiting_"))
    elif flt.status:
        query = query.where(ProcessInstance.status == flt.status)
    if flt.customer_id is not None:
        query = query.where(ProcessInstance.customer_id == flt.customer_id)
    if flt.customer:
        like = "%" + flt.customer.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(ProcessInstance.customer_id.in_(
            select(Customer.id).where(Customer.company.ilike(like, escape="\\"))))
    if flt.started_from:
        query = query.where(ProcessInstance.started_at >= dt.datetime.combine(flt.started_from, dt.time()))
    if flt.started_to:
        query = query.where(ProcessInstance.started_at < dt.datetime.combine(flt.started_to, dt.time())
                            + dt.timedelta(days=1))
    if flt.idle_days is not None:
        query = query.where(ProcessInstance.updated_at < now - dt.timedelta(days=flt.idle_days),
                            ProcessInstance.status.not_in(("completed", "terminated")))
    if flt.timer_overdue:
        query = query.where(ProcessInstance.next_timer_at < now - TIMER_LAG_TOLERANCE,
                            ProcessInstance.status.in_(("running", "waiting")))
    return query


def find_instances(session: Session, flt: InstanceFilter, page: int = 1, per_page: int = 50):
    """(instances on this page, total matching, counts per status filter)."""
    now = utcnow()
    query = _apply(select(ProcessInstance), flt, now)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = list(session.scalars(query.order_by(ProcessInstance.updated_at.desc())
                                .offset((page - 1) * per_page).limit(per_page)))
    labels.show(session, rows)
    unfiltered = InstanceFilter(**{**flt.__dict__, "status": ""})
    counts = {}
    for status in STATUS_FILTERS:
        scoped = _apply(select(ProcessInstance.id), InstanceFilter(**{**unfiltered.__dict__, "status": status}), now)
        counts[status] = session.scalar(select(func.count()).select_from(scoped.subquery()))
    return rows, total, counts


def customer_names(session: Session, instances: list[ProcessInstance]) -> dict[int, str]:
    """Customer id -> company name for the customers of these instances."""
    ids = {i.customer_id for i in instances if i.customer_id is not None}
    if not ids:
        return {}
    return {row.id: row.company for row in session.execute(
        select(Customer.id, Customer.company).where(Customer.id.in_(ids)))}


@dataclass
class InstanceDetail:
    instance: ProcessInstance
    data: dict
    tasks: list[dict]
    markers: dict
    history: list[InstanceEvent]
    jobs: list[OutboxJob]
    open_tasks: list[HumanTask] = field(default_factory=list)
    task_titles: dict[str, str] = field(default_factory=dict)
    """Human task id -> its title in the request's language (for the history)."""
    error_step: str | None = None
    """The failed element's name in the request's language."""


def instance_detail(session: Session, engine: ProcessEngine, instance: ProcessInstance) -> InstanceDetail:
    """Everything the instance page shows: task tree, diagram markers, history, data, jobs."""
    workflow = engine.restore(instance)
    tasks, completed, current, failed = [], set(), set(), set()
    for task in sorted(workflow.get_tasks(), key=lambda t: t.last_state_change):
        spec = task.task_spec
        bpmn_id = getattr(spec, "bpmn_id", None)
        if bpmn_id is None:
            continue
        state = TaskState.get_name(task.state)
        name = labels.text(instance.version, bpmn_id, spec.bpmn_name or bpmn_id)
        tasks.append({"id": str(task.id), "name": name, "bpmn_id": bpmn_id, "state": state,
                      "type": spec.__class__.__name__, "depth": task.depth,
                      "service": getattr(spec, "operation_name", None)})
        if task.has_state(TaskState.COMPLETED):
            completed.add(bpmn_id)
        elif task.has_state(TaskState.READY | TaskState.WAITING | TaskState.STARTED):
            current.add(bpmn_id)
        elif task.has_state(TaskState.ERROR):
            failed.add(bpmn_id)
    history = list(session.scalars(select(InstanceEvent).where(InstanceEvent.instance_id == instance.id)
                                   .order_by(InstanceEvent.id)))
    jobs = list(session.scalars(select(OutboxJob).where(OutboxJob.instance_id == instance.id)
                                .order_by(OutboxJob.id.desc()).limit(20)))
    open_tasks = list(session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                              HumanTask.status == "ready")))
    titles = labels.titles(instance.version, session.execute(
        select(HumanTask.id, HumanTask.task_name, HumanTask.title).where(HumanTask.instance_id == instance.id)))
    error_step = next((t["name"] for t in tasks if t["bpmn_id"] == instance.error_task), instance.error_task)
    labels.show(session, [instance, *open_tasks])
    markers = {"completed": sorted(completed - current - failed), "current": sorted(current),
               "error": sorted(failed | ({instance.error_task} if instance.error_task else set()))}
    return InstanceDetail(instance, dict(current_data(workflow)), tasks, markers, history, jobs, open_tasks,
                          titles, error_step)


@dataclass
class StepLoad:
    process_key: str
    task_name: str
    title: str
    waiting: int
    average_wait_hours: float


def health(session: Session) -> dict:
    """Where instances sit (per step, with average wait), errors, timer lag, outbox depth, failed jobs."""
    now = utcnow()
    rows = session.execute(
        select(HumanTask.process_key, HumanTask.task_name, HumanTask.title, func.count())
        .where(HumanTask.status == "ready").group_by(HumanTask.process_key, HumanTask.task_name, HumanTask.title)
    ).all()
    ages = _average_ages(session, now)
    steps = [StepLoad(p, t, title, n, round(ages.get((p, t), 0.0), 1)) for p, t, title, n in rows]
    errors = session.execute(select(ProcessInstance.process_key, func.count())
                             .where(ProcessInstance.status == "error").group_by(ProcessInstance.process_key)).all()
    overdue = session.scalars(select(ProcessInstance.next_timer_at).where(
        ProcessInstance.next_timer_at < now, ProcessInstance.status.in_(("running", "waiting")))).all()
    jobs = dict(session.execute(select(OutboxJob.status, func.count()).group_by(OutboxJob.status)).all())
    return {
        "steps": sorted(steps, key=lambda s: (s.process_key, -s.waiting)),
        "errors": dict(errors),
        "timer_lag_seconds": max(((now - t).total_seconds() for t in overdue), default=0.0),
        "timers_overdue": len(overdue),
        "jobs": {status: jobs.get(status, 0) for status in ("pending", "queued", "done", "failed")},
    }


def _average_ages(session: Session, now: dt.datetime) -> dict[tuple[str, str], float]:
    """Average hours READY tasks have waited, per (process, step), computed in Python for portability."""
    totals: dict[tuple[str, str], list[float]] = {}
    for process_key, task_name, created in session.execute(
        select(HumanTask.process_key, HumanTask.task_name, HumanTask.created_at).where(HumanTask.status == "ready")
    ):
        totals.setdefault((process_key, task_name), []).append((now - created).total_seconds() / 3600)
    return {key: sum(values) / len(values) for key, values in totals.items()}
