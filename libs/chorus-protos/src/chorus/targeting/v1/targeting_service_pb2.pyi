import datetime

from chorus.content.v1 import content_service_pb2 as _content_service_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SocialAccount(_message.Message):
    __slots__ = ("network", "handle", "followers")
    NETWORK_FIELD_NUMBER: _ClassVar[int]
    HANDLE_FIELD_NUMBER: _ClassVar[int]
    FOLLOWERS_FIELD_NUMBER: _ClassVar[int]
    network: str
    handle: str
    followers: int
    def __init__(self, network: _Optional[str] = ..., handle: _Optional[str] = ..., followers: _Optional[int] = ...) -> None: ...

class Employee(_message.Message):
    __slots__ = ("employee_id", "tenant_id", "external_id", "email", "display_name", "country", "language", "timezone", "department", "active", "opted_in", "auto_share", "home_region", "title", "manager", "employment_status", "hire_date", "consent", "opt_in_source", "sharing_networks", "max_shares_per_day", "sharing_hours", "groups", "social_accounts", "opted_in_at", "subdivision")
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    OPTED_IN_FIELD_NUMBER: _ClassVar[int]
    AUTO_SHARE_FIELD_NUMBER: _ClassVar[int]
    HOME_REGION_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    MANAGER_FIELD_NUMBER: _ClassVar[int]
    EMPLOYMENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    HIRE_DATE_FIELD_NUMBER: _ClassVar[int]
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    OPT_IN_SOURCE_FIELD_NUMBER: _ClassVar[int]
    SHARING_NETWORKS_FIELD_NUMBER: _ClassVar[int]
    MAX_SHARES_PER_DAY_FIELD_NUMBER: _ClassVar[int]
    SHARING_HOURS_FIELD_NUMBER: _ClassVar[int]
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    SOCIAL_ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    OPTED_IN_AT_FIELD_NUMBER: _ClassVar[int]
    SUBDIVISION_FIELD_NUMBER: _ClassVar[int]
    employee_id: str
    tenant_id: str
    external_id: str
    email: str
    display_name: str
    country: str
    language: str
    timezone: str
    department: str
    active: bool
    opted_in: bool
    auto_share: bool
    home_region: str
    title: str
    manager: str
    employment_status: str
    hire_date: str
    consent: bool
    opt_in_source: str
    sharing_networks: _containers.RepeatedScalarFieldContainer[str]
    max_shares_per_day: int
    sharing_hours: str
    groups: _containers.RepeatedScalarFieldContainer[str]
    social_accounts: _containers.RepeatedCompositeFieldContainer[SocialAccount]
    opted_in_at: _timestamp_pb2.Timestamp
    subdivision: str
    def __init__(self, employee_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., external_id: _Optional[str] = ..., email: _Optional[str] = ..., display_name: _Optional[str] = ..., country: _Optional[str] = ..., language: _Optional[str] = ..., timezone: _Optional[str] = ..., department: _Optional[str] = ..., active: _Optional[bool] = ..., opted_in: _Optional[bool] = ..., auto_share: _Optional[bool] = ..., home_region: _Optional[str] = ..., title: _Optional[str] = ..., manager: _Optional[str] = ..., employment_status: _Optional[str] = ..., hire_date: _Optional[str] = ..., consent: _Optional[bool] = ..., opt_in_source: _Optional[str] = ..., sharing_networks: _Optional[_Iterable[str]] = ..., max_shares_per_day: _Optional[int] = ..., sharing_hours: _Optional[str] = ..., groups: _Optional[_Iterable[str]] = ..., social_accounts: _Optional[_Iterable[_Union[SocialAccount, _Mapping]]] = ..., opted_in_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., subdivision: _Optional[str] = ...) -> None: ...

class ImportDirectoryRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "csv", "column_mapping", "dry_run", "deactivate_missing")
    class ColumnMappingEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CSV_FIELD_NUMBER: _ClassVar[int]
    COLUMN_MAPPING_FIELD_NUMBER: _ClassVar[int]
    DRY_RUN_FIELD_NUMBER: _ClassVar[int]
    DEACTIVATE_MISSING_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    csv: bytes
    column_mapping: _containers.ScalarMap[str, str]
    dry_run: bool
    deactivate_missing: bool
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., csv: _Optional[bytes] = ..., column_mapping: _Optional[_Mapping[str, str]] = ..., dry_run: _Optional[bool] = ..., deactivate_missing: _Optional[bool] = ...) -> None: ...

