"""The caller of the work in progress, carried in a context variable.

The gRPC interceptor sets it for each call (after verifying the token), the
event consumer for each event (from the event's actor header), so use cases,
the outbox and the audit log read one value without threading it through
every signature that does not decide anything with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from chorus_core.errors import Unauthenticated

from chorus_identity.principal import Principal

_current: ContextVar[Principal | None] = ContextVar("chorus_principal", default=None)
# The verified bearer token of the current call, for forwarding downstream.
_token: ContextVar[str] = ContextVar("chorus_token", default="")


def current_principal() -> Principal:
    principal = _current.get()
    if principal is None:
        raise Unauthenticated("no verified identity for this call")
    return principal


def maybe_principal() -> Principal | None:
    return _current.get()


def current_token() -> str:
    return _token.get()


@contextmanager
def acting_as(principal: Principal | None, token: str = "") -> Iterator[None]:
    reset_p = _current.set(principal)
    reset_t = _token.set(token)
    try:
        yield
    finally:
        _token.reset(reset_t)
        _current.reset(reset_p)
