"""Customer data quality: scheduled checks (duplicates, missing attributes, invalid phones/e-mails, owners who left,
idle key customers), their findings over time, and the "check and fix customer data" tasks (bpmn/data_quality.bpmn)."""
