"""Public holidays of a region's countries, for the editorial calendar's
holiday conflicts (domain.calendar.HolidayOf), from the `holidays` package
(the calendars scheduling's planner uses too).

A region is a deployment, not a country: which countries it serves comes
from CHORUS_REGION_COUNTRIES (parse_region_countries). National holidays
only: a subdivision's (a German Land's, a US state's) would flag a day off
for part of the region as a conflict for all of it. Names are in each
country's own language ("FR: Fête nationale"), never the machine's locale.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache

import holidays
from chorus_core.settings import region_name

# eu-west=FR,DE;us-east=US,CA -- a region, "=", its ISO 3166-1 alpha-2 countries.
_COUNTRY = re.compile(r"[A-Z]{2}")


@cache
def _supported() -> frozenset[str]:
    return frozenset(holidays.list_supported_countries())


def parse_region_countries(text: str) -> dict[str, tuple[str, ...]]:
    """Each region once, each with at least one country the `holidays`
    package has a calendar for; ValueError says what is wrong."""
    found: dict[str, tuple[str, ...]] = {}
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        region, sep, listed = part.partition("=")
        region = region_name(region.strip())
        if not sep:
            raise ValueError(f"{part!r}: expected REGION=CC,CC (e.g. eu-west=FR,DE)")
        if region in found:
            raise ValueError(f"region {region!r} is given twice")
        countries = tuple(dict.fromkeys(c.strip().upper() for c in listed.split(",") if c.strip()))
        if not countries:
            raise ValueError(f"region {region!r} has no country")
        for country in countries:
            if not _COUNTRY.fullmatch(country):
                raise ValueError(f"{country!r} is not an ISO 3166-1 alpha-2 country code")
            if country not in _supported():
                raise ValueError(f"the holidays package has no calendar for {country!r}")
        found[region] = countries
    if not found:
        raise ValueError("at least one region")
    return found


class RegionHolidays:
    """HolidayOf: "FR: Fête nationale" when a country of the region has a
    public holiday that day ("; " between several), else None."""

    def __init__(self, countries: Mapping[str, Sequence[str]]) -> None:
        self._countries = {region: tuple(c) for region, c in countries.items()}
        self._calendars: dict[tuple[str, int], holidays.HolidayBase] = {}

    def countries_of(self, region: str) -> tuple[str, ...]:
        """() for a region without countries: its holidays are not checked."""
        return self._countries.get(region, ())

    def __call__(self, region: str, day: date) -> str | None:
        names = []
        for country in self.countries_of(region):
            name = self._calendar(country, day.year).get(day)
            if name:
                names.append(f"{country}: {name}")
        return "; ".join(names) or None

    def _calendar(self, country: str, year: int) -> holidays.HolidayBase:
        key = (country, year)
        if key not in self._calendars:
            language = holidays.country_holidays(country).default_language
            self._calendars[key] = holidays.country_holidays(country, years=year, language=language)
        return self._calendars[key]
