"""The tenant's social-media charter and the editor's dry-run check.

GET  /v1/charter           the current charter (?version= for an older one)
PUT  /v1/charter           save a new version (tenant admins; content decides)
POST /v1/compliance-check  check a draft against the charter (writes nothing)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from chorus.content.v1 import content_service_pb2 as pb
from fastapi import Query
from pydantic import BaseModel, Field

from gateway_service.entrypoints.deps import Caller, RequestId
from gateway_service.entrypoints.http_posts import Content
from gateway_service.entrypoints.posts_json import NetworkVariants, Strict, Variants, variants_to_pb
from gateway_service.entrypoints.routing import not_a_mutation, router

api = router("/v1", ["charter"])
Many: Any = Field(default_factory=list, max_length=1000)


class Severity(StrEnum):
    WARN = "warn"
    BLOCK = "block"


def _severity_pb(severity: Severity) -> str:
    return f"SEVERITY_{severity.name}"  # protobuf takes an enum's value by its name


def _severity(value: int) -> Severity:
    return Severity.WARN if value == pb.SEVERITY_WARN else Severity.BLOCK


class BlockedTerm(Strict):
    term: str = Field(min_length=1, max_length=500)
    language: str = Field(default="", max_length=35)
    severity: Severity = Severity.BLOCK
    suggestion: str = Field(default="", max_length=1000)


class ConfidentialPattern(Strict):
    rule_id: str = Field(min_length=1, max_length=100)
    pattern: str = Field(min_length=1, max_length=1000)
    severity: Severity = Severity.BLOCK
    description: str = Field(default="", max_length=1000)
    suggestion: str = Field(default="", max_length=1000)


RuleSeverity = Literal["block", "warn", "off"]


class CharterIn(Strict):
    blocked_phrases: list[str] = Many
    max_length: dict[str, Annotated[int, Field(ge=1, le=1_000_000)]] = Field(
        default_factory=dict, max_length=50
    )
    blocked_terms: list[BlockedTerm] = Many
    patterns: list[ConfidentialPattern] = Field(default_factory=list, max_length=200)
    disclosures: dict[str, str] = Field(default_factory=dict, max_length=50)
    required_hashtags: list[str] = Many
    forbidden_hashtags: list[str] = Many
    max_hashtags: int = Field(default=0, ge=0, le=1000)
    https_only: bool = False
    allowed_domains: list[str] = Many
    severities: dict[str, RuleSeverity] = Field(default_factory=dict, max_length=50)

    def to_pb(self) -> pb.Charter:
        return pb.Charter(
            blocked_phrases=self.blocked_phrases,
            max_length=self.max_length,
            blocked_terms=[
                pb.BlockedTerm(
                    term=t.term,
                    language=t.language,
                    severity=_severity_pb(t.severity),
                    suggestion=t.suggestion,
                )
                for t in self.blocked_terms
            ],
            patterns=[
                pb.ConfidentialPattern(
                    rule_id=p.rule_id,
                    pattern=p.pattern,
                    severity=_severity_pb(p.severity),
                    description=p.description,
                    suggestion=p.suggestion,
                )
                for p in self.patterns
            ],
            disclosures=self.disclosures,
            required_hashtags=self.required_hashtags,
            forbidden_hashtags=self.forbidden_hashtags,
            max_hashtags=self.max_hashtags,
            https_only=self.https_only,
            allowed_domains=self.allowed_domains,
            severities=self.severities,
        )


class Charter(CharterIn):
    version: int

    @classmethod
    def of(cls, c: pb.Charter) -> Charter:
        return cls(
            version=c.version,
            blocked_phrases=list(c.blocked_phrases),
            max_length=dict(c.max_length),
            blocked_terms=[
                BlockedTerm(
                    term=t.term,
                    language=t.language,
                    severity=_severity(t.severity),
                    suggestion=t.suggestion,
                )
                for t in c.blocked_terms
            ],
            patterns=[
                ConfidentialPattern(
                    rule_id=p.rule_id,
                    pattern=p.pattern,
                    severity=_severity(p.severity),
                    description=p.description,
                    suggestion=p.suggestion,
                )
                for p in c.patterns
            ],
            disclosures=dict(c.disclosures),
            required_hashtags=list(c.required_hashtags),
            forbidden_hashtags=list(c.forbidden_hashtags),
            max_hashtags=c.max_hashtags,
            https_only=c.https_only,
            allowed_domains=list(c.allowed_domains),
            severities={k: v for k, v in c.severities.items() if v in ("block", "warn", "off")},
        )


class Draft(Strict):
    title: str = Field(default="", max_length=1000)
    body: str = Field(default="", max_length=100_000)
    link: str = Field(default="", max_length=4000)
    network_texts: dict[str, str] = Field(default_factory=dict, max_length=20)
    network_variants: NetworkVariants = Variants  # violations name network_variants.<network>[i]
    language: str = Field(default="", max_length=35)


class Violation(BaseModel):
    rule_id: str
    severity: Severity
    message: str
    field: str
    start: int
    end: int
    suggestion: str


class Verdict(BaseModel):
    violations: list[Violation]
    blocking: bool  # a blocking violation: approval would be refused


@api.get("/charter", summary="The tenant's charter")
async def get_charter(
    caller: Caller, stub: Content, version: Annotated[int, Query(ge=0, le=1_000_000)] = 0
) -> Charter:
    answer = await stub.GetCharter(
        pb.GetCharterRequest(tenant_id=caller.principal.tenant_id, version=version)
    )
    return Charter.of(answer.charter)


@api.put("/charter", summary="Save a new version of the charter (tenant admins)")
async def put_charter(
    body: CharterIn, caller: Caller, stub: Content, request_id: RequestId
) -> Charter:
    answer = await stub.SetCharter(
        pb.SetCharterRequest(
            request_id=request_id, tenant_id=caller.principal.tenant_id, charter=body.to_pb()
        )
    )
    return Charter.of(answer.charter)


@api.post("/compliance-check", summary="Check a draft against the charter (writes nothing)")
@not_a_mutation
async def check(body: Draft, caller: Caller, stub: Content) -> Verdict:
    answer = await stub.CheckCompliance(
        pb.CheckComplianceRequest(
            tenant_id=caller.principal.tenant_id,
            **body.model_dump(exclude={"network_variants"}),
            network_variants=variants_to_pb(body.network_variants),
        )
    )
    violations = [
        Violation(
            rule_id=v.rule_id,
            severity=_severity(v.severity),
            message=v.message,
            field=v.field,
            start=v.start,
            end=v.end,
            suggestion=v.suggestion,
        )
        for v in answer.violations
    ]
    return Verdict(
        violations=violations, blocking=any(v.severity == Severity.BLOCK for v in violations)
    )
