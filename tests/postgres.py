"""A fresh schema on the real PostgreSQL server for each test that needs one.

Never skipped: CI has the server, and a test that cannot reach it fails.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from app.config import Settings

SERVER = os.environ.get("ICC_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
MASTER_KEY = "dGVzdHMgb25seTogYSBtYXN0ZXIga2V5IG9mIDMyIGI="


@contextmanager
def postgres_settings(**overrides: object) -> Iterator[Settings]:
    schema = f"icc_test_{uuid.uuid4().hex[:12]}"
    address = Settings(database=SERVER).postgres
    with psycopg.connect(address.dsn, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield Settings(
                database=f"{SERVER}?schema={schema}",
                master_key=MASTER_KEY,
                poll_interval=0.05,
                **overrides,  # type: ignore[arg-type]
            )
        finally:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
