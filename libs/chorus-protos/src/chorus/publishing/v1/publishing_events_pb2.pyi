import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SharePublished(_message.Message):
    __slots__ = ("tenant_id", "share_id", "post_id", "employee_id", "network", "post_uri", "country", "language", "link_code", "published_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    POST_URI_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    LINK_CODE_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    share_id: str
    post_id: str
    employee_id: str
    network: str
    post_uri: str
    country: str
    language: str
    link_code: str
    published_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., share_id: _Optional[str] = ..., post_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., network: _Optional[str] = ..., post_uri: _Optional[str] = ..., country: _Optional[str] = ..., language: _Optional[str] = ..., link_code: _Optional[str] = ..., published_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ShareFailed(_message.Message):
    __slots__ = ("tenant_id", "share_id", "post_id", "employee_id", "network", "reason", "retryable")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RETRYABLE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    share_id: str
    post_id: str
    employee_id: str
    network: str
    reason: str
    retryable: bool
    def __init__(self, tenant_id: _Optional[str] = ..., share_id: _Optional[str] = ..., post_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., network: _Optional[str] = ..., reason: _Optional[str] = ..., retryable: _Optional[bool] = ...) -> None: ...

class ShareDeferred(_message.Message):
    __slots__ = ("tenant_id", "share_id", "post_id", "employee_id", "network", "retry_at", "reason")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    RETRY_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    share_id: str
    post_id: str
    employee_id: str
    network: str
    retry_at: _timestamp_pb2.Timestamp
    reason: str
    def __init__(self, tenant_id: _Optional[str] = ..., share_id: _Optional[str] = ..., post_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., network: _Optional[str] = ..., retry_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class ShareHeld(_message.Message):
    __slots__ = ("tenant_id", "share_id", "post_id", "employee_id", "network", "reason", "held_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    HELD_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    share_id: str
    post_id: str
    employee_id: str
    network: str
    reason: str
    held_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., share_id: _Optional[str] = ..., post_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., network: _Optional[str] = ..., reason: _Optional[str] = ..., held_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TokenExpiring(_message.Message):
    __slots__ = ("tenant_id", "employee_id", "network", "account_id", "expires_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    employee_id: str
    network: str
    account_id: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., network: _Optional[str] = ..., account_id: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AccountNeedsReconnect(_message.Message):
    __slots__ = ("tenant_id", "employee_id", "network", "account_id", "reason")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    employee_id: str
    network: str
    account_id: str
    reason: str
    def __init__(self, tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., network: _Optional[str] = ..., account_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...
