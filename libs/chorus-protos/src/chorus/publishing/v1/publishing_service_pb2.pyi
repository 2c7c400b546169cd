import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PublishStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PUBLISH_STATUS_UNSPECIFIED: _ClassVar[PublishStatus]
    PUBLISH_STATUS_LEASED: _ClassVar[PublishStatus]
    PUBLISH_STATUS_PUBLISHED: _ClassVar[PublishStatus]
    PUBLISH_STATUS_FAILED: _ClassVar[PublishStatus]
    PUBLISH_STATUS_DEFERRED: _ClassVar[PublishStatus]
    PUBLISH_STATUS_HELD: _ClassVar[PublishStatus]
    PUBLISH_STATUS_CANCELLED: _ClassVar[PublishStatus]
PUBLISH_STATUS_UNSPECIFIED: PublishStatus
PUBLISH_STATUS_LEASED: PublishStatus
PUBLISH_STATUS_PUBLISHED: PublishStatus
PUBLISH_STATUS_FAILED: PublishStatus
PUBLISH_STATUS_DEFERRED: PublishStatus
PUBLISH_STATUS_HELD: PublishStatus
PUBLISH_STATUS_CANCELLED: PublishStatus

class ConnectAccountRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "employee_id", "network", "handle", "secret")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    employee_id: str
    network: str
    handle: str
    secret: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., network: _Optional[str] = ..., handle: _Optional[str] = ..., secret: _Optional[str] = ...) -> None: ...

class ConnectAccountResponse(_message.Message):
    __slots__ = ("account_id", "network")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    network: str
    def __init__(self, account_id: _Optional[str] = ..., network: _Optional[str] = ...) -> None: ...

class DisconnectAccountRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "employee_id", "network")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    employee_id: str
    network: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., network: _Optional[str] = ...) -> None: ...

class DisconnectAccountResponse(_message.Message):
    __slots__ = ("disconnected",)
    DISCONNECTED_FIELD_NUMBER: _ClassVar[int]
    disconnected: bool
    def __init__(self, disconnected: _Optional[bool] = ...) -> None: ...

class PublishRecord(_message.Message):
    __slots__ = ("share_id", "post_id", "employee_id", "network", "status", "post_uri", "failure_reason", "published_at", "retry_at", "text", "variant", "edited")
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    POST_URI_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    RETRY_AT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    VARIANT_FIELD_NUMBER: _ClassVar[int]
    EDITED_FIELD_NUMBER: _ClassVar[int]
    share_id: str
    post_id: str
    employee_id: str
    network: str
    status: PublishStatus
    post_uri: str
    failure_reason: str
    published_at: _timestamp_pb2.Timestamp
    retry_at: _timestamp_pb2.Timestamp
    text: str
    variant: int
    edited: bool
    def __init__(self, share_id: _Optional[str] = ..., post_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., network: _Optional[str] = ..., status: _Optional[_Union[PublishStatus, str]] = ..., post_uri: _Optional[str] = ..., failure_reason: _Optional[str] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., retry_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., text: _Optional[str] = ..., variant: _Optional[int] = ..., edited: _Optional[bool] = ...) -> None: ...

class GetPublishStatusRequest(_message.Message):
    __slots__ = ("tenant_id", "share_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    share_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., share_id: _Optional[str] = ...) -> None: ...

class GetPublishStatusResponse(_message.Message):
    __slots__ = ("record",)
    RECORD_FIELD_NUMBER: _ClassVar[int]
    record: PublishRecord
    def __init__(self, record: _Optional[_Union[PublishRecord, _Mapping]] = ...) -> None: ...

class ListPublishedRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPublishedResponse(_message.Message):
    __slots__ = ("records", "next_page_token")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[PublishRecord]
    next_page_token: str
    def __init__(self, records: _Optional[_Iterable[_Union[PublishRecord, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
