"""The few PDS calls the demo needs that are not Chorus's job: creating the
employees' accounts on the local Bluesky server, and reading their posts back
(what an outside observer of the network sees)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Account:
    handle: str
    did: str
    password: str


class PdsClient:
    def __init__(self, base_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=30.0)

    async def create_account(self, handle: str, password: str) -> Account:
        response = await self.http.post(
            "/xrpc/com.atproto.server.createAccount",
            json={
                "handle": handle,
                "email": f"{handle.split('.')[0]}@chorus-demo.invalid",
                "password": password,
            },
        )
        if response.status_code == 400 and "Handle already taken" in response.text:
            session = await self.http.post(
                "/xrpc/com.atproto.server.createSession",
                json={"identifier": handle, "password": password},
            )
            session.raise_for_status()
            return Account(handle, session.json()["did"], password)
        response.raise_for_status()
        return Account(handle, response.json()["did"], password)

    async def posts(self, did: str) -> list[dict]:
        records: list[dict] = []
        cursor = None
        while True:
            params: dict[str, str | int] = {
                "repo": did,
                "collection": "app.bsky.feed.post",
                "limit": 100,
            }
            if cursor:
                params["cursor"] = cursor
            response = await self.http.get("/xrpc/com.atproto.repo.listRecords", params=params)
            response.raise_for_status()
            body = response.json()
            records += body.get("records", [])
            cursor = body.get("cursor")
            if not cursor or not body.get("records"):
                return records

    async def close(self) -> None:
        await self.http.aclose()
