"""Translation: a post's translations and what was decided per language,
the tenant's policy for languages the engine cannot produce, an ad-hoc
translation preview. Decode -> one TranslationService call -> encode
(translation's policy: comms managers, reviewers and admins read; tenant
admins set the policy).

GET  /v1/posts/{post_id}/translations        every language's text
GET  /v1/posts/{post_id}/language-decisions  translated, fallback or held, per language
GET  /v1/language-policy                     the policy (and whether it was ever set)
PUT  /v1/language-policy                     replace it (tenant admins)
POST /v1/translate                           translate a text (writes nothing)
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from chorus.translation.v1 import translation_service_pb2 as pb
from chorus.translation.v1 import translation_service_pb2_grpc as pb_grpc
from chorus_core.prototime import from_timestamp
from fastapi import Depends, Request
from pydantic import BaseModel, Field

from gateway_service.entrypoints.deps import Caller, RequestId, gateway
from gateway_service.entrypoints.http_posts import PostId
from gateway_service.entrypoints.posts_json import Items, Strict
from gateway_service.entrypoints.routing import not_a_mutation, router

api = router("/v1", ["translation"])
Language = Annotated[str, Field(min_length=2, max_length=35)]
Action = Literal["fallback", "hold"]


def translation(request: Request) -> pb_grpc.TranslationServiceStub:
    return gateway(request).channels.stub(pb_grpc.TranslationServiceStub, "translation")


Translation_ = Annotated[pb_grpc.TranslationServiceStub, Depends(translation)]


class Translation(BaseModel):
    post_id: str
    post_version: int
    language: str
    title: str
    body: str
    network_texts: dict[str, str]
    provider: str
    fallback_language: str


class Decision(BaseModel):
    post_id: str
    post_version: int
    language: str
    decision: str  # translated | fallback | held_for_human
    fallback_language: str
    provider: str
    reason: str
    decided_at: datetime | None


class Rule(Strict):
    action: Action = "fallback"
    fallback_language: str = Field(default="", max_length=35)  # empty: the post's source

    def to_pb(self) -> pb.LanguageRule:
        action = (
            pb.UNAVAILABLE_ACTION_HOLD if self.action == "hold" else pb.UNAVAILABLE_ACTION_FALLBACK
        )
        return pb.LanguageRule(action=action, fallback_language=self.fallback_language)

    @classmethod
    def of(cls, r: pb.LanguageRule) -> Rule:
        action: Action = "hold" if r.action == pb.UNAVAILABLE_ACTION_HOLD else "fallback"
        return cls(action=action, fallback_language=r.fallback_language)


class PolicyIn(Strict):
    default_rule: Rule = Field(default_factory=Rule)
    languages: dict[Language, Rule] = Field(default_factory=dict, max_length=200)

    def to_pb(self) -> pb.LanguagePolicy:
        return pb.LanguagePolicy(
            default_rule=self.default_rule.to_pb(),
            languages={k: v.to_pb() for k, v in self.languages.items()},
        )


class Policy(PolicyIn):
    configured: bool  # false: never set; this is the built-in default

    @classmethod
    def of(cls, p: pb.LanguagePolicy, configured: bool) -> Policy:
        return cls(
            default_rule=Rule.of(p.default_rule),
            languages={k: Rule.of(v) for k, v in p.languages.items()},
            configured=configured,
        )


class TextIn(Strict):
    text: str = Field(min_length=1, max_length=10_000)
    source_language: Language
    target_language: Language


class Translated(BaseModel):
    text: str
    provider: str
    cached: bool


@api.get("/posts/{post_id}/translations", summary="A post's translations")
async def translations(post_id: PostId, caller: Caller, stub: Translation_) -> Items[Translation]:
    answer = await stub.GetTranslations(
        pb.GetTranslationsRequest(tenant_id=caller.principal.tenant_id, post_id=post_id)
    )
    items = [
        Translation(
            post_id=t.post_id,
            post_version=t.post_version,
            language=t.language,
            title=t.title,
            body=t.body,
            network_texts=dict(t.network_texts),
            provider=t.provider,
            fallback_language=t.fallback_language,
        )
        for t in answer.translations
    ]
    return Items[Translation](items=items)


@api.get("/posts/{post_id}/language-decisions", summary="What was decided per language")
async def decisions(post_id: PostId, caller: Caller, stub: Translation_) -> Items[Decision]:
    answer = await stub.ListLanguageDecisions(
        pb.ListLanguageDecisionsRequest(tenant_id=caller.principal.tenant_id, post_id=post_id)
    )
    kind = pb.LanguageDecisionKind.Name
    items = [
        Decision(
            post_id=d.post_id,
            post_version=d.post_version,
            language=d.language,
            decision=kind(d.decision).removeprefix("LANGUAGE_DECISION_KIND_").lower(),
            fallback_language=d.fallback_language,
            provider=d.provider,
            reason=d.reason,
            decided_at=from_timestamp(d.decided_at),
        )
        for d in answer.decisions
    ]
    return Items[Decision](items=items)


@api.get("/language-policy", summary="The tenant's policy for languages without an engine")
async def get_policy(caller: Caller, stub: Translation_) -> Policy:
    answer = await stub.GetLanguagePolicy(
        pb.GetLanguagePolicyRequest(tenant_id=caller.principal.tenant_id)
    )
    return Policy.of(answer.policy, answer.configured)


@api.put("/language-policy", summary="Replace the language policy (tenant admins)")
async def set_policy(
    body: PolicyIn, caller: Caller, stub: Translation_, request_id: RequestId
) -> Policy:
    answer = await stub.SetLanguagePolicy(
        pb.SetLanguagePolicyRequest(
            request_id=request_id, tenant_id=caller.principal.tenant_id, policy=body.to_pb()
        )
    )
    return Policy.of(answer.policy, True)


@api.post("/translate", summary="Translate a text (a preview; writes nothing)")
@not_a_mutation
async def translate(body: TextIn, caller: Caller, stub: Translation_) -> Translated:
    answer = await stub.Translate(
        pb.TranslateRequest(tenant_id=caller.principal.tenant_id, **body.model_dump())
    )
    return Translated(text=answer.text, provider=answer.provider, cached=answer.cached)
