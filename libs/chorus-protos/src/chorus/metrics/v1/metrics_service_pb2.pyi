import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateTrackedLinkRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "share_id", "post_id", "employee_id", "country", "network", "target_url", "campaign", "traceparent", "tracestate")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SHARE_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    TARGET_URL_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    TRACEPARENT_FIELD_NUMBER: _ClassVar[int]
    TRACESTATE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    share_id: str
    post_id: str
    employee_id: str
    country: str
    network: str
    target_url: str
    campaign: str
    traceparent: str
    tracestate: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., share_id: _Optional[str] = ..., post_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., country: _Optional[str] = ..., network: _Optional[str] = ..., target_url: _Optional[str] = ..., campaign: _Optional[str] = ..., traceparent: _Optional[str] = ..., tracestate: _Optional[str] = ...) -> None: ...

class CreateTrackedLinkResponse(_message.Message):
    __slots__ = ("code", "short_url")
    CODE_FIELD_NUMBER: _ClassVar[int]
    SHORT_URL_FIELD_NUMBER: _ClassVar[int]
    code: str
    short_url: str
    def __init__(self, code: _Optional[str] = ..., short_url: _Optional[str] = ...) -> None: ...

class CreateTrackedLinksRequest(_message.Message):
    __slots__ = ("links",)
    LINKS_FIELD_NUMBER: _ClassVar[int]
    links: _containers.RepeatedCompositeFieldContainer[CreateTrackedLinkRequest]
    def __init__(self, links: _Optional[_Iterable[_Union[CreateTrackedLinkRequest, _Mapping]]] = ...) -> None: ...

class CreateTrackedLinksResponse(_message.Message):
    __slots__ = ("results",)
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[TrackedLinkResult]
    def __init__(self, results: _Optional[_Iterable[_Union[TrackedLinkResult, _Mapping]]] = ...) -> None: ...

class TrackedLinkResult(_message.Message):
    __slots__ = ("code", "short_url", "error")
    CODE_FIELD_NUMBER: _ClassVar[int]
    SHORT_URL_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    code: str
    short_url: str
    error: TrackedLinkError
    def __init__(self, code: _Optional[str] = ..., short_url: _Optional[str] = ..., error: _Optional[_Union[TrackedLinkError, _Mapping]] = ...) -> None: ...

class TrackedLinkError(_message.Message):
    __slots__ = ("status", "field", "message")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    status: str
    field: str
    message: str
    def __init__(self, status: _Optional[str] = ..., field: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class CountryStats(_message.Message):
    __slots__ = ("shares", "clicks")
    SHARES_FIELD_NUMBER: _ClassVar[int]
    CLICKS_FIELD_NUMBER: _ClassVar[int]
    shares: int
    clicks: int
    def __init__(self, shares: _Optional[int] = ..., clicks: _Optional[int] = ...) -> None: ...

class GetPostStatsRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ...) -> None: ...

class GetPostStatsResponse(_message.Message):
    __slots__ = ("post_id", "shares", "clicks", "by_country")
    class ByCountryEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: CountryStats
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[CountryStats, _Mapping]] = ...) -> None: ...
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    SHARES_FIELD_NUMBER: _ClassVar[int]
    CLICKS_FIELD_NUMBER: _ClassVar[int]
    BY_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    shares: int
    clicks: int
    by_country: _containers.MessageMap[str, CountryStats]
    def __init__(self, post_id: _Optional[str] = ..., shares: _Optional[int] = ..., clicks: _Optional[int] = ..., by_country: _Optional[_Mapping[str, CountryStats]] = ...) -> None: ...

class GetTenantStatsRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class GetTenantStatsResponse(_message.Message):
    __slots__ = ("shares", "clicks", "by_country")
    class ByCountryEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: CountryStats
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[CountryStats, _Mapping]] = ...) -> None: ...
    SHARES_FIELD_NUMBER: _ClassVar[int]
    CLICKS_FIELD_NUMBER: _ClassVar[int]
    BY_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    shares: int
    clicks: int
    by_country: _containers.MessageMap[str, CountryStats]
    def __init__(self, shares: _Optional[int] = ..., clicks: _Optional[int] = ..., by_country: _Optional[_Mapping[str, CountryStats]] = ...) -> None: ...

class GetCampaignStatsRequest(_message.Message):
    __slots__ = ("tenant_id", "post_ids", "since", "until")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_IDS_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    UNTIL_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_ids: _containers.RepeatedScalarFieldContainer[str]
    since: _timestamp_pb2.Timestamp
    until: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., post_ids: _Optional[_Iterable[str]] = ..., since: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CampaignCounts(_message.Message):
    __slots__ = ("shares", "clicks", "active_ambassadors")
    SHARES_FIELD_NUMBER: _ClassVar[int]
    CLICKS_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_AMBASSADORS_FIELD_NUMBER: _ClassVar[int]
    shares: int
    clicks: int
    active_ambassadors: int
    def __init__(self, shares: _Optional[int] = ..., clicks: _Optional[int] = ..., active_ambassadors: _Optional[int] = ...) -> None: ...

class CampaignPostStats(_message.Message):
    __slots__ = ("post_id", "counts")
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    counts: CampaignCounts
    def __init__(self, post_id: _Optional[str] = ..., counts: _Optional[_Union[CampaignCounts, _Mapping]] = ...) -> None: ...

class GetCampaignStatsResponse(_message.Message):
    __slots__ = ("shares", "clicks", "active_ambassadors", "by_country", "posts", "not_measured", "region")
    class ByCountryEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: CampaignCounts
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[CampaignCounts, _Mapping]] = ...) -> None: ...
    SHARES_FIELD_NUMBER: _ClassVar[int]
    CLICKS_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_AMBASSADORS_FIELD_NUMBER: _ClassVar[int]
    BY_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    POSTS_FIELD_NUMBER: _ClassVar[int]
    NOT_MEASURED_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    shares: int
    clicks: int
    active_ambassadors: int
    by_country: _containers.MessageMap[str, CampaignCounts]
    posts: _containers.RepeatedCompositeFieldContainer[CampaignPostStats]
    not_measured: _containers.RepeatedScalarFieldContainer[str]
    region: str
    def __init__(self, shares: _Optional[int] = ..., clicks: _Optional[int] = ..., active_ambassadors: _Optional[int] = ..., by_country: _Optional[_Mapping[str, CampaignCounts]] = ..., posts: _Optional[_Iterable[_Union[CampaignPostStats, _Mapping]]] = ..., not_measured: _Optional[_Iterable[str]] = ..., region: _Optional[str] = ...) -> None: ...
