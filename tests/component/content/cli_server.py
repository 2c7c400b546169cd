"""Content's real gRPC server for the CLI tests, in a thread and event loop
of its own: the CLI runs asyncio.run in the test's thread, so the server
cannot share that loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from chorus_db import Database, migrate
from chorus_grpc import GrpcServer
from chorus_messaging import Outbox
from chorus_testing.identity import IDENTITY
from content_service import composition
from content_service.adapters.media_store import LocalDiskStore
from content_service.adapters.migrations import SCHEMA
from content_service.entrypoints import grpc_api


@contextmanager
def content_server(tmp_path: Path, **build: Any) -> Iterator[str]:
    """Its address while the block runs; `build`: composition.build's options."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    state: dict[str, Any] = {}

    async def start() -> None:
        db = Database(f"sqlite:///{tmp_path}/content.db")
        await migrate(db, SCHEMA)
        content = composition.build(
            db, Outbox("chorus/content@test"), LocalDiskStore(tmp_path / "media"), **build
        )
        server = GrpcServer(0, [grpc_api.binding(content.services)], verifier=IDENTITY.verifier)
        await server.start()
        state.update(server=server, db=db, content=content)
        ready.set()

    thread = threading.Thread(
        target=lambda: (loop.run_until_complete(start()), loop.run_forever()), daemon=True
    )
    thread.start()
    assert ready.wait(30)
    try:
        yield f"127.0.0.1:{state['server'].port}"
    finally:

        async def stop() -> None:
            await state["server"].stop(0)
            await state["content"].close()
            await state["db"].dispose()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
