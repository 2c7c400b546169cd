"""Charter use cases: save (validated, new version), read, dry-run check, and
the compiled-engine cache shared by every check in the service. The tenant
admin saves, staff read, comms managers and reviewers check (app/policy.py)."""

from __future__ import annotations

from collections import OrderedDict

from chorus_core.clock import utcnow
from chorus_core.errors import InvalidArgument
from chorus_core.validation import tenant_id as valid_tenant
from chorus_db.ports import Transaction, UnitOfWork
from chorus_identity.principal import Principal
from chorus_messaging.audit import AuditTrail, State

from content_service.app import policy
from content_service.app.ports import Stores
from content_service.domain.charter import (
    DEFAULT_SEVERITIES,
    Charter,
    CharterEngine,
    Severity,
    Violation,
)
from content_service.domain.patterns import validate as validate_pattern
from content_service.domain.posts import NETWORKS, Post, Variants, variant_field

ENGINE_CACHE_SIZE = 128


def texts_of(
    title: str, body: str, network_texts: dict[str, str], network_variants: Variants | None = None
) -> dict[str, str]:
    texts = {"title": title, "body": body}
    texts.update({f"network_texts.{n}": t for n, t in network_texts.items()})
    texts.update(variant_texts(network_variants or {}))
    return texts


def variant_texts(variants: Variants) -> dict[str, str]:
    """Each variant under its field name (network_variants.<network>[i])."""
    return {
        variant_field(network, i): text
        for network, texts in sorted(variants.items())
        for i, text in enumerate(texts)
    }


def check_variants(engine: CharterEngine, variants: Variants, language: str) -> None:
    """Each variant against the charter in the post's language, as the text
    of its network, when the post is saved: the first one refused is
    INVALID_ARGUMENT naming its field and index, and the rule. A text over
    the network's limit is refused whatever the charter's severity for it
    (the network would refuse it anyway); other rules refuse when they block."""
    for v in engine.check(variant_texts(variants), language):
        if v.severity is Severity.BLOCK or v.rule_id.startswith("max-length."):
            raise InvalidArgument(
                v.field, f"{v.message} (charter rule {v.rule_id}; {v.suggestion})"
            )


def validate_charter(charter: Charter) -> None:
    for network, limit in charter.max_length.items():
        if limit <= 0:
            raise InvalidArgument(f"charter.max_length.{network}", "must be positive")
    seen: set[str] = set()
    for rule in charter.patterns:
        validate_pattern(rule)
        if rule.rule_id in seen:
            raise InvalidArgument(f"charter.patterns.{rule.rule_id}", "duplicate rule id")
        seen.add(rule.rule_id)
    for i, term in enumerate(charter.blocked_terms):
        if not term.term.strip():
            raise InvalidArgument(f"charter.blocked_terms[{i}]", "empty term")
    for network in charter.disclosures:
        if network not in NETWORKS:
            raise InvalidArgument(
                f"charter.disclosures.{network}", f"unknown network; known: {', '.join(NETWORKS)}"
            )
    for family, severity in charter.severities.items():
        if family not in DEFAULT_SEVERITIES:
            raise InvalidArgument(
                f"charter.severities.{family}",
                f"unknown rule family; known: {', '.join(DEFAULT_SEVERITIES)}",
            )
        if severity not in ("block", "warn", "off"):
            raise InvalidArgument(f"charter.severities.{family}", "must be block, warn or off")
    if charter.max_hashtags < 0:
        raise InvalidArgument("charter.max_hashtags", "must not be negative")


def charter_state(charter: Charter) -> State:
    """What the audit log keeps of a charter: its version and the size of
    each rule set (not the phrases and patterns themselves)."""
    return {
        "version": charter.version,
        "blocked_phrases": len(charter.blocked_phrases),
        "blocked_terms": len(charter.blocked_terms),
        "patterns": len(charter.patterns),
        "required_hashtags": len(charter.required_hashtags),
        "forbidden_hashtags": len(charter.forbidden_hashtags),
        "allowed_domains": len(charter.allowed_domains),
        "max_hashtags": charter.max_hashtags,
        "https_only": charter.https_only,
    }


class CharterService:
    def __init__(self, uow: UnitOfWork, stores: Stores, audit: AuditTrail) -> None:
        self.uow = uow
        self.stores = stores
        self.audit = audit
        # Compiling a charter (term index, regexes) costs far more than a
        # check; versions are immutable, so (tenant, version) is a safe key.
        self._engines: OrderedDict[tuple[str, int], CharterEngine] = OrderedDict()

    async def engine(self, transaction: Transaction, tenant_id: str) -> CharterEngine:
        """The compiled engine of the tenant's current charter, read in the
        caller's transaction (so a check sees the charter its writes see)."""
        repo = self.stores.charters(transaction)
        version = await repo.current_version(tenant_id)
        key = (tenant_id, version)
        engine = self._engines.get(key)
        if engine is None:
            engine = CharterEngine(await repo.get(tenant_id, version))
            self._engines[key] = engine
            if len(self._engines) > ENGINE_CACHE_SIZE:
                self._engines.popitem(last=False)
        else:
            self._engines.move_to_end(key)
        return engine

    async def check_post(
        self, transaction: Transaction, post: Post, language: str = ""
    ) -> list[Violation]:
        engine = await self.engine(transaction, post.tenant_id)
        return engine.check(
            texts_of(post.title, post.body, post.network_texts, post.network_variants),
            language or post.source_language,
            post.link,
        )

    async def check(
        self,
        actor: Principal,
        tenant_id: str,
        title: str,
        body: str,
        network_texts: dict[str, str],
        language: str = "",
        link: str = "",
        network_variants: Variants | None = None,
    ) -> list[Violation]:
        tenant_id = policy.compliance_checker(actor, tenant_id)
        valid_tenant(tenant_id)
        async with self.uow.session() as session:
            engine = await self.engine(session, tenant_id)
        return engine.check(texts_of(title, body, network_texts, network_variants), language, link)

    async def set_charter(
        self, actor: Principal, tenant_id: str, charter: Charter, request_id: str = ""
    ) -> Charter:
        tenant_id = policy.admin(actor, tenant_id)
        valid_tenant(tenant_id)
        validate_charter(charter)
        async with self.uow.transaction() as transaction:
            repo = self.stores.charters(transaction)
            before = await repo.get(tenant_id, 0)
            saved = await repo.save(tenant_id, charter, utcnow())
            self.audit.record(
                transaction,
                tenant_id=tenant_id,
                action="charter.set",
                target_type="charter",
                target_id=tenant_id,
                before=charter_state(before) if before.version else None,
                after=charter_state(saved),
                request_id=request_id,
            )
            return saved

    async def get_charter(self, actor: Principal, tenant_id: str, version: int = 0) -> Charter:
        tenant_id = policy.staff(actor, tenant_id)
        valid_tenant(tenant_id)
        if version < 0:
            raise InvalidArgument("version", "must not be negative")
        async with self.uow.session() as session:
            return await self.stores.charters(session).get(tenant_id, version)
