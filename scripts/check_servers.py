"""Exit 0 if the test PostgreSQL and Redis answer (creating the test database if needed), else 1."""

from __future__ import annotations

import os
import sys

import psycopg
import redis
from sqlalchemy.engine import make_url


def main() -> int:
    url = make_url(os.environ["TEST_DATABASE_URL"])
    try:
        admin = psycopg.connect(host=url.host, port=url.port or 5432, user=url.username,
                                password=url.password, dbname="postgres", autocommit=True, connect_timeout=3)
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{url.database}"')
        admin.close()
    except Exception as exc:
        print(f"PostgreSQL at {url.host}:{url.port or 5432} is not usable: {exc}", file=sys.stderr)
        return 1
    try:
        redis.Redis.from_url(os.environ["TEST_REDIS_URL"], socket_connect_timeout=3).ping()
    except Exception as exc:
        print(f"Redis at {os.environ['TEST_REDIS_URL']} is not usable: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
