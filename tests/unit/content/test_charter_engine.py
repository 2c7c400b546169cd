from __future__ import annotations

import pytest
from chorus_core.errors import InvalidArgument, PermissionDenied
from content_service.domain import lengths, pii
from content_service.domain.charter import Charter, CharterEngine, Severity
from content_service.domain.feeds import check_address, check_feed_url, parse_feed
from content_service.domain.matcher import Term, TermMatcher
from content_service.domain.media import detect_type, image_size
from content_service.domain.patterns import PatternRule, PatternSet, validate


def test_terms_are_per_language_word_aware_and_longest_first() -> None:
    matcher = TermMatcher(
        [
            Term("gift", "de", "block"),
            Term("total", "", "warn"),
            Term("garantía total", "es", "block"),
        ]
    )
    assert [(h.term.term, h.start, h.end) for h in matcher.find("Ein GIFT, total", "de")] == [
        ("gift", 4, 8),
        ("total", 10, 15),
    ]
    assert [h.term.term for h in matcher.find("a gift", "en")] == []
    assert [h.term.term for h in matcher.find("garantia-total", "es")] == ["garantía total"]
    assert matcher.find("totalmente", "es") == []
    assert [h.term.term for h in matcher.find("gift", "")] == [
        "gift"
    ]  # unknown language: every language


@pytest.mark.parametrize("pattern", ["(a+)+b", "(\\w*\\s?)*$", "(a)\\1", "x(", "([a-z]+)*"])
def test_dangerous_or_invalid_patterns_are_rejected_naming_the_rule(pattern: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        validate(PatternRule("codename", pattern, "block"))
    assert caught.value.field == "charter.patterns.codename"


def test_pattern_matching_is_time_bounded() -> None:
    accepted = PatternRule(
        "slow", "(a|aa)+$", "block"
    )  # overlapping alternatives pass the static check...
    validate(accepted)
    [hit] = PatternSet([accepted]).find("a" * 40 + "b", timeout=0.02)
    assert hit.timed_out  # ...and are stopped by the time bound instead of hanging


def test_personal_data_checksums() -> None:
    text = (
        "Write to jane@acme.com, IBAN GB82 WEST 1234 5698 7654 32, "
        "card 4111 1111 1111 1111, order 4111 1111 1111 1112"
    )
    assert [h.kind for h in pii.find(text)] == ["email", "iban", "card"]
    assert not pii.iban_valid("GB82 WEST 1234 5698 7654 33")
    assert [h.kind for h in pii.find("call +33 6 12 34 56 78 on 2026-11-21")] == ["phone"]


def test_lengths_are_counted_like_each_network() -> None:
    url = "https://example.com/" + "x" * 100
    assert lengths.x_length(f"hi {url}") == 3 + 23
    assert lengths.x_length("日本") == 4 and lengths.x_length("👍🏽") == 2
    assert lengths.graphemes("👨‍👩‍👧e\u0301") == 2
    assert lengths.network_length("mastodon", url) == 23


def test_engine_reports_rules_with_spans_and_suggestions() -> None:
    engine = CharterEngine(
        Charter(
            disclosures={"linkedin": "#employee"},
            required_hashtags=("acme",),
            forbidden_hashtags=("#crypto",),
            max_hashtags=2,
            https_only=True,
            allowed_domains=("acme.com",),
            severities={"personal-data": "block"},
        )
    )
    found = engine.check(
        {"body": "#crypto #acme #x see http://evil.org", "network_texts.linkedin": "x #acme"}
    )
    rules = {v.rule_id: v for v in found}
    assert set(rules) == {
        "hashtags.forbidden",
        "hashtags.max-count",
        "links.https-only",
        "links.allowed-domains",
        "disclosure.linkedin",
    }
    assert (rules["hashtags.forbidden"].start, rules["hashtags.forbidden"].end) == (0, 7)
    assert (
        rules["links.https-only"].severity is Severity.BLOCK
        and rules["hashtags.forbidden"].severity is Severity.WARN
    )
    insta = engine.check(
        {"network_texts.instagram": " ".join(f"#t{i}" for i in range(31)) + " #acme #employee"}
    )
    assert "max-hashtags.instagram" in {v.rule_id for v in insta}


def test_media_types_come_from_content() -> None:
    assert detect_type(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert detect_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert detect_type(b"\x00\x00\x00\x18ftypmp42") == "video/mp4"
    assert detect_type(b"<html>") is None
    jpeg = (
        b"\xff\xd8"
        + b"\xff\xe0\x00\x04ab"
        + b"\xff\xc0\x00\x11\x08"
        + (30).to_bytes(2, "big")
        + (40).to_bytes(2, "big")
        + b"\x00" * 12
    )
    assert image_size("image/jpeg", jpeg) == (40, 30)


def test_feed_parsing_and_address_policy() -> None:
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:1</id>'
        b"<title>A &amp; B</title>\n"
        b'    <link href="https://x.example/a"/><summary>&lt;b&gt;Hi&lt;/b&gt;</summary>'
        b"</entry></feed>"
    )
    [item] = parse_feed(atom)
    assert (item.title, item.link, item.summary) == ("A & B", "https://x.example/a", "Hi")
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><rss>&b;</rss>'
    )
    with pytest.raises(InvalidArgument):
        parse_feed(bomb)
    for address in (
        "127.0.0.1",
        "10.0.0.1",
        "169.254.169.254",
        "::1",
        "::ffff:192.168.1.1",
        "224.0.0.1",
        "0.0.0.0",
    ):
        with pytest.raises(PermissionDenied):
            check_address("feeds.example", address, frozenset())
    check_address("feeds.example", "93.184.216.34", frozenset())
    check_address("intranet", "10.0.0.1", frozenset({"intranet"}))
    with pytest.raises(InvalidArgument):
        check_feed_url("file:///etc/passwd")
