"""Translation tables. Every row carries its tenant; every query filters on it."""

from __future__ import annotations

from datetime import datetime

from chorus_db import Migration, create_tables, timestamp
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
    provider: str = Field(max_length=50)
    created_at: datetime = Field(sa_column=timestamp())


MIGRATIONS = [Migration("translation_0001_initial", create_tables(TranslationRow))]
