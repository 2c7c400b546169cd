"""Which requests count as a click. Pure: no I/O.

A click is a person following the link. Social networks fetch every shared
link to build its preview card (often with HEAD, otherwise GET with a crawler
User-Agent), and crawlers follow links: those get the redirect like anyone
else but are not counted, so they neither inflate reach nor earn the sharer
points. The list is the crawlers of the networks we publish to plus common
chat apps and search engines; an unknown bot counts, which is the lesser error.
"""

from __future__ import annotations

PREVIEW_AGENTS = (
    "facebookexternalhit",
    "facebot",
    "linkedinbot",
    "twitterbot",
    "cardyb",  # Bluesky's card fetcher ("Bluesky Cardyb/1.1")
    "mastodon",  # Mastodon servers fetch previews as "Mastodon/4.x (http.rb ...)"
    "slackbot",
    "slack-imgproxy",
    "discordbot",
    "telegrambot",
    "whatsapp",
    "skypeuripreview",
    "pinterestbot",
    "redditbot",
    "embedly",
    "iframely",
    "googlebot",
    "bingbot",
    "applebot",
    "duckduckbot",
    "yandexbot",
)


def is_preview_agent(user_agent: str) -> bool:
    agent = user_agent.lower()
    return any(marker in agent for marker in PREVIEW_AGENTS)


def counts_as_click(method: str, user_agent: str) -> bool:
    """Only a GET from something that is not a known preview fetcher."""
    return method.upper() == "GET" and not is_preview_agent(user_agent)
