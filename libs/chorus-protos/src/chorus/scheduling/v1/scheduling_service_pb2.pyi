import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ShareStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SHARE_STATUS_UNSPECIFIED: _ClassVar[ShareStatus]
    SHARE_STATUS_SUGGESTED: _ClassVar[ShareStatus]
    SHARE_STATUS_SCHEDULED: _ClassVar[ShareStatus]
    SHARE_STATUS_DUE: _ClassVar[ShareStatus]
    SHARE_STATUS_CANCELLED: _ClassVar[ShareStatus]

class ShareMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SHARE_MODE_UNSPECIFIED: _ClassVar[ShareMode]
    SHARE_MODE_NOW: _ClassVar[ShareMode]
    SHARE_MODE_AT: _ClassVar[ShareMode]
    SHARE_MODE_NEXT_GOOD_SLOT: _ClassVar[ShareMode]

class WaitingReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WAITING_REASON_UNSPECIFIED: _ClassVar[WaitingReason]
    WAITING_REASON_TRANSLATION: _ClassVar[WaitingReason]
    WAITING_REASON_HUMAN_TRANSLATION: _ClassVar[WaitingReason]
    WAITING_REASON_CHARTER_CHECK: _ClassVar[WaitingReason]
    WAITING_REASON_CHARTER_HELD: _ClassVar[WaitingReason]
SHARE_STATUS_UNSPECIFIED: ShareStatus
SHARE_STATUS_SUGGESTED: ShareStatus
SHARE_STATUS_SCHEDULED: ShareStatus
SHARE_STATUS_DUE: ShareStatus
SHARE_STATUS_CANCELLED: ShareStatus
SHARE_MODE_UNSPECIFIED: ShareMode
SHARE_MODE_NOW: ShareMode
SHARE_MODE_AT: ShareMode
SHARE_MODE_NEXT_GOOD_SLOT: ShareMode
WAITING_REASON_UNSPECIFIED: WaitingReason
WAITING_REASON_TRANSLATION: WaitingReason
WAITING_REASON_HUMAN_TRANSLATION: WaitingReason
WAITING_REASON_CHARTER_CHECK: WaitingReason
WAITING_REASON_CHARTER_HELD: WaitingReason

class Share(_message.Message):
    __slots__ = ("share_id", "tenant_id", "post_id", "post_version", "employee_id", "network", "language", "country", "status", "due_at", "auto_share", "deferred_until", "deferred_reason", "variant", "edited_text", "held_since", "held_reason")
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    POST_VERSION_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    AUTO_SHARE_FIELD_NUMBER: _ClassVar[int]
    DEFERRED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    DEFERRED_REASON_FIELD_NUMBER: _ClassVar[int]
    VARIANT_FIELD_NUMBER: _ClassVar[int]
    EDITED_TEXT_FIELD_NUMBER: _ClassVar[int]
    HELD_SINCE_FIELD_NUMBER: _ClassVar[int]
    HELD_REASON_FIELD_NUMBER: _ClassVar[int]
    share_id: str
    tenant_id: str
    post_id: str
    post_version: int
    employee_id: str
    network: str
    language: str
    country: str
    status: ShareStatus
    due_at: _timestamp_pb2.Timestamp
    auto_share: bool
    deferred_until: _timestamp_pb2.Timestamp
    deferred_reason: str
    variant: int
    edited_text: str
    held_since: _timestamp_pb2.Timestamp
    held_reason: str
    def __init__(self, share_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., post_version: _Optional[int] = ..., employee_id: _Optional[str] = ..., network: _Optional[str] = ..., language: _Optional[str] = ..., country: _Optional[str] = ..., status: _Optional[_Union[ShareStatus, str]] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., auto_share: _Optional[bool] = ..., deferred_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deferred_reason: _Optional[str] = ..., variant: _Optional[int] = ..., edited_text: _Optional[str] = ..., held_since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., held_reason: _Optional[str] = ...) -> None: ...

class ScheduleShareRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "post_id", "employee_id", "mode", "at", "network", "variant", "text")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    VARIANT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    post_id: str
    employee_id: str
    mode: ShareMode
    at: _timestamp_pb2.Timestamp
    network: str
    variant: int
    text: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., mode: _Optional[_Union[ShareMode, str]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., network: _Optional[str] = ..., variant: _Optional[int] = ..., text: _Optional[str] = ...) -> None: ...

class ScheduleShareResponse(_message.Message):
    __slots__ = ("share",)
    SHARE_FIELD_NUMBER: _ClassVar[int]
    share: Share
    def __init__(self, share: _Optional[_Union[Share, _Mapping]] = ...) -> None: ...

class CancelShareRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "share_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    share_id: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., share_id: _Optional[str] = ...) -> None: ...

