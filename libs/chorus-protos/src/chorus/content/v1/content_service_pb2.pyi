import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CampaignObjective(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CAMPAIGN_OBJECTIVE_UNSPECIFIED: _ClassVar[CampaignObjective]
    CAMPAIGN_OBJECTIVE_VISIBILITY: _ClassVar[CampaignObjective]
    CAMPAIGN_OBJECTIVE_RECRUITMENT: _ClassVar[CampaignObjective]
    CAMPAIGN_OBJECTIVE_LEAD_GENERATION: _ClassVar[CampaignObjective]
    CAMPAIGN_OBJECTIVE_EMPLOYER_BRAND: _ClassVar[CampaignObjective]
    CAMPAIGN_OBJECTIVE_INTERNAL: _ClassVar[CampaignObjective]

class CampaignPhase(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CAMPAIGN_PHASE_UNSPECIFIED: _ClassVar[CampaignPhase]
    CAMPAIGN_PHASE_DRAFT: _ClassVar[CampaignPhase]
    CAMPAIGN_PHASE_PILOT: _ClassVar[CampaignPhase]
    CAMPAIGN_PHASE_LIVE: _ClassVar[CampaignPhase]
    CAMPAIGN_PHASE_ENDED: _ClassVar[CampaignPhase]

class Kpi(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    KPI_UNSPECIFIED: _ClassVar[Kpi]
    KPI_SHARES: _ClassVar[Kpi]
    KPI_ACTIVE_AMBASSADORS: _ClassVar[Kpi]
    KPI_CLICKS: _ClassVar[Kpi]
    KPI_REACH: _ClassVar[Kpi]
    KPI_EARNED_MEDIA_VALUE: _ClassVar[Kpi]

class GoalStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GOAL_STATUS_UNSPECIFIED: _ClassVar[GoalStatus]
    GOAL_STATUS_MET: _ClassVar[GoalStatus]
    GOAL_STATUS_BEHIND: _ClassVar[GoalStatus]
    GOAL_STATUS_NOT_MEASURED: _ClassVar[GoalStatus]

class CalendarEntryStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALENDAR_ENTRY_STATUS_UNSPECIFIED: _ClassVar[CalendarEntryStatus]
    CALENDAR_ENTRY_STATUS_PLANNED: _ClassVar[CalendarEntryStatus]
    CALENDAR_ENTRY_STATUS_SCHEDULED: _ClassVar[CalendarEntryStatus]
    CALENDAR_ENTRY_STATUS_PUBLISHED: _ClassVar[CalendarEntryStatus]

class CalendarConflictKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALENDAR_CONFLICT_KIND_UNSPECIFIED: _ClassVar[CalendarConflictKind]
    CALENDAR_CONFLICT_KIND_CAMPAIGNS_SHARE_A_CHANNEL: _ClassVar[CalendarConflictKind]
    CALENDAR_CONFLICT_KIND_PLANNED_ON_A_HOLIDAY: _ClassVar[CalendarConflictKind]

class PostStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POST_STATUS_UNSPECIFIED: _ClassVar[PostStatus]
    POST_STATUS_DRAFT: _ClassVar[PostStatus]
    POST_STATUS_IN_REVIEW: _ClassVar[PostStatus]
    POST_STATUS_APPROVED: _ClassVar[PostStatus]
    POST_STATUS_CHANGES_REQUESTED: _ClassVar[PostStatus]
    POST_STATUS_REJECTED: _ClassVar[PostStatus]
    POST_STATUS_ARCHIVED: _ClassVar[PostStatus]
    POST_STATUS_EXPIRED: _ClassVar[PostStatus]

class PostKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POST_KIND_UNSPECIFIED: _ClassVar[PostKind]
    POST_KIND_BRAND_NEWS: _ClassVar[PostKind]
    POST_KIND_JOB_OFFER: _ClassVar[PostKind]
    POST_KIND_CURATED: _ClassVar[PostKind]
    POST_KIND_UGC: _ClassVar[PostKind]

class Severity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEVERITY_UNSPECIFIED: _ClassVar[Severity]
    SEVERITY_WARN: _ClassVar[Severity]
    SEVERITY_BLOCK: _ClassVar[Severity]
CAMPAIGN_OBJECTIVE_UNSPECIFIED: CampaignObjective
CAMPAIGN_OBJECTIVE_VISIBILITY: CampaignObjective
CAMPAIGN_OBJECTIVE_RECRUITMENT: CampaignObjective
CAMPAIGN_OBJECTIVE_LEAD_GENERATION: CampaignObjective
CAMPAIGN_OBJECTIVE_EMPLOYER_BRAND: CampaignObjective
CAMPAIGN_OBJECTIVE_INTERNAL: CampaignObjective
CAMPAIGN_PHASE_UNSPECIFIED: CampaignPhase
CAMPAIGN_PHASE_DRAFT: CampaignPhase
CAMPAIGN_PHASE_PILOT: CampaignPhase
CAMPAIGN_PHASE_LIVE: CampaignPhase
CAMPAIGN_PHASE_ENDED: CampaignPhase
KPI_UNSPECIFIED: Kpi
KPI_SHARES: Kpi
KPI_ACTIVE_AMBASSADORS: Kpi
KPI_CLICKS: Kpi
KPI_REACH: Kpi
KPI_EARNED_MEDIA_VALUE: Kpi
GOAL_STATUS_UNSPECIFIED: GoalStatus
GOAL_STATUS_MET: GoalStatus
GOAL_STATUS_BEHIND: GoalStatus
GOAL_STATUS_NOT_MEASURED: GoalStatus
CALENDAR_ENTRY_STATUS_UNSPECIFIED: CalendarEntryStatus
CALENDAR_ENTRY_STATUS_PLANNED: CalendarEntryStatus
CALENDAR_ENTRY_STATUS_SCHEDULED: CalendarEntryStatus
CALENDAR_ENTRY_STATUS_PUBLISHED: CalendarEntryStatus
CALENDAR_CONFLICT_KIND_UNSPECIFIED: CalendarConflictKind
CALENDAR_CONFLICT_KIND_CAMPAIGNS_SHARE_A_CHANNEL: CalendarConflictKind
CALENDAR_CONFLICT_KIND_PLANNED_ON_A_HOLIDAY: CalendarConflictKind
POST_STATUS_UNSPECIFIED: PostStatus
POST_STATUS_DRAFT: PostStatus
POST_STATUS_IN_REVIEW: PostStatus
POST_STATUS_APPROVED: PostStatus
POST_STATUS_CHANGES_REQUESTED: PostStatus
POST_STATUS_REJECTED: PostStatus
POST_STATUS_ARCHIVED: PostStatus
POST_STATUS_EXPIRED: PostStatus
POST_KIND_UNSPECIFIED: PostKind
POST_KIND_BRAND_NEWS: PostKind
POST_KIND_JOB_OFFER: PostKind
POST_KIND_CURATED: PostKind
POST_KIND_UGC: PostKind
SEVERITY_UNSPECIFIED: Severity
SEVERITY_WARN: Severity
SEVERITY_BLOCK: Severity

class KpiTarget(_message.Message):
    __slots__ = ("kpi", "target", "region")
    KPI_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    kpi: Kpi
    target: float
    region: str
    def __init__(self, kpi: _Optional[_Union[Kpi, str]] = ..., target: _Optional[float] = ..., region: _Optional[str] = ...) -> None: ...

class Campaign(_message.Message):
    __slots__ = ("campaign_id", "tenant_id", "name", "objective", "starts_at", "ends_at", "regions", "channel_ids", "segment_id", "pilot_segment_id", "targets", "post_ids", "phase", "created_at", "updated_at")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_IDS_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PILOT_SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    POST_IDS_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    tenant_id: str
    name: str
    objective: CampaignObjective
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    regions: _containers.RepeatedScalarFieldContainer[str]
    channel_ids: _containers.RepeatedScalarFieldContainer[str]
    segment_id: str
    pilot_segment_id: str
    targets: _containers.RepeatedCompositeFieldContainer[KpiTarget]
    post_ids: _containers.RepeatedScalarFieldContainer[str]
    phase: CampaignPhase
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, campaign_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., objective: _Optional[_Union[CampaignObjective, str]] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., regions: _Optional[_Iterable[str]] = ..., channel_ids: _Optional[_Iterable[str]] = ..., segment_id: _Optional[str] = ..., pilot_segment_id: _Optional[str] = ..., targets: _Optional[_Iterable[_Union[KpiTarget, _Mapping]]] = ..., post_ids: _Optional[_Iterable[str]] = ..., phase: _Optional[_Union[CampaignPhase, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateCampaignRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "name", "objective", "starts_at", "ends_at", "regions", "channel_ids", "segment_id", "pilot_segment_id", "targets")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    STARTS_AT_FIELD_NUMBER: _ClassVar[int]
    ENDS_AT_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_IDS_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PILOT_SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    name: str
    objective: CampaignObjective
    starts_at: _timestamp_pb2.Timestamp
    ends_at: _timestamp_pb2.Timestamp
    regions: _containers.RepeatedScalarFieldContainer[str]
    channel_ids: _containers.RepeatedScalarFieldContainer[str]
    segment_id: str
    pilot_segment_id: str
    targets: _containers.RepeatedCompositeFieldContainer[KpiTarget]
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., objective: _Optional[_Union[CampaignObjective, str]] = ..., starts_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ends_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., regions: _Optional[_Iterable[str]] = ..., channel_ids: _Optional[_Iterable[str]] = ..., segment_id: _Optional[str] = ..., pilot_segment_id: _Optional[str] = ..., targets: _Optional[_Iterable[_Union[KpiTarget, _Mapping]]] = ...) -> None: ...

class GetCampaignRequest(_message.Message):
    __slots__ = ("tenant_id", "campaign_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    campaign_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., campaign_id: _Optional[str] = ...) -> None: ...

class ListCampaignsRequest(_message.Message):
    __slots__ = ("tenant_id", "region", "phase", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    region: str
    phase: CampaignPhase
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., region: _Optional[str] = ..., phase: _Optional[_Union[CampaignPhase, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCampaignsResponse(_message.Message):
    __slots__ = ("campaigns", "next_page_token")
    CAMPAIGNS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    campaigns: _containers.RepeatedCompositeFieldContainer[Campaign]
    next_page_token: str
    def __init__(self, campaigns: _Optional[_Iterable[_Union[Campaign, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CampaignActionRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "campaign_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    campaign_id: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., campaign_id: _Optional[str] = ...) -> None: ...

class GoalLine(_message.Message):
    __slots__ = ("kpi", "region", "target", "actual", "measured", "status", "note")
    KPI_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_FIELD_NUMBER: _ClassVar[int]
    MEASURED_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    kpi: Kpi
    region: str
    target: float
    actual: float
    measured: bool
    status: GoalStatus
    note: str
    def __init__(self, kpi: _Optional[_Union[Kpi, str]] = ..., region: _Optional[str] = ..., target: _Optional[float] = ..., actual: _Optional[float] = ..., measured: _Optional[bool] = ..., status: _Optional[_Union[GoalStatus, str]] = ..., note: _Optional[str] = ...) -> None: ...

class GetCampaignGoalsRequest(_message.Message):
    __slots__ = ("tenant_id", "campaign_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    campaign_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., campaign_id: _Optional[str] = ...) -> None: ...

class GetCampaignGoalsResponse(_message.Message):
    __slots__ = ("campaign_id", "measured_region", "lines")
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    MEASURED_REGION_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    campaign_id: str
    measured_region: str
    lines: _containers.RepeatedCompositeFieldContainer[GoalLine]
    def __init__(self, campaign_id: _Optional[str] = ..., measured_region: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[GoalLine, _Mapping]]] = ...) -> None: ...

class CalendarRequest(_message.Message):
    __slots__ = ("tenant_id", "since_day", "until_day", "region", "channel_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SINCE_DAY_FIELD_NUMBER: _ClassVar[int]
    UNTIL_DAY_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    since_day: str
    until_day: str
    region: str
    channel_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., since_day: _Optional[str] = ..., until_day: _Optional[str] = ..., region: _Optional[str] = ..., channel_id: _Optional[str] = ...) -> None: ...

class CalendarEntry(_message.Message):
    __slots__ = ("day", "region", "channel_id", "campaign_id", "post_id", "title", "status", "shares")
    DAY_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SHARES_FIELD_NUMBER: _ClassVar[int]
    day: str
    region: str
    channel_id: str
    campaign_id: str
    post_id: str
    title: str
    status: CalendarEntryStatus
    shares: int
    def __init__(self, day: _Optional[str] = ..., region: _Optional[str] = ..., channel_id: _Optional[str] = ..., campaign_id: _Optional[str] = ..., post_id: _Optional[str] = ..., title: _Optional[str] = ..., status: _Optional[_Union[CalendarEntryStatus, str]] = ..., shares: _Optional[int] = ...) -> None: ...

class CalendarConflict(_message.Message):
    __slots__ = ("kind", "day", "region", "channel_id", "ids", "detail")
    KIND_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    kind: CalendarConflictKind
    day: str
    region: str
    channel_id: str
    ids: _containers.RepeatedScalarFieldContainer[str]
    detail: str
    def __init__(self, kind: _Optional[_Union[CalendarConflictKind, str]] = ..., day: _Optional[str] = ..., region: _Optional[str] = ..., channel_id: _Optional[str] = ..., ids: _Optional[_Iterable[str]] = ..., detail: _Optional[str] = ...) -> None: ...

class GetCalendarResponse(_message.Message):
    __slots__ = ("entries", "conflicts", "not_available", "note")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    CONFLICTS_FIELD_NUMBER: _ClassVar[int]
    NOT_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[CalendarEntry]
    conflicts: _containers.RepeatedCompositeFieldContainer[CalendarConflict]
    not_available: _containers.RepeatedScalarFieldContainer[str]
    note: str
    def __init__(self, entries: _Optional[_Iterable[_Union[CalendarEntry, _Mapping]]] = ..., conflicts: _Optional[_Iterable[_Union[CalendarConflict, _Mapping]]] = ..., not_available: _Optional[_Iterable[str]] = ..., note: _Optional[str] = ...) -> None: ...

class ExportCalendarResponse(_message.Message):
    __slots__ = ("ical", "file_name", "not_available", "note")
    ICAL_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    NOT_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    ical: str
    file_name: str
    not_available: _containers.RepeatedScalarFieldContainer[str]
    note: str
    def __init__(self, ical: _Optional[str] = ..., file_name: _Optional[str] = ..., not_available: _Optional[_Iterable[str]] = ..., note: _Optional[str] = ...) -> None: ...

class Targeting(_message.Message):
    __slots__ = ("countries", "departments", "segment_id", "channel_ids", "regions", "held")
    COUNTRIES_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENTS_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_IDS_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    HELD_FIELD_NUMBER: _ClassVar[int]
    countries: _containers.RepeatedScalarFieldContainer[str]
    departments: _containers.RepeatedScalarFieldContainer[str]
    segment_id: str
    channel_ids: _containers.RepeatedScalarFieldContainer[str]
    regions: _containers.RepeatedScalarFieldContainer[str]
    held: bool
    def __init__(self, countries: _Optional[_Iterable[str]] = ..., departments: _Optional[_Iterable[str]] = ..., segment_id: _Optional[str] = ..., channel_ids: _Optional[_Iterable[str]] = ..., regions: _Optional[_Iterable[str]] = ..., held: _Optional[bool] = ...) -> None: ...

class Post(_message.Message):
    __slots__ = ("post_id", "tenant_id", "version", "title", "body", "link", "source_language", "network_texts", "targeting", "status", "author_id", "approver_id", "created_at", "updated_at", "kind", "media_ids", "hashtags", "mentions", "campaign", "channels", "valid_from", "expires_at", "approved_version", "awaiting_step", "campaign_id", "network_variants")
    class NetworkTextsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class NetworkVariantsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: TextVariants
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[TextVariants, _Mapping]] = ...) -> None: ...
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
    KIND_FIELD_NUMBER: _ClassVar[int]
    MEDIA_IDS_FIELD_NUMBER: _ClassVar[int]
    HASHTAGS_FIELD_NUMBER: _ClassVar[int]
    MENTIONS_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    APPROVED_VERSION_FIELD_NUMBER: _ClassVar[int]
    AWAITING_STEP_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_VARIANTS_FIELD_NUMBER: _ClassVar[int]
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
    kind: PostKind
    media_ids: _containers.RepeatedScalarFieldContainer[str]
    hashtags: _containers.RepeatedScalarFieldContainer[str]
    mentions: _containers.RepeatedScalarFieldContainer[str]
    campaign: str
    channels: _containers.RepeatedScalarFieldContainer[str]
    valid_from: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    approved_version: int
    awaiting_step: str
    campaign_id: str
    network_variants: _containers.MessageMap[str, TextVariants]
    def __init__(self, post_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., version: _Optional[int] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., link: _Optional[str] = ..., source_language: _Optional[str] = ..., network_texts: _Optional[_Mapping[str, str]] = ..., targeting: _Optional[_Union[Targeting, _Mapping]] = ..., status: _Optional[_Union[PostStatus, str]] = ..., author_id: _Optional[str] = ..., approver_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., kind: _Optional[_Union[PostKind, str]] = ..., media_ids: _Optional[_Iterable[str]] = ..., hashtags: _Optional[_Iterable[str]] = ..., mentions: _Optional[_Iterable[str]] = ..., campaign: _Optional[str] = ..., channels: _Optional[_Iterable[str]] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., approved_version: _Optional[int] = ..., awaiting_step: _Optional[str] = ..., campaign_id: _Optional[str] = ..., network_variants: _Optional[_Mapping[str, TextVariants]] = ...) -> None: ...

class TextVariants(_message.Message):
    __slots__ = ("texts",)
    TEXTS_FIELD_NUMBER: _ClassVar[int]
    texts: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, texts: _Optional[_Iterable[str]] = ...) -> None: ...

class CreatePostRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "title", "body", "link", "source_language", "network_texts", "targeting", "kind", "media_ids", "hashtags", "mentions", "campaign", "channels", "valid_from", "expires_at", "campaign_id", "network_variants")
    class NetworkTextsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class NetworkVariantsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: TextVariants
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[TextVariants, _Mapping]] = ...) -> None: ...
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    SOURCE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NETWORK_TEXTS_FIELD_NUMBER: _ClassVar[int]
    TARGETING_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MEDIA_IDS_FIELD_NUMBER: _ClassVar[int]
    HASHTAGS_FIELD_NUMBER: _ClassVar[int]
    MENTIONS_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_ID_FIELD_NUMBER: _ClassVar[int]
    NETWORK_VARIANTS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    title: str
    body: str
    link: str
    source_language: str
    network_texts: _containers.ScalarMap[str, str]
    targeting: Targeting
    kind: PostKind
    media_ids: _containers.RepeatedScalarFieldContainer[str]
    hashtags: _containers.RepeatedScalarFieldContainer[str]
    mentions: _containers.RepeatedScalarFieldContainer[str]
    campaign: str
    channels: _containers.RepeatedScalarFieldContainer[str]
    valid_from: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    campaign_id: str
    network_variants: _containers.MessageMap[str, TextVariants]
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., link: _Optional[str] = ..., source_language: _Optional[str] = ..., network_texts: _Optional[_Mapping[str, str]] = ..., targeting: _Optional[_Union[Targeting, _Mapping]] = ..., kind: _Optional[_Union[PostKind, str]] = ..., media_ids: _Optional[_Iterable[str]] = ..., hashtags: _Optional[_Iterable[str]] = ..., mentions: _Optional[_Iterable[str]] = ..., campaign: _Optional[str] = ..., channels: _Optional[_Iterable[str]] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., campaign_id: _Optional[str] = ..., network_variants: _Optional[_Mapping[str, TextVariants]] = ...) -> None: ...

class CreatePostResponse(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: Post
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ...) -> None: ...

class SubmitPostRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "post_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    post_id: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ...) -> None: ...

class SubmitPostResponse(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: Post
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ...) -> None: ...

class ApprovePostRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "post_id", "step", "comment")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    post_id: str
    step: str
    comment: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., step: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("tenant_id", "title", "body", "link", "network_texts", "language", "network_variants")
    class NetworkTextsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class NetworkVariantsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: TextVariants
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[TextVariants, _Mapping]] = ...) -> None: ...
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    NETWORK_TEXTS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NETWORK_VARIANTS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    title: str
    body: str
    link: str
    network_texts: _containers.ScalarMap[str, str]
    language: str
    network_variants: _containers.MessageMap[str, TextVariants]
    def __init__(self, tenant_id: _Optional[str] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., link: _Optional[str] = ..., network_texts: _Optional[_Mapping[str, str]] = ..., language: _Optional[str] = ..., network_variants: _Optional[_Mapping[str, TextVariants]] = ...) -> None: ...

