"""One publishing replica for bench/campaign.py: publishing's own composition
(publishing_service.main.serve: runtime, consumer, ledger, outbox, sweeper),
with a stand-in Bluesky connector that answers after --delay seconds, so the
benchmark measures publishing itself (0 s) or its handling of waiting
(0.2 s, a network's usual answer time) without a network's own cost.

    python bench/campaign_replica.py --delay 0.2   (with publishing's environment)
"""

from __future__ import annotations

import argparse
import asyncio

from publishing_service.app.ports import (
    AccountCredentials,
    NetworkConnector,
    PostDraft,
    PublishedPost,
    VerifiedAccount,
)
from publishing_service.main import serve


class AnsweringConnector:
    """Posts nothing anywhere: answers each call after `delay` seconds."""

    network = "bluesky"

    def __init__(self, delay: float) -> None:
        self.delay = delay

    async def verify(self, account: AccountCredentials) -> VerifiedAccount:
        return VerifiedAccount(network_account_id=account.account_id)

    async def publish(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost:
        await asyncio.sleep(self.delay)
        return PublishedPost(uri=f"bench:{draft.share_id}", cid="", already_existed=False)

    async def find(self, account: AccountCredentials, draft: PostDraft) -> PublishedPost | None:
        await asyncio.sleep(self.delay)
        return None

    async def aclose(self) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=0.0)
    delay = parser.parse_args().delay
    connector: NetworkConnector = AnsweringConnector(delay)
    asyncio.run(serve(lambda *_: [connector]))


if __name__ == "__main__":
    main()
