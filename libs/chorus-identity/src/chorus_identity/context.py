"""The caller of the work in progress, carried in context variables.

The gRPC interceptor sets it for each call (after verifying the token), the
event consumer for each event (the service itself, with the event's actor
header as the actor), so use cases, the outbox and the audit log read one
value without threading it through every signature that does not decide
anything with it.

Two values, on purpose: the *principal* is who is allowed to do the work
(a consumer's handler runs as its service, never as a user), the *actor* is
who caused it (the person whose action, events later, led to this one). They
are the same for a user's call; they differ inside a consumer.
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
# Who caused the work when that is not the principal (an event's ce_actor).
_actor: ContextVar[str] = ContextVar("chorus_actor", default="")


def current_principal() -> Principal:
    principal = _current.get()
    if principal is None:
        raise Unauthenticated("no verified identity for this call")
    return principal


def maybe_principal() -> Principal | None:
    return _current.get()


def current_token() -> str:
    return _token.get()


def current_actor_ref(default: str = "") -> str:
    """The opaque reference (Principal.ref) of who caused the work in
    progress: the event's actor inside a consumer, the caller in a gRPC call,
    else `default` (a service's own ref, for work nobody asked for: a timer,
    a relay)."""
    actor = _actor.get()
    if actor:
        return actor
    principal = _current.get()
    return principal.ref if principal is not None else default


@contextmanager
def acting_as(principal: Principal | None, token: str = "", actor: str = "") -> Iterator[None]:
    """Run the block as `principal`. `actor`: who caused it, when not the
    principal itself; every entry resets it, so an actor never leaks from
    one unit of work into another started inside it."""
    reset_p = _current.set(principal)
    reset_t = _token.set(token)
    reset_a = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(reset_a)
        _token.reset(reset_t)
        _current.reset(reset_p)
