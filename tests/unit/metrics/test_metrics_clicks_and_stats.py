"""What counts as a click, and how counters sum up (pure domain)."""

from __future__ import annotations

import pytest
from metrics_service.domain.clicks import counts_as_click, is_preview_agent
from metrics_service.domain.stats import Counts, summarise

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


@pytest.mark.parametrize(
    "agent",
    [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Twitterbot/1.0",
        "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
        "http.rb/5.2.0 (Mastodon/4.3.1; +https://mastodon.social/)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    ],
)
def test_link_preview_fetchers_are_recognised_and_not_counted(agent: str) -> None:
    assert is_preview_agent(agent)
    assert not counts_as_click("GET", agent)


def test_a_person_following_the_link_counts() -> None:
    assert counts_as_click("GET", BROWSER)
    assert counts_as_click("get", "python-httpx/0.28.1")
    assert counts_as_click("GET", "")


def test_head_never_counts() -> None:
    assert not counts_as_click("HEAD", BROWSER)


def test_summary_sums_per_country_and_overall() -> None:
    stats = summarise([("FR", 2, 5), ("DE", 1, 0), ("FR", 1, 1)])
    assert stats.by_country == {"FR": Counts(3, 6), "DE": Counts(1, 0)}
    assert stats.total == Counts(4, 6)


def test_summary_of_nothing_is_zero() -> None:
    stats = summarise([])
    assert (stats.total, stats.by_country) == (Counts(0, 0), {})
