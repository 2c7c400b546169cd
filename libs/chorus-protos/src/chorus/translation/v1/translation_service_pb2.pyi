from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

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
    __slots__ = ("post_id", "post_version", "language", "title", "body", "network_texts", "provider")
    class NetworkTextsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    POST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    NETWORK_TEXTS_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    post_version: int
    language: str
    title: str
    body: str
    network_texts: _containers.ScalarMap[str, str]
    provider: str
    def __init__(self, post_id: _Optional[str] = ..., post_version: _Optional[int] = ..., language: _Optional[str] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., network_texts: _Optional[_Mapping[str, str]] = ..., provider: _Optional[str] = ...) -> None: ...

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
