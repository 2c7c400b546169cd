import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SharesScheduled(_message.Message):
    __slots__ = ("tenant_id", "post_id", "shares")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    SHARES_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    shares: _containers.RepeatedCompositeFieldContainer[ScheduledShare]
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., shares: _Optional[_Iterable[_Union[ScheduledShare, _Mapping]]] = ...) -> None: ...

class ScheduledShare(_message.Message):
    __slots__ = ("share_id", "employee_id", "due_at")
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    share_id: str
    employee_id: str
    due_at: _timestamp_pb2.Timestamp
    def __init__(self, share_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ShareDue(_message.Message):
    __slots__ = ("tenant_id", "share_id", "post_id", "post_version", "employee_id", "network", "language", "country", "text", "link", "due_at", "fallback_language", "expires_at", "variant", "edited", "media_ids", "title", "description")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    POST_VERSION_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    VARIANT_FIELD_NUMBER: _ClassVar[int]
    EDITED_FIELD_NUMBER: _ClassVar[int]
    MEDIA_IDS_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    share_id: str
    post_id: str
    post_version: int
    employee_id: str
    network: str
    language: str
    country: str
    text: str
    link: str
    due_at: _timestamp_pb2.Timestamp
    fallback_language: str
    expires_at: _timestamp_pb2.Timestamp
    variant: int
    edited: bool
    media_ids: _containers.RepeatedScalarFieldContainer[str]
    title: str
    description: str
    def __init__(self, tenant_id: _Optional[str] = ..., share_id: _Optional[str] = ..., post_id: _Optional[str] = ..., post_version: _Optional[int] = ..., employee_id: _Optional[str] = ..., network: _Optional[str] = ..., language: _Optional[str] = ..., country: _Optional[str] = ..., text: _Optional[str] = ..., link: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., fallback_language: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., variant: _Optional[int] = ..., edited: _Optional[bool] = ..., media_ids: _Optional[_Iterable[str]] = ..., title: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class ShareCancelled(_message.Message):
    __slots__ = ("tenant_id", "share_id", "post_id", "employee_id", "reason", "cancelled_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    share_id: str
    post_id: str
    employee_id: str
    reason: str
    cancelled_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., share_id: _Optional[str] = ..., post_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., reason: _Optional[str] = ..., cancelled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
