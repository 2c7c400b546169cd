"""The text a share posts. Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Translation:
    """One post version in one language, as translation delivered it."""

    tenant_id: str
    post_id: str
    version: int
    language: str
    body: str
    link: str
    network_texts: dict[str, str] = field(default_factory=dict)

    def text_for(self, network: str) -> str:
        """The comms team may have written a text for this network (shorter
        for X, hashtags for LinkedIn...); otherwise the body is shared."""
        text = self.network_texts.get(network, "")
        return text if text.strip() else self.body
