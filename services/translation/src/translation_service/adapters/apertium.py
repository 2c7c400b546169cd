"""Apertium APy (HTTP) as the Translator port.

Verified against APy 0.11 with Debian's pairs:
  GET  /listPairs -> {"responseData": [{"sourceLanguage": "eng", "targetLanguage": "spa"}, ...]}
  POST /translate      langpair=eng|spa        q=... format=html markUnknown=no
  POST /translateChain langpairs=eng|spa|fra   q=... format=html markUnknown=no
    -> {"responseData": {"translatedText": "..."}, "responseStatus": 200}
  an uninstalled pair -> HTTP 400 {"explanation": "That pair is not installed"}.
POST (form-encoded) rather than GET so a long body never meets a URL limit.
format=html makes Apertium carry the <x i="N"/> placeholders through untouched
(see domain.masking); markUnknown=no keeps unknown words without a '*'.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import httpx
from opentelemetry import trace

from translation_service.app.ports import TranslatorUnavailable
from translation_service.domain.languages import (
    PIVOTS,
    Pair,
    UnsupportedLanguagePair,
    apertium_code,
    producible,
    route,
)

log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)


# Apertium prefixes words it could not generate with '#' and transfer
# errors with '@' ("en #Siviglia"), even with markUnknown=no. Every real
# hashtag and mention was masked into a placeholder before the call, so a '#'
# or '@' at the start of a word in the output can only be such a mark.
# ('&#39;'-style entities are protected by the look-behind.)
_ENGINE_MARK = re.compile(r"(?<![\w#@&])[#@](?=\w)")


def strip_engine_marks(html_text: str) -> str:
    return _ENGINE_MARK.sub("", html_text)


class ApertiumTranslator:
    name = "apertium"

    def __init__(
        self,
        base_url: str,
        client: httpx.AsyncClient,
        pairs_ttl_seconds: float = 300.0,
        pivots: tuple[str, ...] = PIVOTS,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.pivots = pivots
        self.client = client
        self.pairs_ttl_seconds = pairs_ttl_seconds
        self._pairs: frozenset[Pair] | None = None
        self._pairs_at = 0.0

    async def pairs(self) -> frozenset[Pair]:
        """Installed pairs, asked lazily (the service starts even while APy is
        still loading) and refreshed now and then (pairs can be installed)."""
        if self._pairs is not None and time.monotonic() - self._pairs_at < self.pairs_ttl_seconds:
            return self._pairs
        body = await self._call("GET", "/listPairs", None)
        pairs = frozenset(
            (p["sourceLanguage"], p["targetLanguage"])
            for p in body.get("responseData", [])
            if isinstance(p, dict) and "sourceLanguage" in p and "targetLanguage" in p
        )
        self._pairs, self._pairs_at = pairs, time.monotonic()
        return pairs

    async def languages(self) -> frozenset[str]:
        return producible(await self.pairs())

    async def translate(self, html: str, source: str, target: str) -> str:
        src, tgt = apertium_code(source), apertium_code(target)
        if src is None or tgt is None:
            raise UnsupportedLanguagePair(source, target)
        chain = route(src, tgt, await self.pairs(), self.pivots)
        if chain is None:
            raise UnsupportedLanguagePair(source, target)
        with tracer.start_as_current_span("apertium translate") as span:
            span.set_attribute("chorus.translation.route", "|".join(chain))
            form = {"q": html, "format": "html", "markUnknown": "no"}
            if len(chain) == 2:
                body = await self._call("POST", "/translate", {**form, "langpair": "|".join(chain)})
            else:
                body = await self._call(
                    "POST", "/translateChain", {**form, "langpairs": "|".join(chain)}
                )
        try:
            text = str(body["responseData"]["translatedText"])
        except (KeyError, TypeError):
            raise TranslatorUnavailable(
                "Apertium answered without responseData.translatedText"
            ) from None
        return strip_engine_marks(text)

    async def _call(self, method: str, path: str, form: dict[str, str] | None) -> Any:
        """The decoded JSON answer (its shape is checked where it is read)."""
        try:
            response = await self.client.request(method, self.base_url + path, data=form)
        except httpx.HTTPError as error:
            raise TranslatorUnavailable(f"Apertium unreachable: {type(error).__name__}") from error
        if response.status_code == 400 and "not installed" in response.text:
            self._pairs = None  # our list was stale: ask again next time
            raise TranslatorUnavailable("Apertium no longer has the pair it listed")
        if response.status_code != 200:
            raise TranslatorUnavailable(f"Apertium answered HTTP {response.status_code} on {path}")
        try:
            return response.json()
        except ValueError:
            raise TranslatorUnavailable(f"Apertium answered non-JSON on {path}") from None
