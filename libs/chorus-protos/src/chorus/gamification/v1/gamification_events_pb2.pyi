from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class PointsAwarded(_message.Message):
    __slots__ = ("tenant_id", "employee_id", "points", "reason", "source_id", "total")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    POINTS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    employee_id: str
    points: int
    reason: str
    source_id: str
    total: int
    def __init__(self, tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., points: _Optional[int] = ..., reason: _Optional[str] = ..., source_id: _Optional[str] = ..., total: _Optional[int] = ...) -> None: ...
