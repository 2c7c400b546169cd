"""The gRPC use cases: translate one text, read a post's translations."""

from __future__ import annotations

from chorus_core.errors import InvalidArgument
from chorus_core.validation import language_code, require
from chorus_core.validation import tenant_id as valid_tenant
from chorus_identity.policy import tenant_for
from chorus_identity.principal import Principal

from translation_service.app import policy
from translation_service.app.ports import TranslationReader
from translation_service.app.text_translator import TextTranslator, TranslatedText
from translation_service.domain.translations import Translation

# Posts are short; a longer text is a mistake (or an abuse of the provider).
MAX_TEXT = 20_000


class TranslationQueries:
    def __init__(self, translations: TranslationReader, texts: TextTranslator) -> None:
        self.translations = translations
        self.texts = texts

    async def translate(
        self, actor: Principal, tenant_id: str, text: str, source: str, target: str
    ) -> TranslatedText:
        valid_tenant(tenant_for(actor, tenant_id))
        policy.require_reader(actor)
        require("text", text)
        if len(text) > MAX_TEXT:
            raise InvalidArgument("text", f"{len(text)} characters; at most {MAX_TEXT}")
        language_code("source_language", source)
        language_code("target_language", target)
        return await self.texts.translate(text, source, target)

    async def get_translations(
        self, actor: Principal, tenant_id: str, post_id: str
    ) -> list[Translation]:
        tenant_id = valid_tenant(tenant_for(actor, tenant_id))
        policy.require_reader(actor)
        require("post_id", post_id)
        return await self.translations.for_post(tenant_id, post_id)
