"""Customer data quality: the scheduled checks' runs and their findings (bpmn/data_quality.bpmn fixes them)."""
