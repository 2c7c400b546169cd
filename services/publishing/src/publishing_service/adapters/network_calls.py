"""One paid call to a network, the way every connector makes it:

  1. paid for first from the shared budgets (NetworkBudget.take: RateLimited
     when they say not now, and then nothing is sent);
  2. sent;
  3. a transport failure said the way the caller can act on: nothing was
     sent (no connection: RetryableNetworkError, trying again is safe), or
     the request may have arrived (a timeout, a reset) on the call that
     makes the post (OutcomeUnknown: find() before sending again);
  4. what the answer says of the budgets passed on to them (observe).

Each connector keeps what is its own: the headers it sends, how it reads
its network's rate-limit headers (`signals`), and how it maps answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import httpx

from publishing_service.app.ports import NetworkBudget, OutcomeUnknown, RetryableNetworkError
from publishing_service.domain.rate_signals import RateSignal


def sent_nothing(error: httpx.TransportError) -> bool:
    """The request never reached the network (no connection was made)."""
    return isinstance(
        error,
        httpx.ConnectError
        | httpx.ConnectTimeout
        | httpx.PoolTimeout
        | httpx.ProxyError
        | httpx.UnsupportedProtocol,
    )


async def paid_call(
    client: httpx.AsyncClient,
    budget: NetworkBudget,
    network: str,
    account_key: str,
    method: str,
    url: str,
    *,
    what: str,
    signals: Callable[[httpx.Response], Sequence[RateSignal]],
    posts: float = 0.0,
    creates: bool = False,
    **request: Any,
) -> httpx.Response:
    """`what` names the call in errors (never the text, the token or a
    handle); `creates`: this call makes the post; `posts`: how many posts
    it spends (the budget counts each post's units)."""
    await budget.take(network, account_key, posts=posts)
    try:
        response = await client.request(method, url, **request)
    except httpx.TransportError as error:
        if creates and not sent_nothing(error):
            raise OutcomeUnknown(
                f"{network} {what}: {type(error).__name__} after sending: the post may exist"
            ) from None
        raise RetryableNetworkError(f"{network} {what}: {type(error).__name__}") from None
    told = list(signals(response))
    if told:
        await budget.observe(network, account_key, told)
    return response
