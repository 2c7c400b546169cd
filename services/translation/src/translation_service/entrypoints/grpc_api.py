"""TranslationService over gRPC: decode -> use case -> encode. Nothing else."""

from __future__ import annotations

import grpc
from chorus.translation.v1 import translation_service_pb2 as pb
from chorus.translation.v1 import translation_service_pb2_grpc as pb_grpc
from chorus_grpc import ServiceBinding
from chorus_identity.context import current_principal

from translation_service.adapters.messages import (
    decision_to_pb,
    policy_from_pb,
    policy_to_pb,
    translation_to_pb,
)
from translation_service.app.language_policies import LanguagePolicies
from translation_service.app.ports import TranslatorUnavailable
from translation_service.app.queries import TranslationQueries


class TranslationServicer(pb_grpc.TranslationServiceServicer):
    def __init__(self, queries: TranslationQueries, policies: LanguagePolicies) -> None:
        self.queries = queries
        self.policies = policies

    async def Translate(
        self, request: pb.TranslateRequest, context: grpc.aio.ServicerContext
    ) -> pb.TranslateResponse:
        try:
            result = await self.queries.translate(
                current_principal(),
                request.tenant_id,
                request.text,
                request.source_language,
                request.target_language,
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
        translations = await self.queries.get_translations(
            current_principal(), request.tenant_id, request.post_id
        )
        return pb.GetTranslationsResponse(translations=[translation_to_pb(t) for t in translations])

    async def SetLanguagePolicy(
        self, request: pb.SetLanguagePolicyRequest, context: grpc.aio.ServicerContext
    ) -> pb.SetLanguagePolicyResponse:
        policy = policy_from_pb(request.policy)
        try:
            in_force = await self.policies.set_policy(
                current_principal(), request.tenant_id, request.request_id, policy
            )
        except TranslatorUnavailable as error:
            # The fallback languages cannot be checked without the engine.
            await context.abort(grpc.StatusCode.UNAVAILABLE, str(error))
        return pb.SetLanguagePolicyResponse(policy=policy_to_pb(in_force))

    async def GetLanguagePolicy(
        self, request: pb.GetLanguagePolicyRequest, context: grpc.aio.ServicerContext
    ) -> pb.GetLanguagePolicyResponse:
        policy, configured = await self.policies.get_policy(current_principal(), request.tenant_id)
        return pb.GetLanguagePolicyResponse(policy=policy_to_pb(policy), configured=configured)

    async def ListLanguageDecisions(
        self, request: pb.ListLanguageDecisionsRequest, context: grpc.aio.ServicerContext
    ) -> pb.ListLanguageDecisionsResponse:
        decisions = await self.policies.decisions_for_post(
            current_principal(), request.tenant_id, request.post_id
        )
        return pb.ListLanguageDecisionsResponse(decisions=[decision_to_pb(d) for d in decisions])


def binding(queries: TranslationQueries, policies: LanguagePolicies) -> ServiceBinding:
    return ServiceBinding(
        servicer=TranslationServicer(queries, policies),
        add=pb_grpc.add_TranslationServiceServicer_to_server,
        name=pb.DESCRIPTOR.services_by_name["TranslationService"].full_name,
    )
