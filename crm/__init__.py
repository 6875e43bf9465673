"""The CRM's domain: typed SQLAlchemy models and services taking a Session (no Flask, no engine)."""
