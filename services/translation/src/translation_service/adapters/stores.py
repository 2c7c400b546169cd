"""The Stores and TranslationEvents ports on the service's database: the
repositories and the outbox, each on the session behind the caller's
Transaction."""

from __future__ import annotations

from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from chorus_messaging import Outbox
from chorus_messaging.topics import TRANSLATIONS

from translation_service.adapters.decisions import DecisionRepository
from translation_service.adapters.messages import completed_event, unavailable_event
from translation_service.adapters.repository import TranslationRepository
from translation_service.domain.policy import LanguageDecision
from translation_service.domain.translations import Translation


class SqlStores:
    def translations(self, transaction: Transaction) -> TranslationRepository:
        return TranslationRepository(session_of(transaction))

    def decisions(self, transaction: Transaction) -> DecisionRepository:
        return DecisionRepository(session_of(transaction))


class OutboxTranslationEvents:
    """Keyed by post id: every event of a post on one partition, in order."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def completed(self, transaction: Transaction, translation: Translation) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=TRANSLATIONS,
            key=translation.post_id,
            tenant_id=translation.tenant_id,
            event=completed_event(translation),
        )

    def unavailable(
        self, transaction: Transaction, decision: LanguageDecision, source_language: str
    ) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=TRANSLATIONS,
            key=decision.post_id,
            tenant_id=decision.tenant_id,
            event=unavailable_event(decision, source_language),
        )
