"""The unit of work as a service's app layer sees it: no SQLAlchemy in sight.

Many use cases run inside a transaction their caller opens: a Kafka handler's
`ctx.transaction()` (which carries the inbox row, so the effects and "handled"
commit together) or a gRPC call's `db.transaction()`. The app receives that
transaction as an opaque `Transaction` and hands it, unopened, to the stores
and event sinks it builds on it (factories such as
`Callable[[Transaction], SomeStore]` given at construction). Only adapters
know a Transaction is an AsyncSession: they unwrap it with
`chorus_db.sessions.session_of`.

`chorus_db.Database` and `chorus_messaging.EventContext` satisfy these
protocols as they are; nothing needs to subclass them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Protocol


class Transaction(Protocol):
    """An open unit of work (or a read-only session). Opaque on purpose: the
    app passes it through and never calls anything on it."""


class UnitOfWork(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """Commits on success, rolls back on any error."""
        ...

    def session(self) -> AbstractAsyncContextManager[Transaction]:
        """For reads only: no transaction is committed."""
        ...


# Runs an action once the caller's transaction has committed, never if it
# rolls back (chorus_db.sessions.after_commit, given to the app by main.py):
# how a use case running in its caller's transaction (a Kafka handler's)
# calls Redis after what it commits.
AfterCommit = Callable[[Transaction, Callable[[], Awaitable[None]]], None]
