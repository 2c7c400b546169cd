"""The app's PublishEvents port on the outbox: SharePublished, ShareFailed
and ShareDeferred in the session behind the caller's Transaction, so each commits with its
ledger row."""

from __future__ import annotations

from datetime import datetime

from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from chorus_messaging import Outbox
from chorus_messaging.topics import SHARES_PUBLISHED

from publishing_service.adapters.messages import share_deferred, share_failed, share_published
from publishing_service.app.ports import DueShare


class OutboxPublishEvents:
    """Keyed by share id (opaque): a share's events stay in order on one partition."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def published(
        self,
        transaction: Transaction,
        share: DueShare,
        *,
        post_uri: str,
        link_code: str,
        at: datetime,
    ) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=SHARES_PUBLISHED,
            key=share.share_id,
            tenant_id=share.tenant_id,
            event=share_published(
                tenant_id=share.tenant_id,
                share_id=share.share_id,
                post_id=share.post_id,
                employee_id=share.employee_id,
                network=share.network,
                post_uri=post_uri,
                country=share.country,
                language=share.language,
                link_code=link_code,
                published_at=at,
            ),
        )

    def failed(self, transaction: Transaction, share: DueShare, reason: str) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=SHARES_PUBLISHED,
            key=share.share_id,
            tenant_id=share.tenant_id,
            event=share_failed(
                tenant_id=share.tenant_id,
                share_id=share.share_id,
                post_id=share.post_id,
                employee_id=share.employee_id,
                network=share.network,
                reason=reason,
            ),
        )

    def deferred(
        self, transaction: Transaction, share: DueShare, *, retry_at: datetime, reason: str
    ) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=SHARES_PUBLISHED,
            key=share.share_id,
            tenant_id=share.tenant_id,
            event=share_deferred(
                tenant_id=share.tenant_id,
                share_id=share.share_id,
                post_id=share.post_id,
                employee_id=share.employee_id,
                network=share.network,
                retry_at=retry_at,
                reason=reason,
            ),
        )
