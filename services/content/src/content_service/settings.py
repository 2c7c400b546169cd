"""Content's settings (CHORUS_CONTENT_*), from the environment, checked at start-up."""

from __future__ import annotations

from typing import Annotated, ClassVar

from chorus_core.settings import HostPort, Port, PositiveSeconds, ServiceSettings, region_name
from pydantic import AfterValidator, Field, PositiveInt

from content_service.adapters.holidays import parse_region_countries
from content_service.app.media import DEFAULT_MAX_BYTES

# The enterprise's deployment regions (a campaign runs in some of them).
DEFAULT_REGIONS = "eu-west,us-east,ap-southeast"


def _regions(value: str) -> str:
    names = [r.strip() for r in value.split(",") if r.strip()]
    if not names:
        raise ValueError("at least one region")
    for name in names:
        region_name(name)
    return ",".join(names)


Regions = Annotated[str, AfterValidator(_regions)]

# The countries each region serves: the editorial calendar flags a post
# planned on a public holiday of any of them. A region left out has no
# holiday conflicts (the calendar says so).
DEFAULT_REGION_COUNTRIES = "eu-west=FR,DE,ES,IT,NL;us-east=US,CA;ap-southeast=SG,AU,JP"


def _region_countries(value: str) -> str:
    parse_region_countries(value)
    return value


RegionCountries = Annotated[str, AfterValidator(_region_countries)]

# The media drive's files; the rows that describe them are in the database.
DEFAULT_MEDIA_DIR = "var/data/content-media"


class ContentSettings(ServiceSettings):
    service: ClassVar[str] = "content"
    grpc_port: Port = 7001
    content_media_dir: str = Field(DEFAULT_MEDIA_DIR, min_length=1)
    content_media_max_bytes: PositiveInt = DEFAULT_MAX_BYTES
    content_expiry_tick_seconds: PositiveSeconds = 30.0
    content_feed_poll_seconds: PositiveSeconds = 900.0
    content_regions: Regions = DEFAULT_REGIONS  # comma list
    targeting_addr: HostPort = "127.0.0.1:7002"
    metrics_addr: HostPort = "127.0.0.1:7007"
    scheduling_addr: HostPort = "127.0.0.1:7004"  # share volumes of the calendar
    region_countries: RegionCountries = DEFAULT_REGION_COUNTRIES  # REGION=CC,CC;...

    @property
    def known_regions(self) -> frozenset[str]:
        """This deployment's own region is always one of them."""
        return frozenset(self.content_regions.split(",")) | {self.region}

    @property
    def countries_by_region(self) -> dict[str, tuple[str, ...]]:
        return parse_region_countries(self.region_countries)
