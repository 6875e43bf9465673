"""Import wizard use cases: read a CSV/XLSX file as a stream, map its columns, check and stage every row,
find duplicates, import in chunks as background jobs, write the outcome file, undo a batch.
Serves no BPMN file; the imported records are those the processes work on."""
