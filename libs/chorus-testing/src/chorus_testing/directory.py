"""A realistic demo HR export (the CSV targeting's ImportDirectory takes).

Deterministic for a seed, so tests and demos can rely on exact counts:

    python -m chorus_testing.directory 300 --seed 7 [--region eu-west] > directory.csv

Employees spread over the US, GB, ES (with some Catalan speakers), FR, PT and
IT, each with the language and timezone that fit the country; about 60% opted
in, about 5% inactive, about 40% of those opted in auto-share, and a few live
in another home region (their data stays there; this deployment ignores them).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import unicodedata
from dataclasses import dataclass

COLUMNS = (
    "external_id",
    "email",
    "display_name",
    "country",
    "language",
    "timezone",
    "department",
    "status",
    "opted_in",
    "auto_share",
    "home_region",
)

DEPARTMENTS = ("Sales", "Engineering", "Marketing", "HR", "Finance", "Operations")
# Sales and Engineering are the big teams in a typical company.
_DEPARTMENT_WEIGHTS = (30, 25, 15, 8, 10, 12)
EMAIL_DOMAIN = "example.com"
OTHER_REGIONS = ("us-east", "eu-west", "ap-south")


@dataclass(frozen=True)
class Country:
    code: str
    language: str
    timezone: str
    weight: int
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        "en",
        "America/New_York",
        30,
        (
            "James",
            "Mary",
            "Robert",
            "Patricia",
            "Michael",
            "Jennifer",
            "David",
            "Linda",
            "William",
            "Elizabeth",
            "Ashley",
            "Tyler",
            "Brandon",
            "Megan",
        ),
        (
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Wilson",
            "Anderson",
            "Taylor",
            "Thomas",
            "Moore",
            "Jackson",
            "Martin",
        ),
    ),
    Country(
        "GB",
        "en",
        "Europe/London",
        12,
        (
            "Oliver",
            "Amelia",
            "George",
            "Isla",
            "Harry",
            "Olivia",
            "Jack",
            "Emily",
            "Charlie",
            "Sophie",
            "Alfie",
            "Poppy",
        ),
        (
            "Jones",
            "Evans",
            "Roberts",
            "Walker",
            "Wright",
            "Thompson",
            "Hughes",
            "Green",
            "Hall",
            "Clarke",
            "Patel",
            "O'Brien",
        ),
    ),
    Country(
        "ES",
        "es",
        "Europe/Madrid",
        18,
        (
            "Lucía",
            "Hugo",
            "Martina",
            "Mateo",
            "Sofía",
            "Pablo",
            "Paula",
            "Álvaro",
            "Carmen",
            "Javier",
            "Marta",
            "Sergio",
        ),
        (
            "García",
            "Fernández",
            "González",
            "Rodríguez",
            "López",
            "Martínez",
            "Sánchez",
            "Pérez",
            "Gómez",
            "Ruiz",
            "Díaz",
            "Muñoz",
        ),
    ),
    Country(
        "FR",
        "fr",
        "Europe/Paris",
        15,
        (
            "Léa",
            "Gabriel",
            "Chloé",
            "Louis",
            "Manon",
            "Raphaël",
            "Camille",
            "Jules",
            "Inès",
            "Hugo",
            "Élodie",
            "Théo",
        ),
        (
            "Martin",
            "Bernard",
            "Dubois",
            "Thomas",
            "Robert",
            "Richard",
            "Petit",
            "Durand",
            "Leroy",
            "Moreau",
            "Lefèvre",
            "Girard",
        ),
    ),
    Country(
        "PT",
        "pt",
        "Europe/Lisbon",
        8,
        (
            "João",
            "Maria",
            "Tiago",
            "Beatriz",
            "Rodrigo",
            "Inês",
            "Duarte",
            "Leonor",
            "Gonçalo",
            "Matilde",
        ),
        (
            "Silva",
            "Santos",
            "Ferreira",
            "Pereira",
            "Oliveira",
            "Costa",
            "Rodrigues",
            "Martins",
            "Sousa",
            "Gonçalves",
        ),
    ),
    Country(
        "IT",
        "it",
        "Europe/Rome",
        10,
        (
            "Francesco",
            "Giulia",
            "Alessandro",
            "Chiara",
            "Lorenzo",
            "Francesca",
            "Matteo",
            "Sara",
            "Leonardo",
            "Martina",
        ),
        (
            "Rossi",
            "Russo",
            "Ferrari",
            "Esposito",
            "Bianchi",
            "Romano",
            "Colombo",
            "Ricci",
            "Marino",
            "Greco",
        ),
    ),
)
# Catalan speakers in Spain (Barcelona office): same country and timezone.
CATALAN = Country(
    "ES",
    "ca",
    "Europe/Madrid",
    0,
    ("Jordi", "Núria", "Pau", "Montserrat", "Oriol", "Mireia", "Arnau", "Laia"),
    ("Puig", "Vidal", "Ferrer", "Soler", "Font", "Serra", "Vila", "Casals"),
)
_CATALAN_SHARE_OF_ES = 0.3


def _ascii_slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def _rows(n: int, seed: int, region: str) -> list[list[str]]:
    rng = random.Random(seed)
    weights = [c.weight for c in COUNTRIES]
    rows: list[list[str]] = []
    used_emails: set[str] = set()
    for index in range(n):
        country = rng.choices(COUNTRIES, weights=weights)[0]
        if country.code == "ES" and rng.random() < _CATALAN_SHARE_OF_ES:
            country = CATALAN
        first, last = rng.choice(country.first_names), rng.choice(country.last_names)
        local = f"{_ascii_slug(first)}.{_ascii_slug(last)}"
        email = f"{local}@{EMAIL_DOMAIN}"
        suffix = 2
        while email in used_emails:  # namesakes get a number, as in real mail systems
            email = f"{local}{suffix}@{EMAIL_DOMAIN}"
            suffix += 1
        used_emails.add(email)
        active = rng.random() >= 0.05
        opted_in = rng.random() < 0.60
        auto_share = opted_in and rng.random() < 0.40
        home_region = region
        if rng.random() < 0.04:
            home_region = rng.choice([r for r in OTHER_REGIONS if r != region])
        rows.append(
            [
                f"E{100000 + index}",
                email,
                f"{first} {last}",
                country.code,
                country.language,
                country.timezone,
                rng.choices(DEPARTMENTS, weights=_DEPARTMENT_WEIGHTS)[0],
                "active" if active else "inactive",
                "true" if opted_in else "false",
                "true" if auto_share else "false",
                home_region,
            ]
        )
    return rows


EXTENDED_COLUMNS = ("title", "hire_date", "groups", "social_accounts", "consent")
TITLES = ("Associate", "Specialist", "Manager", "Director", "Engineer", "Analyst")
GROUPS = ("Contractors", "Managers", "Remote", "New joiners", "Ambassadors")
NETWORKS = ("bluesky", "linkedin", "x")


def _extend(rows: list[list[str]], seed: int) -> None:
    """Appends EXTENDED_COLUMNS from a separate random stream, so the base
    columns stay exactly what the plain generator writes for the seed."""
    rng = random.Random(seed * 7919 + 1)
    for index, row in enumerate(rows):
        year = rng.randint(2008, 2025)
        groups = sorted({g for g in GROUPS if rng.random() < 0.12})
        accounts = [
            f"{n}:@{row[1].split('@')[0]}:{rng.randint(0, 5000)}"
            for n in NETWORKS
            if rng.random() < 0.4
        ]
        row.extend(
            [
                rng.choice(TITLES),
                f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                ";".join(groups),
                ";".join(accounts),
                "false" if index % 50 == 7 else "true",
            ]
        )


def _to_csv(rows: list[list[str]], columns: tuple[str, ...] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def generate_directory_csv(n: int, seed: int, region: str = "local", extended: bool = False) -> str:
    """n employees (plus the header line), the same text for the same arguments.
    extended=True adds title, hire date, groups, social accounts and consent."""
    if n < 0:
        raise ValueError("n must not be negative")
    rows = _rows(n, seed, region)
    if not extended:
        return _to_csv(rows)
    _extend(rows, seed)
    return _to_csv(rows, COLUMNS + EXTENDED_COLUMNS)


# Each breaks exactly one column, the way real exports go wrong.
_BREAKAGES: tuple[tuple[str, str], ...] = (
    ("country", "Spain"),
    ("language", "english"),
    ("timezone", "Europe/Atlantis"),
    ("email", "not-an-email"),
    ("display_name", ""),
    ("status", "on-leave"),
    ("opted_in", "maybe"),
)


def inject_malformed_rows(csv_text: str, count: int, seed: int) -> tuple[str, dict[int, str]]:
    """Replace `count` data rows with broken copies.

    Returns the new CSV and {physical line number (header = 1): broken column},
    so a test can check every error is reported on the right line. Assumes the
    input has one physical line per record, as generate_directory_csv writes.
    """
    rng = random.Random(seed)
    reader = list(csv.reader(io.StringIO(csv_text)))
    header, data = reader[0], reader[1:]
    if count > len(data):
        raise ValueError(f"cannot break {count} rows of {len(data)}")
    broken: dict[int, str] = {}
    for position in sorted(rng.sample(range(len(data)), count)):
        column, value = _BREAKAGES[len(broken) % len(_BREAKAGES)]
        row = list(data[position])
        row[header.index(column)] = value
        data[position] = row
        broken[position + 2] = column  # +1 for the header, +1 for 1-based lines
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(data)
    return out.getvalue(), broken


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Print a realistic demo HR export (CSV).")
    parser.add_argument("count", type=int, help="number of employees")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--region", default="local", help="the deployment's CHORUS_REGION")
    parser.add_argument(
        "--extended", action="store_true", help="add groups, social accounts, hire dates"
    )
    args = parser.parse_args(argv)
    sys.stdout.write(generate_directory_csv(args.count, args.seed, args.region, args.extended))


if __name__ == "__main__":
    main()
