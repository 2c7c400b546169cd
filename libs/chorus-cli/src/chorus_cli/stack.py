"""Run the services (the seven of the golden path and the gateway) as real
local processes (what `make run` and the end-to-end test use). Each service
gets its own database, its own log file under var/log and a pid file under
var/run; `down` stops them with SIGTERM, which they handle by draining (see
chorus_runtime). A test may run more replicas of a service (`start(name,
replica=1)`: the same environment, database and consumer group, a gRPC port,
log and pid file of its own) and kill one as a crash would (`kill`).
Before they start, the stack makes sure the identity material they need
exists (stack_identity): the gateway's signing key, the key set the services
trust, the services' client secrets."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import grpc
import redis.asyncio as aioredis
from chorus_core.settings import (
    DEFAULT_AUDIENCE,
    DEFAULT_INTERNAL_ISSUER,
    DEFAULT_KAFKA_BOOTSTRAP,
    DEFAULT_REDIS_URL,
)
from chorus_identity.keys import SigningKey
from chorus_identity.principal import Principal
from chorus_identity.sources import MintedToken
from chorus_identity.tokens import TokenMinter
from chorus_testing.fixtures import drop_pg_database
from grpc_health.v1 import health_pb2, health_pb2_grpc

from chorus_cli.clients import Clients
from chorus_cli.stack_identity import LocalKeys, ensure_keys, kid_of, service_secret_env


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    grpc_port: int  # the API, or for an HTTP service its health (probes)
    http_port: int = 0  # an HTTP API of its own; 0: none


GATEWAY_HTTP_PORT = 8080
# The seven services of the golden path (gRPC APIs, Kafka)...
BACKENDS = [
    ServiceSpec("content", 7001),
    ServiceSpec("targeting", 7002),
    ServiceSpec("translation", 7003),
    ServiceSpec("scheduling", 7004),
    ServiceSpec("publishing", 7005),
    ServiceSpec("gamification", 7006),
    ServiceSpec("metrics", 7007),
]
# ...and the HTTP gateway in front of them (sign-in token exchange, /v1).
GATEWAY = ServiceSpec("gateway", 7010, http_port=GATEWAY_HTTP_PORT)
SERVICES = [*BACKENDS, GATEWAY]
SERVICE_NAMES = tuple(spec.name for spec in SERVICES)
# What each golden-path service calls itself in telemetry (service.name).
TELEMETRY_NAMES = frozenset(f"chorus-{spec.name}" for spec in BACKENDS)
METRICS_HTTP_PORT = 7080
NAMESPACE_ATTRIBUTE = "chorus.namespace"  # resource attribute of a namespaced stack's spans
SCIM_HTTP_PORT = 7090
SHIFTED_GATEWAY_HTTP_PORT = 7060  # + port_offset, in a shifted (test) stack
# Replica n (1, 2) of a service listens on its gRPC port + n × this step:
# 7021-7050 (+ port_offset), free in every block of a hundred.
REPLICA_PORT_STEP = 20
MAX_REPLICA = 2
# All fixed ports sit below Linux's ephemeral range (32768+): a listening port
# inside it can be taken at random by some outgoing connection's local port.


def repo_root() -> Path:
    return Path(os.environ.get("CHORUS_HOME") or Path(__file__).resolve().parents[4])


class Stack:
    """namespace: a Kafka topic prefix of its own (topics created at `up`,
    deleted at `down`), so a test stack never shares events or consumer
    groups with another stack on the same cluster. By default a stack on
    shifted ports (tests) gets a fresh namespace; the `make run` stack none."""

    def __init__(
        self,
        var_dir: Path | None = None,
        *,
        port_offset: int = 0,
        database: str | None = None,
        namespace: str | None = None,
    ) -> None:
        self.root = repo_root()
        if namespace is None and port_offset:
            namespace = f"stack{port_offset}-{secrets.token_hex(4)}."
        self.namespace = namespace or ""
        self.var = var_dir or Path(os.environ.get("CHORUS_VAR", self.root / "var"))
        self.port_offset = port_offset
        self.database = database or os.environ.get("CHORUS_STACK_DATABASE", "sqlite")
        # A test stack's Redis database of its own, emptied at `up`: the
        # realm's tenant (acme) is every stack's tenant, and its leaderboard
        # and rate limits must not carry over from another stack or run.
        self.redis_db = (port_offset // 100) % 16 if port_offset else None
        for sub in ("log", "run", "data", "secrets"):
            (self.var / sub).mkdir(parents=True, exist_ok=True)

    def address(self, service: str, replica: int = 0) -> str:
        """Where the service (or its replica n) serves gRPC and health; the
        other services and clients are given replica 0's."""
        return f"127.0.0.1:{self._grpc_port(_spec(service), replica)}"

    def _grpc_port(self, spec: ServiceSpec, replica: int) -> int:
        if not 0 <= replica <= MAX_REPLICA:
            raise ValueError(f"replica must be between 0 and {MAX_REPLICA}, not {replica}")
        return spec.grpc_port + self.port_offset + replica * REPLICA_PORT_STEP

    @property
    def metrics_http_port(self) -> int:
        return METRICS_HTTP_PORT + self.port_offset

    @property
    def scim_port(self) -> int:
        return SCIM_HTTP_PORT + self.port_offset

    @property
    def scim_url(self) -> str:
        return f"http://127.0.0.1:{self.scim_port}/scim/v2"

    @property
    def public_url(self) -> str:
        return f"http://127.0.0.1:{self.metrics_http_port}"

    @property
    def redis_url(self) -> str:
        url = os.environ.get("CHORUS_REDIS_URL") or DEFAULT_REDIS_URL
        if self.redis_db is None:
            return url
        return urlsplit(url)._replace(path=f"/{self.redis_db}").geturl()

    async def _empty_redis(self) -> None:
        if self.redis_db is None:
            return
        client = aioredis.Redis.from_url(self.redis_url)
        try:
            await client.flushdb()
        finally:
            await client.aclose()

    def client_env(self) -> dict[str, str]:
        """What a client (CLI, tests) needs to reach this stack."""
        env = {f"CHORUS_{s.name.upper()}_ADDR": self.address(s.name) for s in BACKENDS}
        env["CHORUS_METRICS_PUBLIC_URL"] = self.public_url
        env["CHORUS_GATEWAY_URL"] = self.gateway_url
        return env

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_http_port}"

    @property
    def gateway_http_port(self) -> int:
        # A shifted stack keeps every port inside its own block of a hundred
        # (7000+offset ...): 8080+offset would be another stack's metrics
        # port whenever two offsets differ by 1000.
        if not self.port_offset:
            return GATEWAY.http_port
        return SHIFTED_GATEWAY_HTTP_PORT + self.port_offset

    def identity(self) -> LocalKeys:
        """The gateway's signing key and the key set the services trust
        (made on first use, kept in the var dir; stack_identity)."""
        return ensure_keys(self.var / "identity")

    def minter(self) -> TokenMinter:
        """Chorus tokens signed with this stack's gateway key, for tests and
        benchmarks about something other than sign-in: the services verify
        them as they verify the gateway's (the same key, issuer, audience
        and lifetime bound)."""
        pem = self.identity().signing_key.read_bytes()
        return TokenMinter(
            SigningKey(kid_of(pem), pem), DEFAULT_INTERNAL_ISSUER, DEFAULT_AUDIENCE, 300.0
        )

    def clients_as(self, principal: Principal) -> Clients:
        """This stack's gRPC clients acting as `principal` (minter())."""
        return Clients(env=self.client_env(), credentials=MintedToken(self.minter(), principal))

    def identity_env(self, spec: ServiceSpec) -> dict[str, str]:
        keys = self.identity()
        env = {"CHORUS_INTERNAL_JWKS": str(keys.jwks)}
        # The local realm's dev secrets, unless the environment names real ones.
        for name, secret in service_secret_env(self.root, [spec.name]).items():
            env[name] = os.environ.get(name) or secret
        if spec.name == GATEWAY.name:
            env["CHORUS_GATEWAY_SIGNING_KEY"] = str(keys.signing_key)
            env["CHORUS_GATEWAY_SIGNING_KID"] = keys.kid
            env["CHORUS_GATEWAY_HTTP_PORT"] = str(self.gateway_http_port)
        return env

    def _encryption_key(self, service: str) -> str:
        # Generated once per var dir and kept there (mode 600); production
        # injects it from a secret store through the same variable.
        path = self.var / "secrets" / f"{service}.key"
        if not path.exists():
            path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
            path.chmod(0o600)
        return path.read_text().strip()

    async def database_url(self, service: str) -> str:
        """One service's database in this stack (created on PostgreSQL the first
        time; tests read it to check what a service stored)."""
        if self.database == "sqlite":
            return f"sqlite:///{self.var}/data/{service}.db"
        admin = os.environ["CHORUS_PG_URL"]
        name = self._database_name(service)
        conn = await asyncpg.connect(admin)
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return _database_url(admin, name)

    def _database_name(self, service: str) -> str:
        # One set of databases per var dir (two stacks with dirs of the same
        # name must not share a database), stable across restarts of a stack.
        digest = hashlib.sha256(str(self.var.resolve()).encode()).hexdigest()[:10]
        return f"chorus_{service}_{digest}"

    async def drop_databases(self) -> None:
        """Drop this stack's PostgreSQL databases (a benchmark's, once it
        is down: a 100k campaign leaves millions of rows behind)."""
        if self.database == "sqlite":
            return
        admin = os.environ["CHORUS_PG_URL"]
        for spec in SERVICES:
            await drop_pg_database(_database_url(admin, self._database_name(spec.name)))

    async def service_env(self, spec: ServiceSpec, replica: int = 0) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.client_env())
        # Region, environment, Redis and the other addresses: the caller's
        # environment, else the services' own defaults (chorus_core.settings).
        env.update(
            {
                f"CHORUS_{spec.name.upper()}_GRPC_PORT": str(self._grpc_port(spec, replica)),
                f"CHORUS_{spec.name.upper()}_DATABASE_URL": await self.database_url(spec.name),
                "CHORUS_PUBLISHING_ENCRYPTION_KEY": env.get("CHORUS_PUBLISHING_ENCRYPTION_KEY")
                or self._encryption_key("publishing"),
                # The gateway's (webhook secrets at rest): a key of its own.
                "CHORUS_GATEWAY_ENCRYPTION_KEY": env.get("CHORUS_GATEWAY_ENCRYPTION_KEY")
                or self._encryption_key("gateway"),
                "CHORUS_METRICS_HTTP_PORT": str(self.metrics_http_port),
                "CHORUS_TARGETING_SCIM_PORT": str(self.scim_port),
                "OTEL_SERVICE_NAME": f"chorus-{spec.name}",
                "CHORUS_KAFKA_TOPIC_PREFIX": self.namespace,
                "CHORUS_REDIS_URL": self.redis_url,
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.identity_env(spec))
        if self.namespace:
            # Tells this stack's spans from another's in a shared collector
            # (parallel test stacks write one traces file).
            resource = f"{NAMESPACE_ATTRIBUTE}={self.trace_namespace}"
            existing = env.get("OTEL_RESOURCE_ATTRIBUTES")
            env["OTEL_RESOURCE_ATTRIBUTES"] = f"{existing},{resource}" if existing else resource
        return env

    @property
    def trace_namespace(self) -> str:
        """The value of this stack's spans' NAMESPACE_ATTRIBUTE resource
        attribute (its topic namespace without the dot; empty: none set)."""
        return self.namespace.rstrip(".")

    def _pidfile(self, name: str, replica: int = 0) -> Path:
        return self.var / "run" / f"service-{_process(name, replica)}.pid"

    def _topics(self, verb: str) -> None:
        """Create (or delete) this stack's namespaced topics."""
        bootstrap = os.environ.get("CHORUS_KAFKA_BOOTSTRAP") or DEFAULT_KAFKA_BOOTSTRAP
        script = (
            self.root
            / "deploy"
            / "kafka"
            / ("apply_topics.py" if verb == "create" else "delete_topics.py")
        )
        subprocess.run(
            [
                sys.executable,
                str(script),
                "--bootstrap",
                bootstrap,
                "--prefix",
                self.namespace,
                *(["--replication-factor", "1"] if verb == "create" else []),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    async def up(self, names: list[str] | None = None, timeout: float = 90.0) -> None:
        chosen = [s for s in SERVICES if names is None or s.name in names]
        if self.namespace:
            self._topics("create")
        if not any(self.running(s.name) for s in SERVICES):
            await self._empty_redis()
        for spec in chosen:
            if not self.running(spec.name):
                await self._spawn(spec, 0)
        await asyncio.gather(*(self.wait_healthy(s.name, timeout) for s in chosen))

    async def start(
        self,
        name: str,
        replica: int = 0,
        timeout: float = 90.0,
        *,
        command: list[str] | None = None,
    ) -> None:
        """Start one process of a service unless it runs (a replica, or one
        that was killed or stopped) and wait until it is healthy. `command`:
        what to run instead of `<service>_service.main`, with the service's
        environment (bench/campaign.py runs publishing's composition with
        connectors of its own)."""
        if not self.running(name, replica):
            await self._spawn(_spec(name), replica, command)
        await self.wait_healthy(name, timeout, replica)

    def log_path(self, name: str, replica: int = 0) -> Path:
        return self.var / "log" / f"{_process(name, replica)}.log"

    async def _spawn(
        self, spec: ServiceSpec, replica: int, command: list[str] | None = None
    ) -> None:
        log = open(self.log_path(spec.name, replica), "ab")  # noqa: SIM115 - owned by the child
        proc = subprocess.Popen(
            command or [sys.executable, "-m", f"{spec.name}_service.main"],
            env=await self.service_env(spec, replica),
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._pidfile(spec.name, replica).write_text(str(proc.pid))

    def running(self, name: str, replica: int = 0) -> bool:
        pid = self._pid(name, replica)
        if pid is None:
            return False
        try:
            # Reap it first if it is our child and has exited (else a zombie
            # would look alive); not our child -> ChildProcessError, fine.
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return False
        except ChildProcessError:
            pass
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def _pid(self, name: str, replica: int = 0) -> int | None:
        path = self._pidfile(name, replica)
        return int(path.read_text()) if path.exists() else None

    async def wait_healthy(self, name: str, timeout: float, replica: int = 0) -> None:
        deadline = time.monotonic() + timeout
        log = self.log_path(name, replica)
        async with grpc.aio.insecure_channel(self.address(name, replica)) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            while True:
                if not self.running(name, replica):
                    raise RuntimeError(f"{name} exited during start-up; see {log}")
                try:
                    reply = await stub.Check(health_pb2.HealthCheckRequest(), timeout=1.0)
                    if reply.status == health_pb2.HealthCheckResponse.SERVING:
                        return
                except grpc.aio.AioRpcError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} not healthy after {timeout}s; see {log}")
                await asyncio.sleep(0.25)

    def kill(self, name: str, replica: int = 0) -> None:
        """SIGKILL, as a crash or an OOM kill would: no draining, no offsets
        committed, leases left held (what the service must survive)."""
        self.stop(name, replica=replica, kill=True)

    def stop(
        self, name: str, *, replica: int = 0, kill: bool = False, timeout: float = 20.0
    ) -> None:
        pid = self._pid(name, replica)
        if pid is None:
            return
        try:
            os.killpg(pid, signal.SIGKILL if kill else signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + timeout
        while self.running(name, replica) and time.monotonic() < deadline:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            time.sleep(0.1)
        if self.running(name, replica):
            os.killpg(pid, signal.SIGKILL)
        self._pidfile(name, replica).unlink(missing_ok=True)

    def down(self) -> None:
        for spec in reversed(SERVICES):
            for replica in range(MAX_REPLICA, -1, -1):
                self.stop(spec.name, replica=replica)
        if self.namespace:
            self._topics("delete")


def _database_url(admin_url: str, name: str) -> str:
    """The URL of database `name` on the server of `admin_url`."""
    return admin_url.rsplit("/", 1)[0] + "/" + name


def _spec(service: str) -> ServiceSpec:
    return next(s for s in SERVICES if s.name == service)


def _process(service: str, replica: int) -> str:
    """Replica 0 is the service's own process (its log and pid file keep
    the service's name); replica n is `<service>-<n>`."""
    return service if replica == 0 else f"{service}-{replica}"
