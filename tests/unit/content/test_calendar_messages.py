"""The editorial calendar on the wire and its holiday source: each enum
table maps every domain value to a distinct wire value, an unknown share
volume stays unset (not 0), and CHORUS_REGION_COUNTRIES with the holidays
package (names in each country's language; bad values stop the service
naming the variable)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import pytest
from chorus.content.v1 import content_service_pb2 as pb
from chorus_core.settings import ConfigError
from content_service.adapters.calendar_messages import CONFLICT_TO_PB, STATUS_TO_PB, entry_to_pb
from content_service.adapters.holidays import RegionHolidays, parse_region_countries
from content_service.domain.calendar import CalendarEntry, ConflictKind, EntryStatus
from content_service.settings import DEFAULT_REGION_COUNTRIES, ContentSettings
from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper


@pytest.mark.parametrize(
    ("domain", "wire", "table"),
    [
        (EntryStatus, pb.CalendarEntryStatus, STATUS_TO_PB),
        (ConflictKind, pb.CalendarConflictKind, CONFLICT_TO_PB),
    ],
)
def test_every_value_has_its_own_wire_value(
    domain: type[StrEnum], wire: EnumTypeWrapper, table: dict[StrEnum, int]
) -> None:
    assert set(table) == set(domain)
    specified = {v for n, v in wire.items() if not n.endswith("_UNSPECIFIED")}
    assert sorted(table.values()) == sorted(specified)
    for value, number in table.items():
        assert wire.Name(number).endswith(value.name)


def test_an_unknown_volume_is_unset_on_the_wire() -> None:
    known = CalendarEntry(date(2026, 7, 14), "eu-west", "", "", "p1", "T", EntryStatus.PLANNED, 0)
    unknown = CalendarEntry(
        date(2026, 7, 14), "us-east", "", "", "p1", "T", EntryStatus.PLANNED, None
    )
    assert entry_to_pb(known).HasField("shares") and entry_to_pb(known).shares == 0
    assert not entry_to_pb(unknown).HasField("shares")
    assert entry_to_pb(known).day == "2026-07-14"


def test_the_default_countries_and_their_holidays() -> None:
    countries = parse_region_countries(DEFAULT_REGION_COUNTRIES)
    assert countries == {
        "eu-west": ("FR", "DE", "ES", "IT", "NL"),
        "us-east": ("US", "CA"),
        "ap-southeast": ("SG", "AU", "JP"),
    }
    assert ContentSettings.from_env({}).countries_by_region == countries
    holiday_of = RegionHolidays(countries)
    assert holiday_of("eu-west", date(2026, 7, 14)) == "FR: Fête nationale"
    assert holiday_of("us-east", date(2026, 7, 3)) == "US: Independence Day (observed)"
    assert holiday_of("us-east", date(2026, 7, 1)) == "CA: Canada Day"
    # Several countries the same day, each named in its own language.
    christmas = holiday_of("eu-west", date(2026, 12, 25))
    assert christmas is not None and christmas.startswith("FR: Noël; DE: ")
    assert holiday_of("eu-west", date(2026, 7, 15)) is None
    assert holiday_of("mars-north", date(2026, 12, 25)) is None
    assert holiday_of.countries_of("mars-north") == ()


def test_countries_are_read_once_per_region_in_their_order() -> None:
    assert parse_region_countries(" eu-west = fr, de ,FR ; ; us-east=US") == {
        "eu-west": ("FR", "DE"),
        "us-east": ("US",),
    }


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("eu-west", "expected REGION=CC,CC"),
        ("eu-west=FR;eu-west=DE", "given twice"),
        ("eu-west=", "has no country"),
        ("eu-west=FRA", "not an ISO 3166-1 alpha-2"),
        ("eu-west=XX", "no calendar for 'XX'"),
        ("EU West=FR", "must be like 'eu-west'"),
        (";", "at least one region"),
    ],
)
def test_bad_region_countries_stop_the_service_naming_the_variable(value: str, said: str) -> None:
    with pytest.raises(ConfigError) as stopped:
        ContentSettings.from_env({"CHORUS_REGION_COUNTRIES": value})
    assert "CHORUS_REGION_COUNTRIES" in str(stopped.value) and said in str(stopped.value)


def test_the_scheduling_address_is_checked_like_the_others() -> None:
    assert ContentSettings.from_env({}).scheduling_addr == "127.0.0.1:7004"
    with pytest.raises(ConfigError, match="CHORUS_SCHEDULING_ADDR"):
        ContentSettings.from_env({"CHORUS_SCHEDULING_ADDR": "scheduling"})
