import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from chorus.content.v1 import content_service_pb2 as _content_service_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UnavailableAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    UNAVAILABLE_ACTION_UNSPECIFIED: _ClassVar[UnavailableAction]
    UNAVAILABLE_ACTION_FALLBACK: _ClassVar[UnavailableAction]
    UNAVAILABLE_ACTION_HOLD: _ClassVar[UnavailableAction]

class LanguageDecisionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LANGUAGE_DECISION_KIND_UNSPECIFIED: _ClassVar[LanguageDecisionKind]
    LANGUAGE_DECISION_KIND_TRANSLATED: _ClassVar[LanguageDecisionKind]
    LANGUAGE_DECISION_KIND_FALLBACK: _ClassVar[LanguageDecisionKind]
    LANGUAGE_DECISION_KIND_HELD_FOR_HUMAN: _ClassVar[LanguageDecisionKind]
UNAVAILABLE_ACTION_UNSPECIFIED: UnavailableAction
UNAVAILABLE_ACTION_FALLBACK: UnavailableAction
UNAVAILABLE_ACTION_HOLD: UnavailableAction
LANGUAGE_DECISION_KIND_UNSPECIFIED: LanguageDecisionKind
LANGUAGE_DECISION_KIND_TRANSLATED: LanguageDecisionKind
LANGUAGE_DECISION_KIND_FALLBACK: LanguageDecisionKind
LANGUAGE_DECISION_KIND_HELD_FOR_HUMAN: LanguageDecisionKind

class TranslateRequest(_message.Message):
    __slots__ = ("tenant_id", "text", "source_language", "target_language")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TARGET_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    text: str
    source_language: str
    target_language: str
    def __init__(self, tenant_id: _Optional[str] = ..., text: _Optional[str] = ..., source_language: _Optional[str] = ..., target_language: _Optional[str] = ...) -> None: ...

class TranslateResponse(_message.Message):
    __slots__ = ("text", "provider", "cached")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    CACHED_FIELD_NUMBER: _ClassVar[int]
    text: str
    provider: str
    cached: bool
    def __init__(self, text: _Optional[str] = ..., provider: _Optional[str] = ..., cached: _Optional[bool] = ...) -> None: ...

class Translation(_message.Message):
    __slots__ = ("post_id", "post_version", "language", "title", "body", "network_texts", "provider", "fallback_language", "network_variants")
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
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    POST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    NETWORK_TEXTS_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NETWORK_VARIANTS_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    post_version: int
    language: str
    title: str
    body: str
    network_texts: _containers.ScalarMap[str, str]
    provider: str
    fallback_language: str
    network_variants: _containers.MessageMap[str, _content_service_pb2.TextVariants]
    def __init__(self, post_id: _Optional[str] = ..., post_version: _Optional[int] = ..., language: _Optional[str] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., network_texts: _Optional[_Mapping[str, str]] = ..., provider: _Optional[str] = ..., fallback_language: _Optional[str] = ..., network_variants: _Optional[_Mapping[str, _content_service_pb2.TextVariants]] = ...) -> None: ...

class GetTranslationsRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ...) -> None: ...

class GetTranslationsResponse(_message.Message):
    __slots__ = ("translations",)
    TRANSLATIONS_FIELD_NUMBER: _ClassVar[int]
    translations: _containers.RepeatedCompositeFieldContainer[Translation]
    def __init__(self, translations: _Optional[_Iterable[_Union[Translation, _Mapping]]] = ...) -> None: ...

class LanguageRule(_message.Message):
    __slots__ = ("action", "fallback_language")
    ACTION_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    action: UnavailableAction
    fallback_language: str
    def __init__(self, action: _Optional[_Union[UnavailableAction, str]] = ..., fallback_language: _Optional[str] = ...) -> None: ...

class LanguagePolicy(_message.Message):
    __slots__ = ("default_rule", "languages")
    class LanguagesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: LanguageRule
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[LanguageRule, _Mapping]] = ...) -> None: ...
    DEFAULT_RULE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    default_rule: LanguageRule
    languages: _containers.MessageMap[str, LanguageRule]
    def __init__(self, default_rule: _Optional[_Union[LanguageRule, _Mapping]] = ..., languages: _Optional[_Mapping[str, LanguageRule]] = ...) -> None: ...

class SetLanguagePolicyRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "policy")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POLICY_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    policy: LanguagePolicy
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., policy: _Optional[_Union[LanguagePolicy, _Mapping]] = ...) -> None: ...

class SetLanguagePolicyResponse(_message.Message):
    __slots__ = ("policy",)
    POLICY_FIELD_NUMBER: _ClassVar[int]
    policy: LanguagePolicy
    def __init__(self, policy: _Optional[_Union[LanguagePolicy, _Mapping]] = ...) -> None: ...

class GetLanguagePolicyRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class GetLanguagePolicyResponse(_message.Message):
    __slots__ = ("policy", "configured")
    POLICY_FIELD_NUMBER: _ClassVar[int]
    CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    policy: LanguagePolicy
    configured: bool
    def __init__(self, policy: _Optional[_Union[LanguagePolicy, _Mapping]] = ..., configured: _Optional[bool] = ...) -> None: ...

class LanguageDecision(_message.Message):
    __slots__ = ("post_id", "post_version", "language", "decision", "fallback_language", "provider", "reason", "decided_at")
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    POST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    DECISION_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    post_version: int
    language: str
    decision: LanguageDecisionKind
    fallback_language: str
    provider: str
    reason: str
    decided_at: _timestamp_pb2.Timestamp
    def __init__(self, post_id: _Optional[str] = ..., post_version: _Optional[int] = ..., language: _Optional[str] = ..., decision: _Optional[_Union[LanguageDecisionKind, str]] = ..., fallback_language: _Optional[str] = ..., provider: _Optional[str] = ..., reason: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListLanguageDecisionsRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ...) -> None: ...

class ListLanguageDecisionsResponse(_message.Message):
    __slots__ = ("decisions",)
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    decisions: _containers.RepeatedCompositeFieldContainer[LanguageDecision]
    def __init__(self, decisions: _Optional[_Iterable[_Union[LanguageDecision, _Mapping]]] = ...) -> None: ...
