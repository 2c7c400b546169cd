"""The `chorus campaign` commands (and `chorus post create --campaign-id`)
against a real ContentService gRPC server, in its own thread and event loop
since the CLI runs asyncio.run: create with targets and its usage errors,
list, show, pilot, widen, end and goals (a table and --json)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from chorus.content.v1 import content_service_pb2 as content_pb
from chorus_cli.campaign_commands import campaign_app, goal_row
from chorus_cli.content_commands import post_app
from chorus_cli.main import acting_as
from chorus_cli.session import use_people
from chorus_core.ids import new_id
from chorus_identity.principal import ANY, Grant, Role, user
from chorus_testing.identity import IDENTITY, admin
from typer.testing import CliRunner

from tests.component.content.cli_server import content_server

FULL, PILOT = new_id(), new_id()  # targeting's segment ids (content checks their form)
# Nothing listens there: campaigns without channels and goals without posts
# call neither targeting nor metrics, and a call by mistake fails loudly
# instead of reaching some other running stack.
NOWHERE = "127.0.0.1:9"


@pytest.fixture
def content_addr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with content_server(tmp_path, targeting_addr=NOWHERE, metrics_addr=NOWHERE) as address:
        monkeypatch.setenv("CHORUS_CONTENT_ADDR", address)
        monkeypatch.setenv("COLUMNS", "200")  # rich would wrap long lines (ids) otherwise
        with use_people(PEOPLE, default="admin"):
            yield address


# Who types the commands (--as NAME): alice runs campaigns in every region.
PEOPLE = {
    "admin": IDENTITY.credentials(admin("t1")),
    "alice": IDENTITY.credentials(
        user("alice", "t1", Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]))
    ),
    "emp": IDENTITY.credentials(user("emp-sub", "t1", Role.EMPLOYEE, employee_id="emp-1")),
}


def cli() -> typer.Typer:
    app = typer.Typer()
    app.callback()(acting_as)  # the global --as option
    app.add_typer(post_app, name="post")
    app.add_typer(campaign_app, name="campaign")
    return app


def chorus(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli(), [*args, "--tenant", "t1"])
    assert result.exit_code == code, result.output
    return result.output


def create(*extra: str, name: str = "Spring hiring", code: int = 0) -> str:
    return chorus(
        "--as",
        "alice",
        "campaign",
        "create",
        "--name",
        name,
        "--objective",
        "recruitment",
        "--starts",
        "2027-03-01",
        "--ends",
        "2027-03-31T18:00:00+02:00",
        "--region",
        "eu-west",
        "--region",
        "us-east",
        *extra,
        code=code,
    )


def created_id(output: str) -> str:
    found = re.search(r"created campaign (\S+) \(draft\)", output)
    assert found is not None, output
    return found.group(1)


def test_a_campaign_from_creation_through_pilot_to_its_end(content_addr: str) -> None:
    campaign_id = created_id(
        create(
            "--segment-id",
            FULL,
            "--pilot-segment-id",
            PILOT,
            "--target",
            "shares=500",
            "--target",
            "clicks=40@eu-west",
        )
    )
    shown = chorus("campaign", "show", campaign_id)
    assert "objective:     recruitment" in shown
    assert "phase:         draft" in shown
    assert "starts:        2027-03-01T00:00:00+00:00" in shown  # a day is UTC midnight
    assert "ends:          2027-03-31T16:00:00+00:00" in shown  # an offset is honoured
    assert "regions:       eu-west, us-east" in shown
    assert f"segment:       {FULL}" in shown
    assert f"pilot segment: {PILOT}" in shown
    assert "targets:       shares=500, clicks=40@eu-west" in shown
    assert "posts:         -" in shown

    post = chorus(
        "--as",
        "alice",
        "post",
        "create",
        "--title",
        "We are hiring",
        "--body",
        "Come and build clean energy with us",
        "--campaign-id",
        campaign_id,
    )
    post_found = re.search(r"created post (\S+)", post)
    assert post_found is not None, post
    assert f"posts:         {post_found.group(1)}" in chorus("campaign", "show", campaign_id)
    assert "campaign_id:" in chorus(
        "--as",
        "alice",
        "post",
        "create",
        "--title",
        "T",
        "--body",
        "B",
        "--campaign-id",
        "nope",
        code=1,
    )

    assert f"campaign {campaign_id} (pilot): posts go to the pilot segment" in chorus(
        "--as", "alice", "campaign", "pilot", campaign_id
    )
    assert f"campaign {campaign_id} (live): posts go to the full audience" in chorus(
        "--as", "alice", "campaign", "widen", campaign_id
    )
    assert f"campaign {campaign_id} (ended)" in chorus(
        "--as", "alice", "campaign", "end", campaign_id
    )
    # The server's refusal, printed by the command (no traceback), exit 1.
    assert "FAILED_PRECONDITION" in chorus("campaign", "pilot", campaign_id, code=1)
    assert "NOT_FOUND" in chorus("campaign", "show", new_id(), code=1)


def test_only_comms_people_create_campaigns(content_addr: str) -> None:
    refused = chorus(
        "--as",
        "emp",
        "campaign",
        "create",
        "--name",
        "Mine",
        "--objective",
        "internal",
        "--starts",
        "2027-03-01",
        "--ends",
        "2027-03-02",
        "--region",
        "eu-west",
        code=1,
    )
    assert "PERMISSION_DENIED" in refused
    assert "Campaigns (0)" in chorus("campaign", "list")


@pytest.mark.parametrize(
    ("extra", "option", "said"),
    [
        (["--starts", "2027-13-01"], "--starts", "expected YYYY-MM-DD or ISO 8601"),
        (["--ends", "2027-03-31T18:00:00"], "--ends", "needs a UTC offset"),
        (["--objective", "fame"], "--objective", "expected one of visibility, recruitment"),
        (["--target", "shares:500"], "--target", "expected KPI=NUMBER[@REGION]"),
        (["--target", "likes=5"], "--target", "KPI one of shares, active_ambassadors"),
        (["--target", "shares=many"], "--target", "expected KPI=NUMBER[@REGION]"),
        (["--target", "shares=5@"], "--target", "expected KPI=NUMBER[@REGION]"),
    ],
)
def test_bad_options_are_usage_errors_naming_the_option(
    content_addr: str, extra: list[str], option: str, said: str
) -> None:
    # Later options win: each case replaces one good value with a bad one.
    output = create(*extra, code=2)
    assert f"Invalid value for {option}" in output
    assert said in " ".join(output.split())  # the usage box wraps long messages
    assert "Campaigns (0)" in chorus("campaign", "list")  # nothing was sent


def test_the_server_names_the_field_it_refuses(content_addr: str) -> None:
    refused = create("--target", "shares=10@ap-southeast", code=1)
    assert "INVALID_ARGUMENT" in refused and "targets[0].region" in refused


def test_list_pages_through_and_filters(content_addr: str) -> None:
    ids = [created_id(create(name=f"Campaign {n}")) for n in range(3)]
    chorus("--as", "alice", "campaign", "pilot", ids[0], code=1)  # no pilot segment
    chorus("--as", "alice", "campaign", "widen", ids[0])
    listed = chorus("campaign", "list", "--page-size", "1")  # three requests
    assert "Campaigns (3)" in listed
    assert all(campaign_id in listed for campaign_id in ids)
    live = chorus("campaign", "list", "--phase", "live")
    assert "Campaigns (1)" in live and ids[0] in live and ids[1] not in live
    assert "Campaigns (3)" in chorus("campaign", "list", "--region", "us-east")
    assert "Campaigns (0)" in chorus("campaign", "list", "--region", "ap-southeast")
    assert "Invalid value for --phase" in chorus("campaign", "list", "--phase", "over", code=2)


def test_goals_of_a_campaign_without_posts_are_not_measured(content_addr: str) -> None:
    campaign_id = created_id(create("--target", "shares=500", "--target", "clicks=40@eu-west"))
    table = chorus("campaign", "goals", campaign_id)
    rows = [line for line in table.splitlines() if "not measured" in line]
    assert len(rows) == 2, table
    shares, clicks = rows
    assert re.search(r"shares\s+│\s+all\s+│\s+500\s+│\s+not measured\s+│\s+-\s+│", shares)
    assert re.search(r"clicks\s+│\s+eu-west\s+│\s+40\s+│\s+not measured", clicks)
    assert all("the campaign has no post yet" in row for row in rows)
    assert not re.search(r"│\s+0\s+│|0%", table)  # not measured is never zero

    goals = json.loads(chorus("campaign", "goals", campaign_id, "--json"))
    assert goals["campaign_id"] == campaign_id
    assert [
        (g["kpi"], g["region"], g["target"], g["measured"], g["status"]) for g in goals["lines"]
    ] == [
        ("KPI_SHARES", "", 500.0, False, "GOAL_STATUS_NOT_MEASURED"),
        ("KPI_CLICKS", "eu-west", 40.0, False, "GOAL_STATUS_NOT_MEASURED"),
    ]
    assert {g["note"] for g in goals["lines"]} == {"the campaign has no post yet"}


def test_a_measured_line_shows_its_actual_and_progress() -> None:
    # Measured actuals come from metrics (not started here): the row alone.
    behind = content_pb.GoalLine(
        kpi=content_pb.KPI_SHARES,
        target=500,
        actual=125,
        measured=True,
        status=content_pb.GOAL_STATUS_BEHIND,
    )
    assert goal_row(behind) == ("shares", "all", "500", "125", "25%", "behind", "")
    none_yet = content_pb.GoalLine(
        kpi=content_pb.KPI_CLICKS,
        region="eu-west",
        target=40,
        measured=True,
        status=content_pb.GOAL_STATUS_BEHIND,
    )
    assert goal_row(none_yet)[3:5] == ("0", "0%")  # measured zero is a real zero
