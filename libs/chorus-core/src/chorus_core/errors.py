"""Domain errors. Raised by domain and app code; entry points map them to a
gRPC status (chorus_grpc) or an HTTP 4xx (metrics redirect), and the event
consumer treats them as non-retryable (straight to the DLQ)."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a request that cannot succeed as asked. Never retried."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgument(DomainError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class NotFound(DomainError):
    def __init__(self, kind: str, identifier: str) -> None:
        super().__init__(f"{kind} {identifier!r} not found")
        self.kind = kind
        self.identifier = identifier


class FailedPrecondition(DomainError):
    """The aggregate is in a state that forbids the action (names the state)."""


class AlreadyExists(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


class Unauthenticated(DomainError):
    """No verified identity (missing, expired or untrusted token)."""


class Unavailable(DomainError):
    """A service this call depends on did not answer (in time): the caller
    may retry the call later. Raised on request paths only."""


class PermanentError(Exception):
    """An event handler failure that a retry cannot fix (goes to the DLQ)."""
