"""Who acts in the demo, and with which identity.

The people of the local realm (deploy/keycloak/chorus-realm.json, tenant
`acme`) sign in for real: the CLI's own device authorization grant
(chorus_cli.oauth), with the person's part — open the verification page,
sign in, approve — played by chorus_testing.keycloak instead of a browser.
Each then calls the services with the Chorus token the gateway exchanges
for theirs, exactly as `chorus --as NAME ...` would (their tokens land in
the CLI's cache, so after `make run` those commands work without a login).

Each step runs as the person whose role it needs: the tenant admin imports
the directory and sets the charter and approval chain, the comms manager
writes and submits, the reviewer approves, the two employees of the realm
connect their accounts and choose when to share.

The hundreds of synthetic ambassadors of the generated directory are not
realm users. Their own steps (connecting a Bluesky account, choosing "share
now" or a time) run with the Chorus token the gateway would mint at their
sign-in, minted here with the local stack's key: only a demo on a machine
that holds that key can do this, and each token names one ambassador, an
employee of the tenant and nothing more. Auto-sharing needs nobody: the
pipeline runs as the services.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from chorus.targeting.v1 import targeting_service_pb2 as targeting_pb
from chorus_core.errors import Unauthenticated
from chorus_core.settings import DEFAULT_AUDIENCE, DEFAULT_INTERNAL_ISSUER
from chorus_identity.keys import SigningKey
from chorus_identity.principal import Role, user
from chorus_identity.sources import MintedToken
from chorus_identity.tokens import TokenMinter
from chorus_testing.directory import COLUMNS, generate_directory_csv
from chorus_testing.keycloak import DeviceAuthorization, approve_device

from chorus_cli.clients import Clients
from chorus_cli.login_commands import sign_in
from chorus_cli.oauth import DeviceCode
from chorus_cli.session import CliIdentity, SignedIn
from chorus_cli.stack_identity import REALM_FILE, kid_of
from chorus_cli.token_cache import TokenCache

TENANT = "acme"  # the realm's tenant
ADMIN, COMMS, REVIEWER, LEGAL, MODERATOR = (
    "admin.acme",
    "comms.acme",
    "reviewer.acme",
    "legal.acme",
    "moderator.acme",
)
EMPLOYEE, EMPLOYEE2 = "employee.acme", "employee2.acme"
SIGNED_IN = (ADMIN, COMMS, REVIEWER, EMPLOYEE, EMPLOYEE2)
# The SAML identity provider's realm (brokered by the chorus realm as saml-idp).
SAML_REALM_FILE = REALM_FILE.with_name("enterprise-idp-realm.json")
REVIEW_STEP = "comms"  # the step reviewer.acme's grant covers
# The directory rows of the realm's employees (external ids are the realm's
# `external_id` attributes, which the gateway links by on first sign-in).
# saml.employee arrives through the SAML identity provider; not opted in yet,
# so no campaign waits for a share of theirs.
PEOPLE_ROWS = (
    ("E-1001", "employee.acme@acme.example", "Employee Acme", "FR", "fr", "Europe/Paris", "true"),
    (
        "E-1002",
        "employee2.acme@acme.example",
        "Employee2 Acme",
        "ES",
        "es",
        "Europe/Madrid",
        "true",
    ),
    ("E-2001", "saml.employee@acme.example", "Saml Employee", "GB", "en", "Europe/London", "false"),
)
# Which directory entry is whose: the realm's employees act as themselves.
REALM_EMPLOYEES = {"E-1001": EMPLOYEE, "E-1002": EMPLOYEE2}
AMBASSADOR_TOKEN_SECONDS = 120.0


@dataclass(frozen=True)
class RealmUser:
    username: str
    password: str
    tenant: str
    roles: tuple[str, ...]


def realm_users(root: Path, realm_file: Path = REALM_FILE) -> dict[str, RealmUser]:
    """A local realm's users with their dev passwords (one source: the
    realm file Keycloak imports)."""
    realm = json.loads((root / realm_file).read_text())
    found: dict[str, RealmUser] = {}
    for entry in realm.get("users", []):
        passwords = [
            c["value"] for c in entry.get("credentials", []) if c.get("type") == "password"
        ]
        tenant = (entry.get("attributes", {}).get("tenant") or [""])[0]
        found[entry["username"]] = RealmUser(
            entry["username"],
            passwords[0] if passwords else "",
            tenant,
            tuple(entry.get("realmRoles", [])),
        )
    return found


def directory_csv(employees: int, seed: int, region: str) -> str:
    """The generated directory plus the realm's employees (in this region)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for external_id, email, name, country, language, timezone, opted_in in PEOPLE_ROWS:
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            external_id=external_id,
            email=email,
            display_name=name,
            country=country,
            language=language,
            timezone=timezone,
            department="Marketing",
            status="active",
            opted_in=opted_in,
            auto_share="false",  # they choose for themselves in the demo
            home_region=region,
        )
        writer.writerow([row[c] for c in COLUMNS])
    return generate_directory_csv(employees, seed=seed, region=region) + out.getvalue()


