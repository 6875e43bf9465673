"""What the engine's codes on the admin console read as: a task's state and element type, a job's kind and status.
Statuses of instances and history kinds are :mod:`services.processes.codes`'."""

from __future__ import annotations

from i18n import _l
from services.processes.codes import status_label

TASK_STATES = {
    "FUTURE": _l("Future"), "LIKELY": _l("Likely"), "MAYBE": _l("Maybe"), "WAITING": _l("Waiting"),
    "READY": _l("Ready"), "STARTED": _l("In progress"), "COMPLETED": _l("Completed"), "ERROR": _l("Error"),
    "CANCELLED": _l("Cancelled"),
}
"""SpiffWorkflow's task states."""
TASK_TYPES = {
    "StartEvent": _l("Start event"), "EndEvent": _l("End event"), "IntermediateCatchEvent": _l("Catching event"),
    "IntermediateThrowEvent": _l("Throwing event"), "BoundaryEvent": _l("Boundary event"),
    "UserTask": _l("User task"), "ServiceTask": _l("Service task"), "ScriptTask": _l("Script task"),
    "BusinessRuleTask": _l("Business rule task"), "ManualTask": _l("Manual task"), "NoneTask": _l("Task"),
    "SendTask": _l("Send task"), "ReceiveTask": _l("Receive task"), "CallActivity": _l("Call activity"),
    "SubWorkflowTask": _l("Subprocess"), "TransactionSubprocess": _l("Transaction subprocess"),
    "ExclusiveGateway": _l("Exclusive gateway"), "ParallelGateway": _l("Parallel gateway"),
    "InclusiveGateway": _l("Inclusive gateway"), "EventBasedGateway": _l("Event-based gateway"),
}
"""The element types (SpiffWorkflow's task spec classes) of the shipped diagrams, and the other BPMN ones."""
JOB_KINDS = {
    "advance": _l("Run the process on"), "timer": _l("Timer"), "retry": _l("Retry after an error"),
    "deliver_message": _l("Send an e-mail or text message"), "deliver_webhook": _l("Deliver a webhook event"),
    "quality_check": _l("Data quality check"), "import_check": _l("Check an import"),
    "import_run": _l("Run an import"),
}
JOB_STATUSES = {"pending": _l("Pending"), "queued": _l("Queued"), "running": _l("Running"), "done": _l("Done"),
                "failed": _l("Failed")}
WAITING_ON = {"timer": _l("a timer"), "message": _l("a message")}
"""What an instance with no ready work waits for."""
QUEUE_MODES = {"rq": _l("rq workers (Redis)"), "in process": _l("in the web process")}
"""Where jobs run (:func:`services.admin.jobs.queue_status`)."""
ACTORS = {"system": _l("system")}
"""The engine's own actor in the history (people's usernames read as they are)."""
WAITING_FILTERS = {"waiting_timer": _l("waiting for a timer"), "waiting_message": _l("waiting for a message")}
LABELS = {"task_state": TASK_STATES, "task_type": TASK_TYPES, "job_kind": JOB_KINDS, "job_status": JOB_STATUSES,
          "waiting_on": WAITING_ON, "queue_mode": QUEUE_MODES, "actor": ACTORS}


def label(kind: str, code: str | None) -> str:
    """The label of an engine code of ``kind`` in the current language; an unknown code reads as it is."""
    found = LABELS[kind].get(code or "")
    return str(found) if found is not None else (code or "")


def status_filter_label(status: str) -> str:
    """A status filter of the instances page (an instance status, or what a waiting instance waits for)."""
    found = WAITING_FILTERS.get(status)
    return str(found) if found is not None else status_label(status)
