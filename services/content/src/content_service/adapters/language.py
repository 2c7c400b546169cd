"""Offline language detection (langdetect ships its language profiles inside
the package: nothing is downloaded at run time)."""

from __future__ import annotations

from langdetect import DetectorFactory, LangDetectException, detect_langs

DetectorFactory.seed = 0  # deterministic: the same text always gets the same answer
UNDETERMINED = "und"
MIN_PROBABILITY = 0.7


def detect_language(text: str) -> str:
    """BCP 47 base language of the text, or "und" when unsure."""
    try:
        candidates = detect_langs(text)
    except LangDetectException:
        return UNDETERMINED
    best = candidates[0] if candidates else None
    if best is None or best.prob < MIN_PROBABILITY:
        return UNDETERMINED
    return str(best.lang).split("-", 1)[0].lower()