class CheckComplianceResponse(_message.Message):
    __slots__ = ("violations",)
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    violations: _containers.RepeatedCompositeFieldContainer[Violation]
    def __init__(self, violations: _Optional[_Iterable[_Union[Violation, _Mapping]]] = ...) -> None: ...

class BlockedTerm(_message.Message):
    __slots__ = ("term", "language", "severity", "suggestion")
    TERM_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    SUGGESTION_FIELD_NUMBER: _ClassVar[int]
    term: str
    language: str
    severity: Severity
    suggestion: str
    def __init__(self, term: _Optional[str] = ..., language: _Optional[str] = ..., severity: _Optional[_Union[Severity, str]] = ..., suggestion: _Optional[str] = ...) -> None: ...

class ConfidentialPattern(_message.Message):
    __slots__ = ("rule_id", "pattern", "severity", "description", "suggestion")
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SUGGESTION_FIELD_NUMBER: _ClassVar[int]
    rule_id: str
    pattern: str
    severity: Severity
    description: str
    suggestion: str
    def __init__(self, rule_id: _Optional[str] = ..., pattern: _Optional[str] = ..., severity: _Optional[_Union[Severity, str]] = ..., description: _Optional[str] = ..., suggestion: _Optional[str] = ...) -> None: ...

class Charter(_message.Message):
    __slots__ = ("blocked_phrases", "max_length", "version", "blocked_terms", "patterns", "disclosures", "required_hashtags", "forbidden_hashtags", "max_hashtags", "https_only", "allowed_domains", "severities")
    class MaxLengthEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class DisclosuresEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class SeveritiesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    BLOCKED_PHRASES_FIELD_NUMBER: _ClassVar[int]
    MAX_LENGTH_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    BLOCKED_TERMS_FIELD_NUMBER: _ClassVar[int]
    PATTERNS_FIELD_NUMBER: _ClassVar[int]
    DISCLOSURES_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_HASHTAGS_FIELD_NUMBER: _ClassVar[int]
    FORBIDDEN_HASHTAGS_FIELD_NUMBER: _ClassVar[int]
    MAX_HASHTAGS_FIELD_NUMBER: _ClassVar[int]
    HTTPS_ONLY_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_DOMAINS_FIELD_NUMBER: _ClassVar[int]
    SEVERITIES_FIELD_NUMBER: _ClassVar[int]
    blocked_phrases: _containers.RepeatedScalarFieldContainer[str]
    max_length: _containers.ScalarMap[str, int]
    version: int
    blocked_terms: _containers.RepeatedCompositeFieldContainer[BlockedTerm]
    patterns: _containers.RepeatedCompositeFieldContainer[ConfidentialPattern]
    disclosures: _containers.ScalarMap[str, str]
    required_hashtags: _containers.RepeatedScalarFieldContainer[str]
    forbidden_hashtags: _containers.RepeatedScalarFieldContainer[str]
    max_hashtags: int
    https_only: bool
    allowed_domains: _containers.RepeatedScalarFieldContainer[str]
    severities: _containers.ScalarMap[str, str]
    def __init__(self, blocked_phrases: _Optional[_Iterable[str]] = ..., max_length: _Optional[_Mapping[str, int]] = ..., version: _Optional[int] = ..., blocked_terms: _Optional[_Iterable[_Union[BlockedTerm, _Mapping]]] = ..., patterns: _Optional[_Iterable[_Union[ConfidentialPattern, _Mapping]]] = ..., disclosures: _Optional[_Mapping[str, str]] = ..., required_hashtags: _Optional[_Iterable[str]] = ..., forbidden_hashtags: _Optional[_Iterable[str]] = ..., max_hashtags: _Optional[int] = ..., https_only: _Optional[bool] = ..., allowed_domains: _Optional[_Iterable[str]] = ..., severities: _Optional[_Mapping[str, str]] = ...) -> None: ...

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
    __slots__ = ("tenant_id", "version")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    version: int
    def __init__(self, tenant_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetCharterResponse(_message.Message):
    __slots__ = ("charter",)
    CHARTER_FIELD_NUMBER: _ClassVar[int]
    charter: Charter
    def __init__(self, charter: _Optional[_Union[Charter, _Mapping]] = ...) -> None: ...

class PostContent(_message.Message):
    __slots__ = ("title", "body", "link", "source_language", "network_texts", "targeting", "kind", "media_ids", "hashtags", "mentions", "campaign", "channels", "valid_from", "expires_at", "network_variants")
    class NetworkTextsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class NetworkVariantsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: TextVariants
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[TextVariants, _Mapping]] = ...) -> None: ...
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    SOURCE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    NETWORK_TEXTS_FIELD_NUMBER: _ClassVar[int]
    TARGETING_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MEDIA_IDS_FIELD_NUMBER: _ClassVar[int]
    HASHTAGS_FIELD_NUMBER: _ClassVar[int]
    MENTIONS_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    NETWORK_VARIANTS_FIELD_NUMBER: _ClassVar[int]
    title: str
    body: str
    link: str
    source_language: str
    network_texts: _containers.ScalarMap[str, str]
    targeting: Targeting
    kind: PostKind
    media_ids: _containers.RepeatedScalarFieldContainer[str]
    hashtags: _containers.RepeatedScalarFieldContainer[str]
    mentions: _containers.RepeatedScalarFieldContainer[str]
    campaign: str
    channels: _containers.RepeatedScalarFieldContainer[str]
    valid_from: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    network_variants: _containers.MessageMap[str, TextVariants]
    def __init__(self, title: _Optional[str] = ..., body: _Optional[str] = ..., link: _Optional[str] = ..., source_language: _Optional[str] = ..., network_texts: _Optional[_Mapping[str, str]] = ..., targeting: _Optional[_Union[Targeting, _Mapping]] = ..., kind: _Optional[_Union[PostKind, str]] = ..., media_ids: _Optional[_Iterable[str]] = ..., hashtags: _Optional[_Iterable[str]] = ..., mentions: _Optional[_Iterable[str]] = ..., campaign: _Optional[str] = ..., channels: _Optional[_Iterable[str]] = ..., valid_from: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., network_variants: _Optional[_Mapping[str, TextVariants]] = ...) -> None: ...

class UpdatePostRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "post_id", "expected_version", "content")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    post_id: str
    expected_version: int
    content: PostContent
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., content: _Optional[_Union[PostContent, _Mapping]] = ...) -> None: ...

class UpdatePostResponse(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: Post
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ...) -> None: ...

class RequestChangesRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "post_id", "comment")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    post_id: str
    comment: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., comment: _Optional[str] = ...) -> None: ...

class RequestChangesResponse(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: Post
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ...) -> None: ...

class RejectPostRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "post_id", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    post_id: str
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RejectPostResponse(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: Post
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ...) -> None: ...

class ArchivePostRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "post_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    post_id: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ...) -> None: ...

class ArchivePostResponse(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: Post
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ...) -> None: ...

class GetPostVersionRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id", "version")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    version: int
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class GetPostVersionResponse(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: Post
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ...) -> None: ...

class ListPostVersionsRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ...) -> None: ...

class ListPostVersionsResponse(_message.Message):
    __slots__ = ("versions",)
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    versions: _containers.RepeatedCompositeFieldContainer[Post]
    def __init__(self, versions: _Optional[_Iterable[_Union[Post, _Mapping]]] = ...) -> None: ...

class Comment(_message.Message):
    __slots__ = ("comment_id", "post_id", "version", "author_id", "text", "at")
    COMMENT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    comment_id: str
    post_id: str
    version: int
    author_id: str
    text: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, comment_id: _Optional[str] = ..., post_id: _Optional[str] = ..., version: _Optional[int] = ..., author_id: _Optional[str] = ..., text: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AddCommentRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "post_id", "text")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    post_id: str
    text: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class AddCommentResponse(_message.Message):
    __slots__ = ("comment",)
    COMMENT_FIELD_NUMBER: _ClassVar[int]
    comment: Comment
    def __init__(self, comment: _Optional[_Union[Comment, _Mapping]] = ...) -> None: ...

class ListCommentsRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ...) -> None: ...

class ListCommentsResponse(_message.Message):
    __slots__ = ("comments",)
    COMMENTS_FIELD_NUMBER: _ClassVar[int]
    comments: _containers.RepeatedCompositeFieldContainer[Comment]
    def __init__(self, comments: _Optional[_Iterable[_Union[Comment, _Mapping]]] = ...) -> None: ...

class AuditEntry(_message.Message):
    __slots__ = ("post_id", "version", "actor_id", "from_status", "to_status", "reason", "step", "at")
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_STATUS_FIELD_NUMBER: _ClassVar[int]
    TO_STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    version: int
    actor_id: str
    from_status: str
    to_status: str
    reason: str
    step: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, post_id: _Optional[str] = ..., version: _Optional[int] = ..., actor_id: _Optional[str] = ..., from_status: _Optional[str] = ..., to_status: _Optional[str] = ..., reason: _Optional[str] = ..., step: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetAuditTrailRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ...) -> None: ...

class GetAuditTrailResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[AuditEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[AuditEntry, _Mapping]]] = ...) -> None: ...

class ExportAuditTrailRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ...) -> None: ...

class ExportAuditTrailResponse(_message.Message):
    __slots__ = ("csv",)
    CSV_FIELD_NUMBER: _ClassVar[int]
    csv: str
    def __init__(self, csv: _Optional[str] = ...) -> None: ...

