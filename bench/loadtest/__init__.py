"""``make loadtest``: Locust against the production topology on loopback (see bench/README.md)."""
