import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from chorus.content.v1 import content_service_pb2 as _content_service_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PostSubmitted(_message.Message):
    __slots__ = ("tenant_id", "post_id", "version", "submitted_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SUBMITTED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    version: int
    submitted_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., version: _Optional[int] = ..., submitted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PostApproved(_message.Message):
    __slots__ = ("tenant_id", "post", "approved_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_FIELD_NUMBER: _ClassVar[int]
    APPROVED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post: _content_service_pb2.Post
    approved_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post: _Optional[_Union[_content_service_pb2.Post, _Mapping]] = ..., approved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