class ApprovalChain(_message.Message):
    __slots__ = ("kind", "steps")
    KIND_FIELD_NUMBER: _ClassVar[int]
    STEPS_FIELD_NUMBER: _ClassVar[int]
    kind: PostKind
    steps: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, kind: _Optional[_Union[PostKind, str]] = ..., steps: _Optional[_Iterable[str]] = ...) -> None: ...

class SetApprovalChainRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "chain")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CHAIN_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    chain: ApprovalChain
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., chain: _Optional[_Union[ApprovalChain, _Mapping]] = ...) -> None: ...

class SetApprovalChainResponse(_message.Message):
    __slots__ = ("chain",)
    CHAIN_FIELD_NUMBER: _ClassVar[int]
    chain: ApprovalChain
    def __init__(self, chain: _Optional[_Union[ApprovalChain, _Mapping]] = ...) -> None: ...

class GetApprovalChainsRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class GetApprovalChainsResponse(_message.Message):
    __slots__ = ("chains",)
    CHAINS_FIELD_NUMBER: _ClassVar[int]
    chains: _containers.RepeatedCompositeFieldContainer[ApprovalChain]
    def __init__(self, chains: _Optional[_Iterable[_Union[ApprovalChain, _Mapping]]] = ...) -> None: ...

class SearchPostsRequest(_message.Message):
    __slots__ = ("tenant_id", "query", "status", "channel", "campaign", "language", "kind", "created_after", "created_before", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    CREATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    CREATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    query: str
    status: PostStatus
    channel: str
    campaign: str
    language: str
    kind: PostKind
    created_after: _timestamp_pb2.Timestamp
    created_before: _timestamp_pb2.Timestamp
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., query: _Optional[str] = ..., status: _Optional[_Union[PostStatus, str]] = ..., channel: _Optional[str] = ..., campaign: _Optional[str] = ..., language: _Optional[str] = ..., kind: _Optional[_Union[PostKind, str]] = ..., created_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class SearchPostsResponse(_message.Message):
    __slots__ = ("posts", "next_page_token")
    POSTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    posts: _containers.RepeatedCompositeFieldContainer[Post]
    next_page_token: str
    def __init__(self, posts: _Optional[_Iterable[_Union[Post, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class HeldTranslation(_message.Message):
    __slots__ = ("post_id", "post_version", "language", "violations", "held_at")
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    POST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    HELD_AT_FIELD_NUMBER: _ClassVar[int]
    post_id: str
    post_version: int
    language: str
    violations: _containers.RepeatedCompositeFieldContainer[Violation]
    held_at: _timestamp_pb2.Timestamp
    def __init__(self, post_id: _Optional[str] = ..., post_version: _Optional[int] = ..., language: _Optional[str] = ..., violations: _Optional[_Iterable[_Union[Violation, _Mapping]]] = ..., held_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListHeldTranslationsRequest(_message.Message):
    __slots__ = ("tenant_id", "post_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    post_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ...) -> None: ...

class ListHeldTranslationsResponse(_message.Message):
    __slots__ = ("held",)
    HELD_FIELD_NUMBER: _ClassVar[int]
    held: _containers.RepeatedCompositeFieldContainer[HeldTranslation]
    def __init__(self, held: _Optional[_Iterable[_Union[HeldTranslation, _Mapping]]] = ...) -> None: ...

class ProposePostRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "employee_id", "title", "body", "link", "network_texts")
    class NetworkTextsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    LINK_FIELD_NUMBER: _ClassVar[int]
    NETWORK_TEXTS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    employee_id: str
    title: str
    body: str
    link: str
    network_texts: _containers.ScalarMap[str, str]
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., link: _Optional[str] = ..., network_texts: _Optional[_Mapping[str, str]] = ...) -> None: ...

class Proposal(_message.Message):
    __slots__ = ("post", "detected_language", "violations")
    POST_FIELD_NUMBER: _ClassVar[int]
    DETECTED_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    VIOLATIONS_FIELD_NUMBER: _ClassVar[int]
    post: Post
    detected_language: str
    violations: _containers.RepeatedCompositeFieldContainer[Violation]
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ..., detected_language: _Optional[str] = ..., violations: _Optional[_Iterable[_Union[Violation, _Mapping]]] = ...) -> None: ...

class ProposePostResponse(_message.Message):
    __slots__ = ("proposal",)
    PROPOSAL_FIELD_NUMBER: _ClassVar[int]
    proposal: Proposal
    def __init__(self, proposal: _Optional[_Union[Proposal, _Mapping]] = ...) -> None: ...

class ListModerationQueueRequest(_message.Message):
    __slots__ = ("tenant_id", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListModerationQueueResponse(_message.Message):
    __slots__ = ("proposals", "next_page_token")
    PROPOSALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    proposals: _containers.RepeatedCompositeFieldContainer[Proposal]
    next_page_token: str
    def __init__(self, proposals: _Optional[_Iterable[_Union[Proposal, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ModerateProposalRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "post_id", "approve", "reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    POST_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    post_id: str
    approve: bool
    reason: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., post_id: _Optional[str] = ..., approve: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class ModerateProposalResponse(_message.Message):
    __slots__ = ("post",)
    POST_FIELD_NUMBER: _ClassVar[int]
    post: Post
    def __init__(self, post: _Optional[_Union[Post, _Mapping]] = ...) -> None: ...

class Feed(_message.Message):
    __slots__ = ("feed_id", "url", "campaign", "source_language", "last_polled_at", "last_error", "items_imported")
    FEED_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    SOURCE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    LAST_POLLED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    ITEMS_IMPORTED_FIELD_NUMBER: _ClassVar[int]
    feed_id: str
    url: str
    campaign: str
    source_language: str
    last_polled_at: _timestamp_pb2.Timestamp
    last_error: str
    items_imported: int
    def __init__(self, feed_id: _Optional[str] = ..., url: _Optional[str] = ..., campaign: _Optional[str] = ..., source_language: _Optional[str] = ..., last_polled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_error: _Optional[str] = ..., items_imported: _Optional[int] = ...) -> None: ...

class SubscribeFeedRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "url", "campaign", "source_language")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    SOURCE_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    url: str
    campaign: str
    source_language: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., url: _Optional[str] = ..., campaign: _Optional[str] = ..., source_language: _Optional[str] = ...) -> None: ...

class SubscribeFeedResponse(_message.Message):
    __slots__ = ("feed",)
    FEED_FIELD_NUMBER: _ClassVar[int]
    feed: Feed
    def __init__(self, feed: _Optional[_Union[Feed, _Mapping]] = ...) -> None: ...

class ListFeedsRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class ListFeedsResponse(_message.Message):
    __slots__ = ("feeds",)
    FEEDS_FIELD_NUMBER: _ClassVar[int]
    feeds: _containers.RepeatedCompositeFieldContainer[Feed]
    def __init__(self, feeds: _Optional[_Iterable[_Union[Feed, _Mapping]]] = ...) -> None: ...

class PollFeedRequest(_message.Message):
    __slots__ = ("tenant_id", "feed_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    FEED_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    feed_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., feed_id: _Optional[str] = ...) -> None: ...

class PollFeedResponse(_message.Message):
    __slots__ = ("created_post_ids",)
    CREATED_POST_IDS_FIELD_NUMBER: _ClassVar[int]
    created_post_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, created_post_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SetFeedAllowedHostsRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "hosts")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    HOSTS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    hosts: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., hosts: _Optional[_Iterable[str]] = ...) -> None: ...

class SetFeedAllowedHostsResponse(_message.Message):
    __slots__ = ("hosts",)
    HOSTS_FIELD_NUMBER: _ClassVar[int]
    hosts: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, hosts: _Optional[_Iterable[str]] = ...) -> None: ...

class MediaAsset(_message.Message):
    __slots__ = ("media_id", "content_type", "size", "width", "height", "tags", "filename", "description", "uploader_id", "created_at")
    MEDIA_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    UPLOADER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    media_id: str
    content_type: str
    size: int
    width: int
    height: int
    tags: _containers.RepeatedScalarFieldContainer[str]
    filename: str
    description: str
    uploader_id: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, media_id: _Optional[str] = ..., content_type: _Optional[str] = ..., size: _Optional[int] = ..., width: _Optional[int] = ..., height: _Optional[int] = ..., tags: _Optional[_Iterable[str]] = ..., filename: _Optional[str] = ..., description: _Optional[str] = ..., uploader_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class MediaHeader(_message.Message):
    __slots__ = ("tenant_id", "filename", "tags", "description")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    filename: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    description: str
    def __init__(self, tenant_id: _Optional[str] = ..., filename: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ..., description: _Optional[str] = ...) -> None: ...

class UploadMediaRequest(_message.Message):
    __slots__ = ("header", "chunk")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    header: MediaHeader
    chunk: bytes
    def __init__(self, header: _Optional[_Union[MediaHeader, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class UploadMediaResponse(_message.Message):
    __slots__ = ("asset",)
    ASSET_FIELD_NUMBER: _ClassVar[int]
    asset: MediaAsset
    def __init__(self, asset: _Optional[_Union[MediaAsset, _Mapping]] = ...) -> None: ...

class GetMediaRequest(_message.Message):
    __slots__ = ("tenant_id", "media_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    MEDIA_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    media_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., media_id: _Optional[str] = ...) -> None: ...

class GetMediaResponse(_message.Message):
    __slots__ = ("asset",)
    ASSET_FIELD_NUMBER: _ClassVar[int]
    asset: MediaAsset
    def __init__(self, asset: _Optional[_Union[MediaAsset, _Mapping]] = ...) -> None: ...

class DownloadMediaRequest(_message.Message):
    __slots__ = ("tenant_id", "media_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    MEDIA_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    media_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., media_id: _Optional[str] = ...) -> None: ...

class DownloadMediaResponse(_message.Message):
    __slots__ = ("asset", "chunk")
    ASSET_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    asset: MediaAsset
    chunk: bytes
    def __init__(self, asset: _Optional[_Union[MediaAsset, _Mapping]] = ..., chunk: _Optional[bytes] = ...) -> None: ...

class ListMediaRequest(_message.Message):
    __slots__ = ("tenant_id", "tag", "query", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TAG_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    tag: str
    query: str
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., tag: _Optional[str] = ..., query: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMediaResponse(_message.Message):
    __slots__ = ("assets", "next_page_token")
    ASSETS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    assets: _containers.RepeatedCompositeFieldContainer[MediaAsset]
    next_page_token: str
    def __init__(self, assets: _Optional[_Iterable[_Union[MediaAsset, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class TagMediaRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "media_id", "tags")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    MEDIA_ID_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    media_id: str
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., media_id: _Optional[str] = ..., tags: _Optional[_Iterable[str]] = ...) -> None: ...

class TagMediaResponse(_message.Message):
    __slots__ = ("asset",)
    ASSET_FIELD_NUMBER: _ClassVar[int]
    asset: MediaAsset
    def __init__(self, asset: _Optional[_Union[MediaAsset, _Mapping]] = ...) -> None: ...
