"""The app's PublishEvents and AccountEvents ports on the outbox:
SharePublished, ShareFailed, ShareDeferred and ShareHeld (the share topic, keyed by
share id), AccountNeedsReconnect and TokenExpiring (the account topic, keyed
by account id: opaque, never a handle), each in the session behind the
caller's Transaction, so it commits with its row."""

from __future__ import annotations

from datetime import datetime

from chorus_db.ports import Transaction
from chorus_db.sessions import session_of
from chorus_messaging import Outbox
from chorus_messaging.topics import PUBLISHING_ACCOUNTS, SHARES_PUBLISHED
from google.protobuf.message import Message

from publishing_service.adapters.messages import (
    account_needs_reconnect,
    share_deferred,
    share_failed,
    share_held,
    share_published,
    token_expiring,
)
from publishing_service.app.ports import DueShare, StoredAccount


class OutboxPublishEvents:
    """Keyed by share id, or account id (opaque): a share's (an account's)
    events stay in order on one partition."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox

    def _share(self, transaction: Transaction, share: DueShare, event: Message) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=SHARES_PUBLISHED,
            key=share.share_id,
            tenant_id=share.tenant_id,
            event=event,
        )

    def _account(self, transaction: Transaction, account: StoredAccount, event: Message) -> None:
        self.outbox.add(
            session_of(transaction),
            topic=PUBLISHING_ACCOUNTS,
            key=account.account_id,
            tenant_id=account.tenant_id,
            event=event,
        )

    def published(
        self,
        transaction: Transaction,
        share: DueShare,
        *,
        post_uri: str,
        link_code: str,
        at: datetime,
    ) -> None:
        self._share(
            transaction,
            share,
            share_published(
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
        self._share(
            transaction,
            share,
            share_failed(
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
        self._share(
            transaction,
            share,
            share_deferred(
                tenant_id=share.tenant_id,
                share_id=share.share_id,
                post_id=share.post_id,
                employee_id=share.employee_id,
                network=share.network,
                retry_at=retry_at,
                reason=reason,
            ),
        )

    def held(self, transaction: Transaction, share: DueShare, *, reason: str, at: datetime) -> None:
        self._share(
            transaction,
            share,
            share_held(
                tenant_id=share.tenant_id,
                share_id=share.share_id,
                post_id=share.post_id,
                employee_id=share.employee_id,
                network=share.network,
                reason=reason,
                held_at=at,
            ),
        )

    def needs_reconnect(
        self, transaction: Transaction, account: StoredAccount, reason: str
    ) -> None:
        self._account(
            transaction,
            account,
            account_needs_reconnect(
                tenant_id=account.tenant_id,
                employee_id=account.employee_id,
                network=account.network,
                account_id=account.account_id,
                reason=reason,
            ),
        )

    def token_expiring(
        self, transaction: Transaction, account: StoredAccount, expires_at: datetime
    ) -> None:
        self._account(
            transaction,
            account,
            token_expiring(
                tenant_id=account.tenant_id,
                employee_id=account.employee_id,
                network=account.network,
                account_id=account.account_id,
                expires_at=expires_at,
            ),
        )
