"""The demo HR export generator (chorus_testing.directory) is realistic and deterministic."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import Counter
from zoneinfo import ZoneInfo

from chorus_testing.directory import COLUMNS, generate_directory_csv, inject_malformed_rows

EXPECTED = {
    ("US", "en"): "America/New_York",
    ("GB", "en"): "Europe/London",
    ("ES", "es"): "Europe/Madrid",
    ("ES", "ca"): "Europe/Madrid",
    ("FR", "fr"): "Europe/Paris",
    ("PT", "pt"): "Europe/Lisbon",
    ("IT", "it"): "Europe/Rome",
}


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_same_seed_same_file_other_seed_other_file() -> None:
    assert generate_directory_csv(50, seed=7) == generate_directory_csv(50, seed=7)
    assert generate_directory_csv(50, seed=7) != generate_directory_csv(50, seed=8)


def test_realistic_mix() -> None:
    people = rows(generate_directory_csv(2000, seed=7, region="eu-west"))
    assert len(people) == 2000
    assert tuple(people[0]) == COLUMNS
    for person in people:
        assert EXPECTED[(person["country"], person["language"])] == person["timezone"]
        ZoneInfo(person["timezone"])
        assert person["email"].endswith("@example.com")
        assert person["department"] in {
            "Sales",
            "Engineering",
            "Marketing",
            "HR",
            "Finance",
            "Operations",
        }
        if person["auto_share"] == "true":
            assert person["opted_in"] == "true"
    assert set(EXPECTED) == {(p["country"], p["language"]) for p in people}
    assert len({p["email"] for p in people}) == 2000
    assert len({p["external_id"] for p in people}) == 2000
    opted_in = [p for p in people if p["opted_in"] == "true"]
    assert 0.55 < len(opted_in) / 2000 < 0.65
    assert 0.02 < sum(p["status"] == "inactive" for p in people) / 2000 < 0.08
    assert 0.33 < sum(p["auto_share"] == "true" for p in opted_in) / len(opted_in) < 0.47
    regions = Counter(p["home_region"] for p in people)
    assert regions["eu-west"] > 1800 and 0 < 2000 - regions["eu-west"] < 200
    assert any(not p["display_name"].isascii() for p in people)  # García, Léa, João...


def test_injected_rows_are_broken_on_the_reported_lines() -> None:
    original = generate_directory_csv(100, seed=1)
    broken_text, broken = inject_malformed_rows(original, 7, seed=2)
    assert len(broken) == 7
    before, after = original.splitlines(), broken_text.splitlines()
    assert len(before) == len(after)
    changed = {i + 1 for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b}
    assert changed == set(broken)
    assert set(broken.values()) == {
        "country",
        "language",
        "timezone",
        "email",
        "display_name",
        "status",
        "opted_in",
    }


def test_command_line_prints_the_same_csv() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "chorus_testing.directory", "30", "--seed", "7"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout == generate_directory_csv(30, seed=7)
