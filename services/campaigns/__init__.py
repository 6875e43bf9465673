"""Campaign use cases: the campaigns' figures (attendance, sourced opportunities, cost per won opportunity) and the
marketing cost per month (campaign costs plus visit and reception costs). No BPMN file of its own."""