_ambassador: ContextVar[str] = ContextVar("chorus_demo_ambassador", default="")
_SUBJECTS = uuid.UUID("6f1d3a52-2c4e-4f0b-9a57-7b7e0c1d2e3f")  # the demo's subject namespace


def ambassador_subject(tenant: str, employee_id: str) -> str:
    """An opaque subject, as a provider's is: stable for the ambassador, but
    not their employee id (which an erasure must be able to remove)."""
    return str(uuid.uuid5(_SUBJECTS, f"{tenant}/{employee_id}"))


class Ambassadors:
    """A TokenSource acting as whichever ambassador `acting()` names, so one
    set of channels serves hundreds of them."""

    def __init__(self, key: SigningKey, tenant: str = TENANT) -> None:
        self.tenant = tenant
        self._minter = TokenMinter(
            key, DEFAULT_INTERNAL_ISSUER, DEFAULT_AUDIENCE, AMBASSADOR_TOKEN_SECONDS
        )
        self._tokens: dict[str, MintedToken] = {}

    @classmethod
    def from_key_file(cls, path: Path, tenant: str = TENANT) -> Ambassadors:
        pem = path.read_bytes()
        return cls(SigningKey(kid_of(pem), pem), tenant)

    @contextmanager
    def acting(self, employee_id: str) -> Iterator[None]:
        reset = _ambassador.set(employee_id)
        try:
            yield
        finally:
            _ambassador.reset(reset)

    async def token(self) -> str:
        employee_id = _ambassador.get()
        if not employee_id:
            raise Unauthenticated("no ambassador is acting")
        if employee_id not in self._tokens:
            principal = user(
                ambassador_subject(self.tenant, employee_id),
                self.tenant,
                Role.EMPLOYEE,
                employee_id=employee_id,
            )
            self._tokens[employee_id] = MintedToken(self._minter, principal)
        return await self._tokens[employee_id].token()


def approver_for(person: RealmUser) -> Callable[[DeviceCode], Awaitable[None]]:
    async def approve(device: DeviceCode) -> None:
        flow = DeviceAuthorization(
            device_code=device.device_code,
            user_code=device.user_code,
            verification_uri=device.verification_uri,
            verification_uri_complete=device.verification_uri_complete,
            expires_in=device.expires_in,
            interval=device.interval,
        )
        # The person's browser, acted out (blocking HTTP: off the loop).
        await asyncio.to_thread(approve_device, flow, person.username, person.password)

    return approve


class DemoPeople:
    """Clients for each signed-in person, and for the ambassadors."""

    def __init__(
        self,
        env: dict[str, str] | None,  # None: the process environment
        identity: CliIdentity,
        ambassadors: Ambassadors,
        cache: TokenCache | None = None,
    ) -> None:
        self.env = env
        self.identity = identity
        self.cache = cache or identity.cache()
        self.ambassadors = ambassadors
        self.ambassador_clients = Clients(env=env, credentials=ambassadors)
        self._people: dict[str, Clients] = {}

    async def sign_in(self, root: Path, names: tuple[str, ...] = SIGNED_IN) -> None:
        """The device grant for each person, one after the other: Keycloak
        (26.4) may answer one of several concurrent device approvals with
        `invalid_scope` ("no longer has requested consent")."""
        users = realm_users(root)
        for name in names:
            await sign_in(self.identity, approver_for(users[name]), expected=name, cache=self.cache)
            self._people[name] = Clients(
                env=self.env, credentials=SignedIn(name, self.identity, self.cache)
            )
        # `chorus <command>` after the demo acts as the comms manager.
        if COMMS in names:
            self.cache.set_current(COMMS)

    @contextmanager
    def acting_for(self, employee: targeting_pb.Employee) -> Iterator[Clients]:
        """The clients of the person a directory entry belongs to: a realm
        employee's own session, else that ambassador's."""
        name = REALM_EMPLOYEES.get(employee.external_id)
        if name is not None and name in self._people:
            yield self._people[name]
            return
        with self.ambassadors.acting(employee.employee_id):
            yield self.ambassador_clients

    def __getitem__(self, name: str) -> Clients:
        return self._people[name]

    async def close(self) -> None:
        for clients in [*self._people.values(), self.ambassador_clients]:
            await clients.close()
