"""The naive writer that `bench/commands.py` compares our server with.

A bare FastAPI app on one uvicorn worker: an `async def` POST endpoint reads
the JSON body, INSERTs one row (id, body) and COMMITs before it answers 201
`{"id": ...}`. It answers the same paths as our command routes
(`/api/incidents` and `/api/incidents/{id}/responses`), so the load tool can
send both servers the very same requests.

SQLite: one connection, WAL, synchronous=FULL, one transaction per request,
run on the event loop. PostgreSQL: psycopg's AsyncConnectionPool (its default
size, 4 connections), one transaction per request, in the schema named by
`?schema=` (which must exist).

Run: .venv/bin/python bench/naive_server.py --port 8801 --database /tmp/naive.db
"""

import argparse
import sqlite3
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import orjson
import uvicorn
from fastapi import FastAPI, Request, Response

from app.config import Settings

TABLE = "CREATE TABLE IF NOT EXISTS rows (id TEXT PRIMARY KEY, body TEXT NOT NULL)"
INSERT = "INSERT INTO rows (id, body) VALUES ({0}, {0})"

Insert = Callable[[str, str], Awaitable[None]]


@asynccontextmanager
async def sqlite_writer(path: str) -> AsyncIterator[Insert]:
    db = sqlite3.connect(path)  # autocommit off: the INSERT opens a transaction
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute(TABLE)
    db.commit()
    sql = INSERT.format("?")

    async def insert(row_id: str, body: str) -> None:
        db.execute(sql, (row_id, body))
        db.commit()

    try:
        yield insert
    finally:
        db.close()


@asynccontextmanager
async def postgres_writer(url: str) -> AsyncIterator[Insert]:
    from psycopg_pool import AsyncConnectionPool

    address = Settings(database=url).postgres
    pool = AsyncConnectionPool(
        address.dsn, kwargs={"options": f"-c search_path={address.schema}"}, open=False
    )
    await pool.open(wait=True)
    async with pool.connection() as db:
        await db.execute(TABLE)  # the pool's `connection()` commits on the way out
    sql = INSERT.format("%s")

    async def insert(row_id: str, body: str) -> None:
        async with pool.connection() as db:
            await db.execute(sql, (row_id, body))
            await db.commit()

    try:
        yield insert
    finally:
        await pool.close()


def create_app(database: str) -> FastAPI:
    is_postgres = database.startswith(("postgresql://", "postgres://"))
    writer = postgres_writer if is_postgres else sqlite_writer
    state: dict[str, Insert] = {}

    @asynccontextmanager
    async def lifespan(api: FastAPI) -> AsyncIterator[None]:
        async with writer(database) as insert:
            state["insert"] = insert
            yield

    options: dict[str, Any] = {"lifespan": lifespan}
    try:  # FastAPI's own telemetry, where this version has it: off, as in our server
        api = FastAPI(**options, telemetry={"tracing": False, "metrics": False, "logs": False})
    except TypeError:
        api = FastAPI(**options)

    async def write(request: Request) -> Response:
        raw = await request.body()
        orjson.loads(raw)  # a bad body fails here, as it would anywhere
        row_id = str(uuid.uuid4())
        await state["insert"](row_id, raw.decode())
        return Response(orjson.dumps({"id": row_id}), 201, media_type="application/json")

    @api.post("/api/incidents")
    async def report(request: Request) -> Response:
        return await write(request)

    @api.post("/api/incidents/{incident_id}/responses")
    async def post_response(incident_id: str, request: Request) -> Response:
        return await write(request)

    return api


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", required=True, help="a SQLite path or postgresql://...")
    args = parser.parse_args()
    # The same uvicorn settings as `icc serve`: one worker, log level info.
    uvicorn.run(create_app(args.database), host="127.0.0.1", port=args.port, log_level="info")


if __name__ == "__main__":
    main()
