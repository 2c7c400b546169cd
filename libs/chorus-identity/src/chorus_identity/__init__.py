"""Identity for Chorus: verified principals, roles, tokens.

principal  Principal, Role, Grant (who, which tenant, which roles and scopes)
context    the current call's principal (set by the gRPC interceptor and the
           event consumer)
tokens     TokenVerifier (pinned algorithms, issuer, audience, skew) and
           TokenMinter (Chorus's own short-lived tokens)
keys       key sets (static or the provider's JWKS, rotation-aware), SigningKey
claims     token claims -> Principal (Chorus's and a configurable OIDC mapping)
sources    tokens for outgoing calls (client credentials, minted)
config     the verifier and token source a service builds from its settings
"""

from chorus_identity.context import (
    acting_as,
    current_actor_ref,
    current_principal,
    maybe_principal,
)
from chorus_identity.principal import ANY, Grant, Principal, Role, service, user

__all__ = [
    "ANY",
    "Grant",
    "Principal",
    "Role",
    "acting_as",
    "current_actor_ref",
    "current_principal",
    "maybe_principal",
    "service",
    "user",
]
