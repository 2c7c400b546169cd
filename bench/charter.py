"""Charter engine speed: one 3,000-character post against a charter of blocked
terms in 4 languages (en, fr, es, de).

  baseline  one regular-expression search per term over the folded text
            (what a keyword-list implementation does), word-boundary-aware
  engine    content_service's CharterEngine: a token n-gram hash index, so
            the cost depends on the text, not on the number of terms

Both run in the same process on the same post; the ratio engine/baseline is
the figure to watch (goal >= 20x at 5,000 terms). The engine figures at 500,
5,000 and 50,000 terms show it stays flat as the list grows. A second run
does the same in Chinese and Japanese (unsegmented text, terms matched inside
running text by the engine's two-character prefix index; the baseline is one
substring regex per term, no word boundaries).

    uv run python bench/charter.py
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable

from content_service.domain.charter import Charter, CharterEngine
from content_service.domain.matcher import Term
from content_service.domain.text import fold

LANGUAGES = ("en", "fr", "es", "de")
SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ren",
    "tos",
    "vu",
    "zé",
    "pra",
    "dül",
    "ño",
    "gar",
    "an",
    "tí",
    "quel",
    "sch",
)


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def make_terms(count: int, rng: random.Random) -> list[Term]:
    terms = []
    for i in range(count):
        phrase = " ".join(word(rng) for _ in range(rng.choice((1, 1, 2, 3))))
        terms.append(Term(phrase, LANGUAGES[i % len(LANGUAGES)], "block"))
    return terms


def make_post(terms: list[Term], rng: random.Random, size: int = 3000) -> str:
    """Ordinary words with a few blocked terms mixed in (in every language)."""
    parts: list[str] = []
    length = 0
    while length < size:
        piece = rng.choice(terms).term.upper() if rng.random() < 0.02 else word(rng)
        parts.append(piece)
        length += len(piece) + 1
    return " ".join(parts)[:size]


def make_cjk_terms(count: int, rng: random.Random) -> list[Term]:
    """2 to 4 Han characters each, alternately Chinese and Japanese terms."""
    return [
        Term(
            "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(rng.randint(2, 4))),
            ("zh", "ja")[i % 2],
            "block",
        )
        for i in range(count)
    ]


def make_cjk_post(terms: list[Term], rng: random.Random, size: int = 3000) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        piece = rng.choice(terms).term if rng.random() < 0.02 else chr(0x4E00 + rng.randrange(3000))
        parts.append(piece)
        length += len(piece)
    return "".join(parts)[:size]


def rate(check: Callable[[], object], seconds: float) -> float:
    fn = check
    runs = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds or runs < 3:
        fn()
        runs += 1
    return runs / elapsed


def baseline_checker(terms: list[Term], text: str, boundaries: bool = True) -> Callable[[], object]:
    edge_in, edge_out = (r"(?<!\w)", r"(?!\w)") if boundaries else ("", "")
    patterns = [re.compile(edge_in + re.escape(fold(t.term)) + edge_out) for t in terms]

    def check() -> int:
        folded = fold(text)
        return sum(1 for p in patterns if p.search(folded))

    return check


def engine_checker(terms: list[Term], text: str, language: str = "fr") -> Callable[[], object]:
    engine = CharterEngine(Charter(blocked_terms=tuple(terms)))

    def check() -> int:
        # The post's language is known; "" would check all four at once.
        return len(engine.check({"body": text}, language=language))

    return check


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args()
    rng = random.Random(42)
    pool = make_terms(50_000, rng)
    text = make_post(pool[:500], rng)
    print(
        f"post: {len(text)} characters, {len(text.split())} words; "
        f"languages: {', '.join(LANGUAGES)}"
    )
    figures: dict[int, float] = {}
    for count in (500, 5_000, 50_000):
        figures[count] = rate(engine_checker(pool[:count], text), args.seconds)
        print(f"engine   {count:>6} terms: {figures[count]:>10,.0f} checks/s")
    base = rate(baseline_checker(pool[:5_000], text), args.seconds)
    print(f"baseline  5,000 terms: {base:>10,.0f} checks/s  (one regex search per term)")
    print(f"ratio engine/baseline at 5,000 terms: {figures[5_000] / base:,.1f}x (goal >= 20x)")
    print(
        f"flatness: 50,000 terms run at {figures[50_000] / figures[500]:.2f} of the 500-term speed"
    )

    cjk_pool = make_cjk_terms(50_000, rng)
    cjk_text = make_cjk_post(cjk_pool[:500], rng)
    print(f"\nCJK post: {len(cjk_text)} characters; languages: zh, ja")
    cjk: dict[int, float] = {}
    for count in (500, 5_000, 50_000):
        cjk[count] = rate(engine_checker(cjk_pool[:count], cjk_text, language="zh"), args.seconds)
        print(f"engine   {count:>6} terms: {cjk[count]:>10,.0f} checks/s")
    cjk_base = rate(baseline_checker(cjk_pool[:5_000], cjk_text, boundaries=False), args.seconds)
    print(f"baseline  5,000 terms: {cjk_base:>10,.0f} checks/s  (one substring regex per term)")
    print(f"ratio engine/baseline at 5,000 terms: {cjk[5_000] / cjk_base:,.1f}x")
    print(f"flatness: 50,000 terms run at {cjk[50_000] / cjk[500]:.2f} of the 500-term speed")


if __name__ == "__main__":
    main()