class CancelShareResponse(_message.Message):
    __slots__ = ("share",)
    SHARE_FIELD_NUMBER: _ClassVar[int]
    share: Share
    def __init__(self, share: _Optional[_Union[Share, _Mapping]] = ...) -> None: ...

class GetShareRequest(_message.Message):
    __slots__ = ("tenant_id", "share_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    share_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., share_id: _Optional[str] = ...) -> None: ...

class GetShareResponse(_message.Message):
    __slots__ = ("share",)
    SHARE_FIELD_NUMBER: _ClassVar[int]
    share: Share
    def __init__(self, share: _Optional[_Union[Share, _Mapping]] = ...) -> None: ...

class ListSharesRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id", "status", "employee_id", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    status: ShareStatus
    employee_id: str
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., status: _Optional[_Union[ShareStatus, str]] = ..., employee_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSharesResponse(_message.Message):
    __slots__ = ("shares", "next_page_token")
    SHARES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    shares: _containers.RepeatedCompositeFieldContainer[Share]
    next_page_token: str
    def __init__(self, shares: _Optional[_Iterable[_Union[Share, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class WaitingShares(_message.Message):
    __slots__ = ("language", "reason", "count", "share_ids")
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    SHARE_IDS_FIELD_NUMBER: _ClassVar[int]
    language: str
    reason: WaitingReason
    count: int
    share_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, language: _Optional[str] = ..., reason: _Optional[_Union[WaitingReason, str]] = ..., count: _Optional[int] = ..., share_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ListWaitingSharesRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id", "max_ids")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_IDS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    max_ids: int
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., max_ids: _Optional[int] = ...) -> None: ...

class ListWaitingSharesResponse(_message.Message):
    __slots__ = ("groups",)
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[WaitingShares]
    def __init__(self, groups: _Optional[_Iterable[_Union[WaitingShares, _Mapping]]] = ...) -> None: ...

class GetShareVolumeRequest(_message.Message):
    __slots__ = ("tenant_id", "post_ids", "since", "until", "region")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_IDS_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_ids: _containers.RepeatedScalarFieldContainer[str]
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    region: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_ids: _Optional[_Iterable[str]] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., region: _Optional[str] = ...) -> None: ...

class DayVolume(_message.Message):
    __slots__ = ("post_id", "region", "day", "scheduled", "due")
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_FIELD_NUMBER: _ClassVar[int]
    DUE_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    region: str
    day: str
    scheduled: int
    due: int
    def __init__(self, post_id: _Optional[str] = ..., region: _Optional[str] = ..., day: _Optional[str] = ..., scheduled: _Optional[int] = ..., due: _Optional[int] = ...) -> None: ...

class GetShareVolumeResponse(_message.Message):
    __slots__ = ("days", "region_name")
    DAYS_FIELD_NUMBER: _ClassVar[int]
    REGION_NAME_FIELD_NUMBER: _ClassVar[int]
    days: _containers.RepeatedCompositeFieldContainer[DayVolume]
    region_name: str
    def __init__(self, days: _Optional[_Iterable[_Union[DayVolume, _Mapping]]] = ..., region_name: _Optional[str] = ...) -> None: ...

class GetBestHoursRequest(_message.Message):
    __slots__ = ("tenant_id", "region", "network")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    region: str
    network: str
    def __init__(self, tenant_id: _Optional[str] = ..., region: _Optional[str] = ..., network: _Optional[str] = ...) -> None: ...

class GetBestHoursResponse(_message.Message):
    __slots__ = ("region", "network", "shares", "best", "clicks", "enough_data", "prior_only", "basis", "min_clicks")
    REGION_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    SHARES_FIELD_NUMBER: _ClassVar[int]
    BEST_FIELD_NUMBER: _ClassVar[int]
    CLICKS_FIELD_NUMBER: _ClassVar[int]
    ENOUGH_DATA_FIELD_NUMBER: _ClassVar[int]
    PRIOR_ONLY_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    MIN_CLICKS_FIELD_NUMBER: _ClassVar[int]
    region: str
    network: str
    shares: _containers.RepeatedScalarFieldContainer[float]
    best: _containers.RepeatedScalarFieldContainer[int]
    clicks: int
    enough_data: bool
    prior_only: bool
    basis: str
    min_clicks: int
    def __init__(self, region: _Optional[str] = ..., network: _Optional[str] = ..., shares: _Optional[_Iterable[float]] = ..., best: _Optional[_Iterable[int]] = ..., clicks: _Optional[int] = ..., enough_data: _Optional[bool] = ..., prior_only: _Optional[bool] = ..., basis: _Optional[str] = ..., min_clicks: _Optional[int] = ...) -> None: ...
