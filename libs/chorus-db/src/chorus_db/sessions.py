"""The adapter side of chorus_db.ports: a Transaction is an AsyncSession."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from chorus_db.ports import Transaction


def session_of(transaction: Transaction) -> AsyncSession:
    """The session behind a Transaction the app passed through. Anything else
    is a wiring mistake (a store given a transaction of another kind)."""
    if not isinstance(transaction, AsyncSession):
        raise TypeError(f"expected an AsyncSession, got {type(transaction).__name__}")
    return transaction
