import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from chorus.content.v1 import content_service_pb2 as _content_service_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TranslationCompleted(_message.Message):
    __slots__ = ("tenant_id", "post_id", "post_version", "language", "source_language", "title", "body", "network_texts", "link", "provider", "fallback_language", "network_variants", "media_ids")
    class NetworkTextsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class NetworkVariantsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _content_service_pb2.TextVariants
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_content_service_pb2.TextVariants, _Mapping]] = ...) -> None: ...
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    POST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    NETWORK_TEXTS_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NETWORK_VARIANTS_FIELD_NUMBER: _ClassVar[int]
    MEDIA_IDS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    post_version: int
    language: str
    source_language: str
    title: str
    body: str
    network_texts: _containers.ScalarMap[str, str]
    link: str
    provider: str
    fallback_language: str
    network_variants: _containers.MessageMap[str, _content_service_pb2.TextVariants]
    media_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., post_version: _Optional[int] = ..., language: _Optional[str] = ..., source_language: _Optional[str] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., network_texts: _Optional[_Mapping[str, str]] = ..., link: _Optional[str] = ..., provider: _Optional[str] = ..., fallback_language: _Optional[str] = ..., network_variants: _Optional[_Mapping[str, _content_service_pb2.TextVariants]] = ..., media_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class TranslationUnavailable(_message.Message):
    __slots__ = ("tenant_id", "post_id", "post_version", "language", "source_language", "reason", "decided_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    POST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    post_version: int
    language: str
    source_language: str
    reason: str
    decided_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., post_version: _Optional[int] = ..., language: _Optional[str] = ..., source_language: _Optional[str] = ..., reason: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
