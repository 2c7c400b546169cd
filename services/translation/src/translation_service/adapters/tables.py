"""Translation tables. Every row carries its tenant; every query filters on it."""

from __future__ import annotations

from datetime import datetime

from chorus_db import timestamp
from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class TranslationRow(SQLModel, table=True):
    """One language of one post version. The key is what makes a repeated
    AudienceSummary harmless: a language already here is never emitted again."""

    __tablename__ = "translation_translations"

    tenant_id: str = Field(primary_key=True, max_length=64)
    post_id: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    language: str = Field(primary_key=True, max_length=35)
    source_language: str = Field(max_length=35)
    title: str
    body: str
    link: str
    network_texts: dict = Field(sa_column=Column(JSON, nullable=False))
    # network -> the translated text variants (a list each); None: the post has none.
    network_variants: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    provider: str = Field(max_length=50)
    created_at: datetime = Field(sa_column=timestamp())


class LanguagePolicyRow(SQLModel, table=True):
    """One rule of a tenant's policy for languages the engine cannot produce
    (domain.policy); language "*" holds the default rule. No rows: the tenant
    never set a policy, the built-in default applies."""

    __tablename__ = "translation_language_policies"

    tenant_id: str = Field(primary_key=True, max_length=64)
    language: str = Field(primary_key=True, max_length=35)
    action: str = Field(max_length=10)  # "fallback" | "hold"
    fallback_language: str = Field(default="", max_length=35)  # "" = the post's source
    updated_at: datetime = Field(sa_column=timestamp())


class LanguageDecisionRow(SQLModel, table=True):
    """A language of a post version the engine could not produce, and what
    the policy decided (a fallback's text is also a TranslationRow; a held
    language has none). Languages translated normally have no row here."""

    __tablename__ = "translation_language_decisions"

    tenant_id: str = Field(primary_key=True, max_length=64)
    post_id: str = Field(primary_key=True, max_length=36)
    version: int = Field(primary_key=True)
    language: str = Field(primary_key=True, max_length=35)
    decision: str = Field(max_length=10)  # "fallback" | "held"
    fallback_language: str = Field(default="", max_length=35)
    reason: str = Field(default="", max_length=300)
    decided_at: datetime = Field(sa_column=timestamp())


class RequestRow(SQLModel, table=True):
    """Mutating RPCs already applied, by request_id (SetLanguagePolicy)."""

    __tablename__ = "translation_requests"

    tenant_id: str = Field(primary_key=True, max_length=64)
    request_id: str = Field(primary_key=True, max_length=100)
    operation: str = Field(max_length=30)
    created_at: datetime = Field(sa_column=timestamp())
