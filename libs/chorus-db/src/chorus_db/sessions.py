"""The adapter side of chorus_db.ports: a Transaction is an AsyncSession."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from chorus_db.database import AFTER_COMMIT, AfterCommitAction
from chorus_db.ports import Transaction


def session_of(transaction: Transaction) -> AsyncSession:
    """The session behind a Transaction the app passed through. Anything else
    is a wiring mistake (a store given a transaction of another kind)."""
    if not isinstance(transaction, AsyncSession):
        raise TypeError(f"expected an AsyncSession, got {type(transaction).__name__}")
    return transaction


def after_commit(transaction: Transaction, action: AfterCommitAction) -> None:
    """Run `action` once `transaction` has committed (never if it rolls
    back): for what must not happen inside it (a call to Redis or a network
    that would hold the transaction open) yet must follow what it commits,
    in a use case running in its caller's transaction (a Kafka handler's).
    Only a transaction opened by Database.transaction() runs them: any other
    is a wiring mistake, said here rather than dropping the action."""
    actions = session_of(transaction).info.get(AFTER_COMMIT)
    if actions is None:
        raise TypeError("after_commit needs a transaction opened by Database.transaction()")
    actions.append(action)
