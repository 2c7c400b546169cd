from chorus.content.v1 import content_service_pb2 as _content_service_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Employee(_message.Message):
    __slots__ = ("employee_id", "tenant_id", "external_id", "email", "display_name", "country", "language", "timezone", "department", "active", "opted_in", "auto_share", "home_region")
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
    def __init__(self, employee_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., external_id: _Optional[str] = ..., email: _Optional[str] = ..., display_name: _Optional[str] = ..., country: _Optional[str] = ..., language: _Optional[str] = ..., timezone: _Optional[str] = ..., department: _Optional[str] = ..., active: _Optional[bool] = ..., opted_in: _Optional[bool] = ..., auto_share: _Optional[bool] = ..., home_region: _Optional[str] = ...) -> None: ...

class ImportDirectoryRequest(_message.Message):
    __slots__ = ("request_id", "tenant_id", "csv")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CSV_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    tenant_id: str
    csv: bytes
    def __init__(self, request_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., csv: _Optional[bytes] = ...) -> None: ...

class RowError(_message.Message):
    __slots__ = ("line", "reason")
    LINE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    line: int
    reason: str
    def __init__(self, line: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class ImportDirectoryResponse(_message.Message):
    __slots__ = ("created", "updated", "errors")
    CREATED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    created: int
    updated: int
    errors: _containers.RepeatedCompositeFieldContainer[RowError]
    def __init__(self, created: _Optional[int] = ..., updated: _Optional[int] = ..., errors: _Optional[_Iterable[_Union[RowError, _Mapping]]] = ...) -> None: ...

class PreviewAudienceRequest(_message.Message):
    __slots__ = ("tenant_id", "targeting")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TARGETING_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    targeting: _content_service_pb2.Targeting
    def __init__(self, tenant_id: _Optional[str] = ..., targeting: _Optional[_Union[_content_service_pb2.Targeting, _Mapping]] = ...) -> None: ...

class PreviewAudienceResponse(_message.Message):
    __slots__ = ("count", "by_country", "by_language")
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
    COUNT_FIELD_NUMBER: _ClassVar[int]
    BY_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    BY_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    count: int
    by_country: _containers.ScalarMap[str, int]
    by_language: _containers.ScalarMap[str, int]
    def __init__(self, count: _Optional[int] = ..., by_country: _Optional[_Mapping[str, int]] = ..., by_language: _Optional[_Mapping[str, int]] = ...) -> None: ...

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
