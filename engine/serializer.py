"""Serialize workflow state without its spec, and specs on their own.

Raw SpiffWorkflow embeds the whole spec in every saved workflow. Here the spec set is stored once per
deployed version and instance state holds only tasks and data; restoring joins the two again.
Dates and Decimals in task data round-trip losslessly.
"""

from __future__ import annotations

import datetime
import decimal
import json
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnSubWorkflowConverter,
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from .workflow import PlatformSubWorkflow, PlatformWorkflow

STATE_FORMAT = "crm-state-1"


class SpecFreeWorkflowConverter(BpmnWorkflowConverter):
    """Converts a top-level workflow leaving out ``spec`` and ``subprocess_specs``."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _build_registry():
    config = dict(SPIFF_CONFIG)
    config.pop(BpmnWorkflow)
    config.pop(BpmnSubWorkflow)
    config[PlatformWorkflow] = SpecFreeWorkflowConverter
    config[PlatformSubWorkflow] = BpmnSubWorkflowConverter
    registry = BpmnWorkflowSerializer.configure(config)
    registry.register(
        datetime.date, lambda v: {"value": v.isoformat()},
        lambda v: datetime.date.fromisoformat(v["value"]), typename="date",
    )
    registry.register(
        decimal.Decimal, lambda v: {"value": str(v)}, lambda v: decimal.Decimal(v["value"]),
        typename="Decimal",
    )
    return registry


class StateSerializer:
    """Turns spec sets and workflow state into JSON strings and back."""

    def __init__(self):
        self.registry = _build_registry()
        self._workflow_serializer = BpmnWorkflowSerializer(self.registry)

    def dump_specs(self, spec, subprocess_specs: dict) -> str:
        """JSON of a process spec and the specs of every subprocess/call activity it uses."""
        return json.dumps({
            "spec": self.registry.convert(spec),
            "subprocess_specs": {k: self.registry.convert(v) for k, v in subprocess_specs.items()},
        }, sort_keys=True)

    def load_specs(self, text: str):
        """Return ``(spec, subprocess_specs)`` from :meth:`dump_specs` output."""
        dct = json.loads(text)
        subprocess_specs = {k: self.registry.restore(v) for k, v in dct["subprocess_specs"].items()}
        return self.registry.restore(dct["spec"]), subprocess_specs

    def dump_state(self, workflow: PlatformWorkflow) -> str:
        """JSON of a workflow's tasks and data, without its spec."""
        self.registry._encoder_mode = True
        try:
            dct = self.registry.convert(workflow)
        finally:
            self.registry._encoder_mode = False
        dct["format"] = STATE_FORMAT
        return json.dumps(dct, cls=self._workflow_serializer._encoder_cls, separators=(",", ":"))

    def load_state(self, text: str, spec, subprocess_specs: dict) -> PlatformWorkflow:
        """Rebuild a workflow from :meth:`dump_state` output and its version's specs."""
        dct = json.loads(text)
        if dct.pop("format", None) != STATE_FORMAT:
            raise ValueError("saved state is not in the platform's format")
        return self.registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)

    def data_to_json(self, data: dict) -> str:
        """Task/workflow data as JSON with the registry's typed values (for history rows)."""
        return json.dumps(self.registry.convert(self.registry.clean(data)), default=str)
