import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AudienceMember(_message.Message):
    __slots__ = ("employee_id", "language", "timezone", "country", "auto_share", "sharing_hours", "max_shares_per_day", "home_region", "subdivision")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    AUTO_SHARE_FIELD_NUMBER: _ClassVar[int]
    SHARING_HOURS_FIELD_NUMBER: _ClassVar[int]
    MAX_SHARES_PER_DAY_FIELD_NUMBER: _ClassVar[int]
    HOME_REGION_FIELD_NUMBER: _ClassVar[int]
    SUBDIVISION_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    language: str
    timezone: str
    country: str
    auto_share: bool
    sharing_hours: str
    max_shares_per_day: int
    home_region: str
    subdivision: str
    def __init__(self, employee_id: _Optional[str] = ..., language: _Optional[str] = ..., timezone: _Optional[str] = ..., country: _Optional[str] = ..., auto_share: _Optional[bool] = ..., sharing_hours: _Optional[str] = ..., max_shares_per_day: _Optional[int] = ..., home_region: _Optional[str] = ..., subdivision: _Optional[str] = ...) -> None: ...

class AudienceBatchResolved(_message.Message):
    __slots__ = ("tenant_id", "post_id", "post_version", "batch_index", "batch_count", "members", "valid_from", "expires_at", "campaign_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    POST_VERSION_FIELD_NUMBER: _ClassVar[int]
    BATCH_INDEX_FIELD_NUMBER: _ClassVar[int]
    BATCH_COUNT_FIELD_NUMBER: _ClassVar[int]
    MEMBERS_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    post_version: int
    batch_index: int
    batch_count: int
    members: _containers.RepeatedCompositeFieldContainer[AudienceMember]
    valid_from: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    campaign_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., post_version: _Optional[int] = ..., batch_index: _Optional[int] = ..., batch_count: _Optional[int] = ..., members: _Optional[_Iterable[_Union[AudienceMember, _Mapping]]] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., campaign_id: _Optional[str] = ...) -> None: ...

class AudienceSummary(_message.Message):
    __slots__ = ("tenant_id", "post_id", "post_version", "source_language", "total", "by_language", "by_country", "segment_id", "segment_version")
    class ByLanguageEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class ByCountryEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    POST_VERSION_FIELD_NUMBER: _ClassVar[int]
    SOURCE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    BY_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    BY_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_VERSION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    post_version: int
    source_language: str
    total: int
    by_language: _containers.ScalarMap[str, int]
    by_country: _containers.ScalarMap[str, int]
    segment_id: str
    segment_version: int
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., post_version: _Optional[int] = ..., source_language: _Optional[str] = ..., total: _Optional[int] = ..., by_language: _Optional[_Mapping[str, int]] = ..., by_country: _Optional[_Mapping[str, int]] = ..., segment_id: _Optional[str] = ..., segment_version: _Optional[int] = ...) -> None: ...

class EmployeeOptedOut(_message.Message):
    __slots__ = ("tenant_id", "employee_id", "opted_out_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    OPTED_OUT_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    employee_id: str
    opted_out_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., opted_out_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EmployeeOptedIn(_message.Message):
    __slots__ = ("tenant_id", "employee_id", "opted_in_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    OPTED_IN_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    employee_id: str
    opted_in_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., opted_in_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EmployeeErased(_message.Message):
    __slots__ = ("tenant_id", "employee_id", "erased_at", "subjects")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    ERASED_AT_FIELD_NUMBER: _ClassVar[int]
    SUBJECTS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    employee_id: str
    erased_at: _timestamp_pb2.Timestamp
    subjects: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., erased_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., subjects: _Optional[_Iterable[str]] = ...) -> None: ...
