import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LinkClicked(_message.Message):
    __slots__ = ("tenant_id", "code", "share_id", "post_id", "employee_id", "country", "clicked_at", "click_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    CLICKED_AT_FIELD_NUMBER: _ClassVar[int]
    CLICK_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    code: str
    share_id: str
    post_id: str
    employee_id: str
    country: str
    clicked_at: _timestamp_pb2.Timestamp
    click_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., code: _Optional[str] = ..., share_id: _Optional[str] = ..., post_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., country: _Optional[str] = ..., clicked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., click_id: _Optional[str] = ...) -> None: ...
