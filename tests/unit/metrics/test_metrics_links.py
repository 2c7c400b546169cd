"""Tracked links: codes, URL checks and UTM tagging (pure domain)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from chorus_core.errors import InvalidArgument
from metrics_service.domain import links
from metrics_service.domain.links import TrackedLink


def link(target: str, campaign: str = "") -> TrackedLink:
    return links.new_link(
        code="Ab3dE6gH",
        tenant_id="t1",
        share_id="share-1",
        post_id="post-1",
        employee_id="emp-1",
        country_value="fr",
        network="Bluesky",
        target=target,
        campaign=campaign,
    )


def test_codes_are_deterministic_short_and_url_safe() -> None:
    first = list(links.candidate_codes("t1", "share-1"))
    assert first == list(links.candidate_codes("t1", "share-1"))
    assert len(first) == links.MAX_CODE_ATTEMPTS and len(set(first)) == len(first)
    for code in first:
        assert links.is_code(code), code
    assert first[0] != next(links.candidate_codes("t1", "share-2"))
    assert first[0] != next(links.candidate_codes("t2", "share-1"))


def test_codes_spread_over_many_shares_without_collisions() -> None:
    codes = {next(links.candidate_codes("t1", f"share-{i}")) for i in range(20_000)}
    assert len(codes) == 20_000


@pytest.mark.parametrize("value", ["", "short", "toolong123", "abc-defg", "abc defg", "ab/cdefg"])
def test_malformed_codes_are_not_codes(value: str) -> None:
    assert not links.is_code(value)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "example.com/page",
        "ftp://example.com/f",
        "javascript:alert(1)",
        "http://",
        "https:///path",
        "https://exa mple.com",
        "https://example.com/" + "a" * 3000,
    ],
)
def test_target_url_must_be_http_or_https(bad: str) -> None:
    with pytest.raises(InvalidArgument) as raised:
        link(bad)
    assert raised.value.field == "target_url"


def test_link_fields_are_normalised() -> None:
    made = link("https://example.com/x")
    assert (made.country, made.network) == ("FR", "bluesky")


def test_missing_country_is_the_unknown_bucket_and_a_bad_one_is_rejected() -> None:
    assert links.country("") == links.UNKNOWN_COUNTRY
    with pytest.raises(InvalidArgument) as raised:
        links.country("France")
    assert raised.value.field == "country"
    assert links.country_or_unknown("France") == links.UNKNOWN_COUNTRY
    assert links.country_or_unknown(" de ") == "DE"


@pytest.mark.parametrize(
    ("field", "kwargs"), [("share_id", {"share_id": ""}), ("network", {"network": " "})]
)
def test_required_link_fields_are_named(field: str, kwargs: dict[str, str]) -> None:
    values = dict(
        code="",
        tenant_id="t",
        share_id="s",
        post_id="p",
        employee_id="e",
        country_value="FR",
        network="x",
        target="https://e.com",
        campaign="",
    )
    values.update(kwargs)
    with pytest.raises(InvalidArgument) as raised:
        links.new_link(**values)
    assert raised.value.field == field


def test_redirect_adds_utm_and_keeps_existing_parameters_byte_for_byte() -> None:
    url = links.redirect_url(
        link("https://example.com/news?id=42&q=a%20b&flag#top", campaign="spring 2026")
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == (
        "https",
        "example.com",
        "/news",
        "top",
    )
    assert parts.query.startswith("id=42&q=a%20b&flag&")
    assert dict(parse_qsl(parts.query)) == {
        "id": "42",
        "q": "a b",
        "utm_source": "bluesky",
        "utm_medium": "employee_advocacy",
        "utm_campaign": "spring 2026",
        "utm_content": "share-1",
    }


def test_redirect_campaign_defaults_to_the_post_and_replaces_existing_utm() -> None:
    url = links.redirect_url(
        link("http://example.com/?utm_source=newsletter&ref=x&utm_campaign=old")
    )
    pairs = parse_qsl(urlsplit(url).query)
    assert [k for k, _ in pairs].count("utm_source") == 1
    assert dict(pairs) == {
        "ref": "x",
        "utm_source": "bluesky",
        "utm_medium": "employee_advocacy",
        "utm_campaign": "post-1",
        "utm_content": "share-1",
    }


def test_redirect_of_a_bare_url_only_has_utm() -> None:
    url = links.redirect_url(link("https://example.com"))
    assert url == (
        "https://example.com?utm_source=bluesky&utm_medium=employee_advocacy"
        "&utm_campaign=post-1&utm_content=share-1"
    )
