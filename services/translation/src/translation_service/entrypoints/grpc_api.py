"""TranslationService over gRPC: decode -> use case -> encode. Nothing else."""

from __future__ import annotations

import grpc
from chorus.translation.v1 import translation_service_pb2 as pb
from chorus.translation.v1 import translation_service_pb2_grpc as pb_grpc
from chorus_grpc import ServiceBinding

from translation_service.adapters.messages import translation_to_pb
from translation_service.app.ports import TranslatorUnavailable
from translation_service.app.queries import TranslationQueries


class TranslationServicer(pb_grpc.TranslationServiceServicer):
    def __init__(self, queries: TranslationQueries) -> None:
        self.queries = queries

    async def Translate(
        self, request: pb.TranslateRequest, context: grpc.aio.ServicerContext
    ) -> pb.TranslateResponse:
        try:
            result = await self.queries.translate(
                request.tenant_id, request.text, request.source_language, request.target_language
            )
        except TranslatorUnavailable as error:
            # Not the caller's fault and worth retrying: UNAVAILABLE, not INTERNAL.
            await context.abort(grpc.StatusCode.UNAVAILABLE, str(error))
        return pb.TranslateResponse(
            text=result.text, provider=result.provider, cached=result.cached
        )

    async def GetTranslations(
        self, request: pb.GetTranslationsRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetTranslationsResponse:
        translations = await self.queries.get_translations(request.tenant_id, request.post_id)
        return pb.GetTranslationsResponse(translations=[translation_to_pb(t) for t in translations])


def binding(queries: TranslationQueries) -> ServiceBinding:
    return ServiceBinding(
        servicer=TranslationServicer(queries),
        add=pb_grpc.add_TranslationServiceServicer_to_server,
        name=pb.DESCRIPTOR.services_by_name["TranslationService"].full_name,
    )
