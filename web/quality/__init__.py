"""Data-quality page (information officers and administrators): counts over time, open findings, hand-over to
the "check and fix customer data" process (bpmn/data_quality.bpmn)."""
