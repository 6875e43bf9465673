"""The records as the REST API serves them: which rows each kind has, whose data scope they fall in, and their
listing with cursor pagination, filters, sorting and ``updated_since``."""
