"""The `chorus calendar` commands against a real ContentService gRPC server
(its own thread and event loop, since the CLI runs asyncio.run): a table per
day with the conflicts after it, --json for scripts, the .ics export read
back by an independent parser, usage errors naming the option, the server's
refusals naming the field, and share volumes scheduling could not give
shown as not available, never as 0 (scheduling is not started here; the
volumes themselves are tests/component/content/test_content_calendar.py's)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import icalendar
import pytest
import typer
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus_cli.calendar_commands import calendar_app, entry_row
from chorus_cli.campaign_commands import campaign_app
from chorus_cli.content_commands import post_app
from chorus_cli.main import acting_as
from chorus_cli.session import use_people
from chorus_identity.principal import ANY, Grant, Role, user
from chorus_testing.identity import IDENTITY, admin
from typer.testing import CliRunner

from tests.component.content.cli_server import content_server

# Nothing listens there: the calendar answers without share volumes, as it
# does when scheduling is down (and no call reaches another running stack).
NOWHERE = "127.0.0.1:9"
PEOPLE = {
    "admin": IDENTITY.credentials(admin("t1")),
    "alice": IDENTITY.credentials(
        user("alice", "t1", Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]))
    ),
    "bob": IDENTITY.credentials(user("bob", "t1", Grant.of(Role.REVIEWER, steps=[ANY]))),
    "emp": IDENTITY.credentials(user("emp-sub", "t1", Role.EMPLOYEE, employee_id="emp-1")),
}
JULY = ("--since", "2027-07-01", "--until", "2027-07-31")


@pytest.fixture
def content_addr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with content_server(
        tmp_path, targeting_addr=NOWHERE, metrics_addr=NOWHERE, scheduling_addr=NOWHERE
    ) as address:
        monkeypatch.setenv("CHORUS_CONTENT_ADDR", address)
        monkeypatch.setenv("COLUMNS", "200")  # rich would wrap long lines (ids) otherwise
        with use_people(PEOPLE, default="admin"):
            yield address


def cli() -> typer.Typer:
    app = typer.Typer()
    app.callback()(acting_as)  # the global --as option
    app.add_typer(post_app, name="post")
    app.add_typer(campaign_app, name="campaign")
    app.add_typer(calendar_app, name="calendar")
    return app


def chorus(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli(), [*args, "--tenant", "t1"])
    assert result.exit_code == code, result.output
    return result.output


def found(pattern: str, output: str) -> str:
    match = re.search(pattern, output)
    assert match is not None, output
    return match.group(1)


def campaign(name: str, starts: str, *extra: str) -> str:
    created = chorus(
        "--as",
        "alice",
        "campaign",
        "create",
        "--name",
        name,
        "--objective",
        "employer_brand",
        "--starts",
        starts,
        "--ends",
        "2027-07-31",
        "--region",
        "eu-west",
        *extra,
    )
    return found(r"created campaign (\S+) \(draft\)", created)


def post(title: str, campaign_id: str) -> str:
    created = chorus(
        "--as",
        "alice",
        "post",
        "create",
        "--title",
        title,
        "--body",
        "Come and see",
        "--campaign-id",
        campaign_id,
    )
    return found(r"created post (\S+)", created)


@pytest.fixture
def planned(content_addr: str) -> tuple[str, str]:
    """A draft post planned on 14 July (its campaign's first day), and an
    approved one of a live campaign on 20 July (volumes: scheduling's)."""
    summer = campaign("Summer open days", "2027-07-14")
    bastille = post("Bastille open day", summer)
    autumn = campaign("Autumn hiring", "2027-07-20")
    chorus("--as", "alice", "campaign", "widen", autumn)
    hiring = post("We are hiring", autumn)
    chorus("--as", "alice", "post", "submit", hiring)
    chorus("--as", "bob", "post", "approve", hiring)
    return bastille, hiring


def test_show_prints_a_table_per_day_then_the_conflicts(planned: tuple[str, str]) -> None:
    bastille, hiring = planned
    shown = chorus("--as", "alice", "calendar", "show", *JULY)
    first, second = shown.index("2027-07-14 (Wednesday)"), shown.index("2027-07-20 (Tuesday)")
    conflicts = shown.index("Conflicts (1)")
    assert first < second < conflicts
    assert re.search(
        rf"planned\s+│\s+eu-west\s+│\s+-\s+│\s+\S+\s+│\s+{bastille}\s+│"
        r"\s+Bastille open day\s+│\s+0\s+│",
        shown[first:second],
    )
    # Approved and live: its volume is scheduling's, which could not be read.
    assert re.search(
        rf"planned\s+│.*│\s+{hiring}\s+│\s+We are hiring\s+│\s+not available\s+│",
        shown[second:conflicts],
    )
    assert re.search(
        rf"2027-07-14\s+│\s+planned on a holiday\s+│\s+eu-west\s+│\s+-\s+│\s+{bastille}\s+│"
        r"\s+FR: Fête nationale",
        shown[conflicts:],
    )
    assert "share volumes not available for: eu-west" in shown
    assert "note: share volumes are not available: scheduling:" in " ".join(shown.split())

    # One day, as JSON: an unknown volume is absent, never 0.
    data = json.loads(
        chorus("calendar", "show", "--since", "2027-07-20", "--until", "2027-07-20", "--json")
    )
    (entry,) = data["entries"]
    assert entry["post_id"] == hiring and entry["status"] == "CALENDAR_ENTRY_STATUS_PLANNED"
    assert "shares" not in entry
    assert data["not_available"] == ["eu-west"] and data["conflicts"] == []
    holiday = json.loads(
        chorus("calendar", "show", "--since", "2027-07-14", "--until", "2027-07-14", "--json")
    )
    assert [(e["post_id"], e["shares"]) for e in holiday["entries"]] == [(bastille, "0")]
    assert holiday["conflicts"][0]["detail"] == "FR: Fête nationale"
    assert holiday["not_available"] == []

    empty = chorus("calendar", "show", "--since", "2027-08-01", "--until", "2027-08-31")
    assert "nothing planned, scheduled or published from 2027-08-01 to 2027-08-31" in empty
    assert "Conflicts (0)" in empty


def test_export_writes_the_ics_file(planned: tuple[str, str], tmp_path: Path) -> None:
    bastille, hiring = planned
    out = tmp_path / "july.ics"
    said = chorus("calendar", "export", *JULY, "--region", "eu-west", "--out", str(out))
    assert "wrote 2 events to" in said
    assert "chorus-calendar-2027-07-01-2027-07-31-eu-west.ics" in said
    assert "share volumes not available for: eu-west" in said
    raw = out.read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    events = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == [
        "[planned] Bastille open day",
        "[planned] We are hiring",
    ]
    uids = [str(e["UID"]) for e in events]
    assert (
        len(set(uids)) == 2 and any(bastille in u for u in uids) and any(hiring in u for u in uids)
    )
    described = {str(e["SUMMARY"]): str(e["DESCRIPTION"]) for e in events}
    assert described["[planned] We are hiring"].endswith("shares not available")
    assert described["[planned] Bastille open day"].endswith("shares 0")


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (["--since", "2027-7-01"], "--since"),
        (["--until", "31/07/2027"], "--until"),
        (["--until", "2027-02-30"], "--until"),
    ],
)
def test_a_day_that_does_not_parse_is_a_usage_error(
    content_addr: str, extra: list[str], option: str
) -> None:
    output = chorus("calendar", "show", *JULY, *extra, code=2)  # later options win
    assert f"Invalid value for {option}" in output and "expected YYYY-MM-DD" in output


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (["--until", "2027-06-30"], "until_day"),
        (["--until", "2028-07-31"], "until_day"),
        (["--region", "mars-north"], "region"),
        (["--channel", "Careers"], "channel_id"),
    ],
)
def test_the_server_names_the_field_it_refuses(
    content_addr: str, extra: list[str], field: str, tmp_path: Path
) -> None:
    refused = chorus("calendar", "show", *JULY, *extra, code=1)
    assert "INVALID_ARGUMENT" in refused and f"{field}:" in refused
    out = tmp_path / "never.ics"
    exported = chorus("calendar", "export", *JULY, *extra, "--out", str(out), code=1)
    assert f"{field}:" in exported and not out.exists()


def test_an_employee_has_no_calendar(content_addr: str) -> None:
    assert "PERMISSION_DENIED" in chorus("--as", "emp", "calendar", "show", *JULY, code=1)


def test_a_known_volume_is_printed_as_it_is() -> None:
    # Volumes come from scheduling (not started here): the row alone.
    entry = content_pb.CalendarEntry(
        day="2027-07-15",
        region="eu-west",
        post_id="p1",
        title="Open day",
        status=content_pb.CALENDAR_ENTRY_STATUS_PUBLISHED,
        shares=12,
    )
    assert entry_row(entry) == ("published", "eu-west", "-", "-", "p1", "Open day", "12")
    entry.shares = 0
    assert entry_row(entry)[-1] == "0"  # a known zero is a zero
    entry.ClearField("shares")
    assert entry_row(entry)[-1] == "not available"