class DirectoryChange(_message.Message):
    __slots__ = ("external_id", "kind", "fields")
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    external_id: str
    kind: str
    fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, external_id: _Optional[str] = ..., kind: _Optional[str] = ..., fields: _Optional[_Iterable[str]] = ...) -> None: ...

class RowError(_message.Message):
    __slots__ = ("line", "reason")
    LINE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    line: int
    reason: str
    def __init__(self, line: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class ImportDirectoryResponse(_message.Message):
    __slots__ = ("created", "updated", "errors", "deactivated", "changes")
    CREATED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    DEACTIVATED_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    created: int
    updated: int
    errors: _containers.RepeatedCompositeFieldContainer[RowError]
    deactivated: int
    changes: _containers.RepeatedCompositeFieldContainer[DirectoryChange]
    def __init__(self, created: _Optional[int] = ..., updated: _Optional[int] = ..., errors: _Optional[_Iterable[_Union[RowError, _Mapping]]] = ..., deactivated: _Optional[int] = ..., changes: _Optional[_Iterable[_Union[DirectoryChange, _Mapping]]] = ...) -> None: ...

class PreviewAudienceRequest(_message.Message):
    __slots__ = ("tenant_id", "targeting", "segment", "segment_id", "channel_ids")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TARGETING_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_IDS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    targeting: _content_service_pb2.Targeting
    segment: str
    segment_id: str
    channel_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tenant_id: _Optional[str] = ..., targeting: _Optional[_Union[_content_service_pb2.Targeting, _Mapping]] = ..., segment: _Optional[str] = ..., segment_id: _Optional[str] = ..., channel_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class PreviewAudienceResponse(_message.Message):
    __slots__ = ("count", "by_country", "by_language", "by_timezone", "by_network")
    class ByCountryEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class ByLanguageEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class ByTimezoneEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class ByNetworkEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    COUNT_FIELD_NUMBER: _ClassVar[int]
    BY_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    BY_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    BY_TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    BY_NETWORK_FIELD_NUMBER: _ClassVar[int]
    count: int
    by_country: _containers.ScalarMap[str, int]
    by_language: _containers.ScalarMap[str, int]
    by_timezone: _containers.ScalarMap[str, int]
    by_network: _containers.ScalarMap[str, int]
    def __init__(self, count: _Optional[int] = ..., by_country: _Optional[_Mapping[str, int]] = ..., by_language: _Optional[_Mapping[str, int]] = ..., by_timezone: _Optional[_Mapping[str, int]] = ..., by_network: _Optional[_Mapping[str, int]] = ...) -> None: ...

class ValidateSegmentRequest(_message.Message):
    __slots__ = ("rule",)
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: str
    def __init__(self, rule: _Optional[str] = ...) -> None: ...

class ValidateSegmentResponse(_message.Message):
    __slots__ = ("attributes",)
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    attributes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, attributes: _Optional[_Iterable[str]] = ...) -> None: ...

class Segment(_message.Message):
    __slots__ = ("segment_id", "version", "name", "rule", "created_at")
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    segment_id: str
    version: int
    name: str
    rule: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, segment_id: _Optional[str] = ..., version: _Optional[int] = ..., name: _Optional[str] = ..., rule: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SaveSegmentRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "segment_id", "name", "rule")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RULE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    segment_id: str
    name: str
    rule: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., segment_id: _Optional[str] = ..., name: _Optional[str] = ..., rule: _Optional[str] = ...) -> None: ...

class GetSegmentRequest(_message.Message):
    __slots__ = ("tenant_id", "segment_id", "version")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    segment_id: str
    version: int
    def __init__(self, tenant_id: _Optional[str] = ..., segment_id: _Optional[str] = ..., version: _Optional[int] = ...) -> None: ...

class ListSegmentsRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class ListSegmentsResponse(_message.Message):
    __slots__ = ("segments",)
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    segments: _containers.RepeatedCompositeFieldContainer[Segment]
    def __init__(self, segments: _Optional[_Iterable[_Union[Segment, _Mapping]]] = ...) -> None: ...

class Channel(_message.Message):
    __slots__ = ("channel_id", "name", "description", "regions", "mandatory", "manager_ids", "subscribers")
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    MANDATORY_FIELD_NUMBER: _ClassVar[int]
    MANAGER_IDS_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIBERS_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    name: str
    description: str
    regions: _containers.RepeatedScalarFieldContainer[str]
    mandatory: bool
    manager_ids: _containers.RepeatedScalarFieldContainer[str]
    subscribers: int
    def __init__(self, channel_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., regions: _Optional[_Iterable[str]] = ..., mandatory: _Optional[bool] = ..., manager_ids: _Optional[_Iterable[str]] = ..., subscribers: _Optional[int] = ...) -> None: ...

class CreateChannelRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "name", "description", "regions", "mandatory", "manager_ids")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    MANDATORY_FIELD_NUMBER: _ClassVar[int]
    MANAGER_IDS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    name: str
    description: str
    regions: _containers.RepeatedScalarFieldContainer[str]
    mandatory: bool
    manager_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., regions: _Optional[_Iterable[str]] = ..., mandatory: _Optional[bool] = ..., manager_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ListChannelsRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class ListChannelsResponse(_message.Message):
    __slots__ = ("channels",)
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    channels: _containers.RepeatedCompositeFieldContainer[Channel]
    def __init__(self, channels: _Optional[_Iterable[_Union[Channel, _Mapping]]] = ...) -> None: ...

class SetChannelManagersRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "channel_id", "manager_ids")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    MANAGER_IDS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    channel_id: str
    manager_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., manager_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SubscriptionRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "channel_id", "employee_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    channel_id: str
    employee_id: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., employee_id: _Optional[str] = ...) -> None: ...

class SetParticipationRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "employee_id", "opted_in", "source")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    OPTED_IN_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    employee_id: str
    opted_in: bool
    source: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., opted_in: _Optional[bool] = ..., source: _Optional[str] = ...) -> None: ...

class RecordConsentRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "employee_id", "opted_in", "consent", "auto_share", "source", "decided_at")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    OPTED_IN_FIELD_NUMBER: _ClassVar[int]
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    AUTO_SHARE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    employee_id: str
    opted_in: bool
    consent: bool
    auto_share: bool
    source: str
    decided_at: _timestamp_pb2.Timestamp
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ..., opted_in: _Optional[bool] = ..., consent: _Optional[bool] = ..., auto_share: _Optional[bool] = ..., source: _Optional[str] = ..., decided_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class EraseEmployeeRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "employee_id")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    employee_id: str
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ...) -> None: ...

class EraseEmployeeResponse(_message.Message):
    __slots__ = ("erased",)
    ERASED_FIELD_NUMBER: _ClassVar[int]
    erased: bool
    def __init__(self, erased: _Optional[bool] = ...) -> None: ...

class IssueScimTokenRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class IssueScimTokenResponse(_message.Message):
    __slots__ = ("token",)
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token: str
    def __init__(self, token: _Optional[str] = ...) -> None: ...

class GetEmployeeRequest(_message.Message):
    __slots__ = ("tenant_id", "employee_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    employee_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., employee_id: _Optional[str] = ...) -> None: ...

class GetEmployeeResponse(_message.Message):
    __slots__ = ("employee",)
    EMPLOYEE_FIELD_NUMBER: _ClassVar[int]
    employee: Employee
    def __init__(self, employee: _Optional[_Union[Employee, _Mapping]] = ...) -> None: ...

class ListEmployeesRequest(_message.Message):
    __slots__ = ("tenant_id", "opted_in_only", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    OPTED_IN_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    opted_in_only: bool
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., opted_in_only: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListEmployeesResponse(_message.Message):
    __slots__ = ("employees", "next_page_token")
    EMPLOYEES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    employees: _containers.RepeatedCompositeFieldContainer[Employee]
    next_page_token: str
    def __init__(self, employees: _Optional[_Iterable[_Union[Employee, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class LinkAccountRequest(_message.Message):
    __slots__ = ("tenant_id", "subject", "email", "external_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    subject: str
    email: str
    external_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., subject: _Optional[str] = ..., email: _Optional[str] = ..., external_id: _Optional[str] = ...) -> None: ...

class GetAccountLinkRequest(_message.Message):
    __slots__ = ("tenant_id", "subject")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    subject: str
    def __init__(self, tenant_id: _Optional[str] = ..., subject: _Optional[str] = ...) -> None: ...

class AccountLink(_message.Message):
    __slots__ = ("tenant_id", "subject", "employee_id", "home_region", "country", "department", "language", "linked_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    EMPLOYEE_ID_FIELD_NUMBER: _ClassVar[int]
    HOME_REGION_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    LINKED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    subject: str
    employee_id: str
    home_region: str
    country: str
    department: str
    language: str
    linked_at: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., subject: _Optional[str] = ..., employee_id: _Optional[str] = ..., home_region: _Optional[str] = ..., country: _Optional[str] = ..., department: _Optional[str] = ..., language: _Optional[str] = ..., linked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
