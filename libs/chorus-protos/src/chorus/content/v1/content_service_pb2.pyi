import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PostStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POST_STATUS_UNSPECIFIED: _ClassVar[PostStatus]
    POST_STATUS_DRAFT: _ClassVar[PostStatus]
    POST_STATUS_IN_REVIEW: _ClassVar[PostStatus]
    POST_STATUS_APPROVED: _ClassVar[PostStatus]

class Severity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEVERITY_UNSPECIFIED: _ClassVar[Severity]
    SEVERITY_WARN: _ClassVar[Severity]
    SEVERITY_BLOCK: _ClassVar[Severity]
POST_STATUS_UNSPECIFIED: PostStatus
POST_STATUS_DRAFT: PostStatus
POST_STATUS_IN_REVIEW: PostStatus
POST_STATUS_APPROVED: PostStatus
SEVERITY_UNSPECIFIED: Severity
SEVERITY_WARN: Severity
SEVERITY_BLOCK: Severity

class Targeting(_message.Message):
    __slots__ = ("countries", "departments")
    COUNTRIES_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENTS_FIELD_NUMBER: _ClassVar[int]
    countries: _containers.RepeatedScalarFieldContainer[str]
    departments: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, countries: _Optional[_Iterable[str]] = ..., departments: _Optional[_Iterable[str]] = ...) -> None: ...

class Post(_message.Message):
    __slots__ = ("post_id", "tenant_id", "version", "title", "body", "link", "source_language", "network_texts", "targeting", "status", "author_id", "approver_id", "created_at", "updated_at")
    class NetworkTextsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    SOURCE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NETWORK_TEXTS_FIELD_NUMBER: _ClassVar[int]
    TARGETING_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    tenant_id: str
    version: int
    title: str
    body: str
    link: str
    source_language: str
    network_texts: _containers.ScalarMap[str, str]
    targeting: Targeting
    status: PostStatus
    author_id: str
    approver_id: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, post_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., version: _Optional[int] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., link: _Optional[str] = ..., source_language: _Optional[str] = ..., network_texts: _Optional[_Mapping[str, str]] = ..., targeting: _Optional[_Union[Targeting, _Mapping]] = ..., status: _Optional[_Union[PostStatus, str]] = ..., author_id: _Optional[str] = ..., approver_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreatePostRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "author_id", "title", "body", "link", "source_language", "network_texts", "targeting")
    class NetworkTextsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    SOURCE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NETWORK_TEXTS_FIELD_NUMBER: _ClassVar[int]
    TARGETING_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    author_id: str
    title: str
    body: str
    link: str
    source_language: str
    network_texts: _containers.ScalarMap[str, str]
    targeting: Targeting
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., author_id: _Optional[str] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., link: _Optional[str] = ..., source_language: _Optional[str] = ..., network_texts: _Optional[_Mapping[str, str]] = ..., targeting: _Optional[_Union[Targeting, _Mapping]] = ...) -> None: ...

class CreatePostResponse(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: Post
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ...) -> None: ...

class SubmitPostRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "post_id", "actor_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    post_id: str
    actor_id: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., actor_id: _Optional[str] = ...) -> None: ...

class SubmitPostResponse(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: Post
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ...) -> None: ...

class ApprovePostRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "post_id", "approver_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVER_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    post_id: str
    approver_id: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., approver_id: _Optional[str] = ...) -> None: ...

class ApprovePostResponse(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: Post
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ...) -> None: ...

class GetPostRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ...) -> None: ...

class GetPostResponse(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: Post
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ...) -> None: ...

class ListPostsRequest(_message.Message):
    __slots__ = ("tenant_id", "status", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    status: PostStatus
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., status: _Optional[_Union[PostStatus, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPostsResponse(_message.Message):
    __slots__ = ("posts", "next_page_token")
    POSTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    posts: _containers.RepeatedCompositeFieldContainer[Post]
    next_page_token: str
    def __init__(self, posts: _Optional[_Iterable[_Union[Post, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Violation(_message.Message):
    __slots__ = ("rule_id", "severity", "message", "field", "start", "end", "suggestion")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    SUGGESTION_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    severity: Severity
    message: str
    field: str
    start: int
    end: int
    suggestion: str
    def __init__(self, rule_id: _Optional[str] = ..., severity: _Optional[_Union[Severity, str]] = ..., message: _Optional[str] = ..., field: _Optional[str] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., suggestion: _Optional[str] = ...) -> None: ...

class CheckComplianceRequest(_message.Message):
    __slots__ = ("tenant_id", "title", "body", "link", "network_texts", "language")
    class NetworkTextsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    NETWORK_TEXTS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    title: str
    body: str
    link: str
    network_texts: _containers.ScalarMap[str, str]
    language: str
    def __init__(self, tenant_id: _Optional[str] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., link: _Optional[str] = ..., network_texts: _Optional[_Mapping[str, str]] = ..., language: _Optional[str] = ...) -> None: ...

class CheckComplianceResponse(_message.Message):
    __slots__ = ("violations",)
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    violations: _containers.RepeatedCompositeFieldContainer[Violation]
    def __init__(self, violations: _Optional[_Iterable[_Union[Violation, _Mapping]]] = ...) -> None: ...

class Charter(_message.Message):
    __slots__ = ("blocked_phrases", "max_length", "version")
    class MaxLengthEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    BLOCKED_PHRASES_FIELD_NUMBER: _ClassVar[int]
    MAX_LENGTH_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    blocked_phrases: _containers.RepeatedScalarFieldContainer[str]
    max_length: _containers.ScalarMap[str, int]
    version: int
    def __init__(self, blocked_phrases: _Optional[_Iterable[str]] = ..., max_length: _Optional[_Mapping[str, int]] = ..., version: _Optional[int] = ...) -> None: ...

class SetCharterRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "charter")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CHARTER_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    charter: Charter
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., charter: _Optional[_Union[Charter, _Mapping]] = ...) -> None: ...

class SetCharterResponse(_message.Message):
    __slots__ = ("charter",)
    CHARTER_FIELD_NUMBER: _ClassVar[int]
    charter: Charter
    def __init__(self, charter: _Optional[_Union[Charter, _Mapping]] = ...) -> None: ...

class GetCharterRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class GetCharterResponse(_message.Message):
    __slots__ = ("charter",)
    CHARTER_FIELD_NUMBER: _ClassVar[int]
    charter: Charter
    def __init__(self, charter: _Optional[_Union[Charter, _Mapping]] = ...) -> None: ...
