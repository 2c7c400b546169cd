"""RSS 2.0 / Atom 1.0 items and the outbound-address policy for fetching
them. Pure: no I/O (the XML parser refuses entity bombs and external DTDs)."""

from __future__ import annotations

import hashlib
import html
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from chorus_core.errors import InvalidArgument, PermissionDenied
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
    """(scheme, host, port) of an acceptable feed URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise InvalidArgument("url", "only http and https feeds are fetched")
    if not parts.hostname:
        raise InvalidArgument("url", "has no host")
    if parts.username or parts.password:
        raise InvalidArgument("url", "must not carry credentials")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InvalidArgument("url", "invalid port") from None
    return parts.scheme, parts.hostname.lower(), port


def check_address(host: str, address: str, allowed_hosts: frozenset[str]) -> None:
    """Refuse loopback, private, link-local, multicast, reserved and
    unspecified addresses -- the server's own network -- unless the tenant
    allow-listed this host by name."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    internal = (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )
    if internal and host not in allowed_hosts:
        raise PermissionDenied(
            f"feed host {host!r} resolves to a non-public address; allow-list it to fetch it"
        )
