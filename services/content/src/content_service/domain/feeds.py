"""RSS 2.0 / Atom 1.0 items and the outbound-address policy for fetching
them. Pure: no I/O (the XML parser refuses entity bombs and external DTDs)."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

from chorus_core import outbound
from chorus_core.errors import InvalidArgument
from chorus_core.outbound import check_url
from defusedxml import ElementTree

ATOM = "{http://www.w3.org/2005/Atom}"
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")
MAX_ITEMS = 50


@dataclass(frozen=True)
class FeedItem:
    guid: str
    title: str
    link: str
    summary: str

    @property
    def key(self) -> str:
        return hashlib.sha256(self.guid.encode()).hexdigest()[:32]


def _text(value: str | None) -> str:
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", value or ""))).strip()


def parse_feed(document: bytes) -> list[FeedItem]:
    try:
        root = ElementTree.fromstring(document)
    except Exception as error:  # defusedxml raises several unrelated types
        raise InvalidArgument(
            "feed", f"not a well-formed RSS/Atom document: {type(error).__name__}"
        ) from None
    items: list[FeedItem] = []
    if root.tag == f"{ATOM}feed":
        for entry in root.findall(f"{ATOM}entry")[:MAX_ITEMS]:
            link_el = entry.find(f"{ATOM}link[@rel='alternate']") or entry.find(f"{ATOM}link")
            link = link_el.get("href", "") if link_el is not None else ""
            summary = entry.findtext(f"{ATOM}summary") or entry.findtext(f"{ATOM}content") or ""
            title = _text(entry.findtext(f"{ATOM}title"))
            items.append(
                FeedItem(entry.findtext(f"{ATOM}id") or link or title, title, link, _text(summary))
            )
    elif root.tag == "rss":
        for item in root.findall("./channel/item")[:MAX_ITEMS]:
            link = (item.findtext("link") or "").strip()
            title = _text(item.findtext("title"))
            items.append(
                FeedItem(
                    (item.findtext("guid") or link or title).strip(),
                    title,
                    link,
                    _text(item.findtext("description")),
                )
            )
    else:
        raise InvalidArgument("feed", f"unknown feed format (root element {root.tag!r})")
    return [i for i in items if i.title and i.guid]


def check_feed_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an acceptable feed URL (chorus_core.outbound)."""
    target = check_url(
        url, schemes=("http", "https"), scheme_reason="only http and https feeds are fetched"
    )
    return target.scheme, target.host, target.port


def check_address(host: str, address: str, allowed_hosts: frozenset[str]) -> None:
    """The shared outbound-address policy (chorus_core.outbound, the one the
    gateway's webhooks use too), for feeds."""
    outbound.check_address(host, address, allowed_hosts, what="feed")
