"""The `chorus` content commands (charter, post, media, ugc) against a real
ContentService gRPC server (in its own thread and event loop, since the CLI
runs asyncio.run), as a comms person would type them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from chorus_cli.content_commands import content_apps, post_app
from chorus_cli.main import acting_as
from chorus_cli.session import use_people
from chorus_identity.principal import ANY, Grant, Role, user
from chorus_testing.identity import IDENTITY, admin
from typer.testing import CliRunner

from tests.component.content.cli_server import content_server

GIF = b"GIF89a" + (64).to_bytes(2, "little") + (48).to_bytes(2, "little") + bytes(range(256)) * 400


@pytest.fixture
def content_addr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with content_server(tmp_path) as address:
        monkeypatch.setenv("CHORUS_CONTENT_ADDR", address)
        monkeypatch.setenv("COLUMNS", "200")  # rich would wrap long lines (ids) otherwise
        with use_people(PEOPLE, default="admin"):
            yield address


# Who types the commands (--as NAME): tenant t1's people, with the roles
# their steps need; alice writes and could review, so four eyes is hers.
PEOPLE = {
    "admin": IDENTITY.credentials(admin("t1")),
    "alice": IDENTITY.credentials(
        user(
            "alice",
            "t1",
            Grant.of(Role.COMMS_MANAGER, regions=[ANY], channels=[ANY]),
            Grant.of(Role.REVIEWER, steps=[ANY]),
        )
    ),
    "bob": IDENTITY.credentials(user("bob", "t1", Grant.of(Role.REVIEWER, steps=["comms"]))),
    "carol": IDENTITY.credentials(user("carol", "t1", Grant.of(Role.REVIEWER, steps=["legal"]))),
    "emp": IDENTITY.credentials(user("emp-sub", "t1", Role.EMPLOYEE, employee_id="emp-1")),
}


def cli() -> typer.Typer:
    app = typer.Typer()
    app.callback()(acting_as)  # the global --as option
    app.add_typer(post_app, name="post")
    for name, sub in content_apps:
        app.add_typer(sub, name=name)
    return app


def chorus(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli(), [*args, "--tenant", "t1"])
    assert result.exit_code == code, result.output
    return result.output


def test_charter_posts_media_and_ugc_from_the_command_line(
    content_addr: str, tmp_path: Path
) -> None:
    charter = tmp_path / "charter.json"
    charter.write_text(
        json.dumps(
            {
                "blockedTerms": [
                    {"term": "guaranteed returns", "language": "en", "severity": "SEVERITY_BLOCK"},
                    {"term": "保证收益", "language": "zh", "severity": "SEVERITY_BLOCK"},
                ]
            }
        )
    )
    assert "charter version 1 saved" in chorus("charter", "set", str(charter))
    assert "blocked-term.zh body[2:6]" in chorus(
        "charter", "check", "--body", "我们保证收益翻倍", "--language", "zh"
    )

    assert "comms then legal" in chorus(
        "post", "chain", "--kind", "job_offer", "--step", "comms", "--step", "legal"
    )
    assert "Invalid value for --kind" in chorus("post", "chain", "--kind", "nope", code=2)
    created = chorus(
        "--as",
        "alice",
        "post",
        "create",
        "--title",
        "We hire",
        "--body",
        "Join our Lyon plant",
        "--kind",
        "job_offer",
        "--hashtag",
        "hiring",
    )
    created_id = re.search(r"created post (\S+)", created)
    assert created_id is not None, created
    post_id = created_id.group(1)
    # An edit of the body keeps the kind: the job-offer chain still applies.
    assert "version 2" in chorus(
        "--as", "alice", "post", "update", post_id, "--body", "Join our Lyon plant now"
    )
    chorus("--as", "alice", "post", "submit", post_id)
    assert "four-eyes" in chorus("--as", "alice", "post", "approve", post_id, code=1)
    # carol reviews the legal step only: not her turn yet.
    assert "PERMISSION_DENIED" in chorus(
        "--as", "carol", "post", "approve", post_id, "--step", "comms", code=1
    )
    assert "awaiting 'legal'" in chorus(
        "--as", "bob", "post", "approve", post_id, "--step", "comms"
    )
    assert "version 2 pinned" in chorus(
        "--as", "carol", "post", "approve", post_id, "--step", "legal"
    )
    audit = chorus("post", "audit", post_id)
    assert "alice" in audit and "bob" in audit and "carol" in audit  # who, from the tokens
    assert post_id in chorus("post", "search", "--query", "lyon", "--status", "approved")

    image = tmp_path / "photo.jpg"  # named like a JPEG, a GIF inside
    image.write_bytes(GIF)
    stored = chorus("media", "upload", str(image), "--tag", "launch")
    stored_id = re.search(r"stored (\S+) as image/gif \(named like image/jpeg\)", stored)
    assert stored_id is not None, stored
    media_id = stored_id.group(1)
    assert f"{media_id}  image/gif" in chorus("media", "list", "--tag", "launch")
    assert "[launch]" in chorus("media", "list")
    copy = tmp_path / "copy.gif"
    chorus("media", "download", media_id, "-o", str(copy))
    assert copy.read_bytes() == GIF
    assert "NOT_FOUND" in chorus("media", "download", "nope", "-o", str(tmp_path / "none"), code=1)
    assert not (tmp_path / "none").exists() and not (tmp_path / "none.part").exists()

    proposed = chorus(
        "--as",
        "emp",
        "ugc",
        "propose",
        "--title",
        "Notre journée",
        "--body",
        "Nous avons planté des arbres autour de l'usine aujourd'hui",
    )
    assert "(language: fr)" in proposed
    assert "[fr] Notre journée" in chorus("ugc", "queue")


def test_text_variants_from_the_command_line(content_addr: str) -> None:
    """--variant NETWORK=TEXT, repeatable and in order; a variant the network
    would refuse is named by its field and index."""
    out = chorus(
        "post",
        "create",
        "--title",
        "Launch",
        "--body",
        "We launched",
        "--variant",
        "x=Plant open!",
        "--variant",
        "x=Come and see the plant",
    )
    post_id = re.search(r"created post (\S+)", out).group(1)  # type: ignore[union-attr]
    shown = chorus("post", "get", post_id)
    assert shown.index("Plant open!") < shown.index("Come and see the plant")
    # An edit keeps the variants unless told; --variant replaces them all.
    chorus("post", "update", post_id, "--title", "Launch v2")
    assert "Come and see the plant" in chorus("post", "get", post_id)
    refused = chorus(
        "post", "update", post_id, "--variant", "x=ok", "--variant", "x=" + "a" * 281, code=1
    )
    assert "INVALID_ARGUMENT" in refused and "network_variants.x[1]" in refused
    chorus("post", "update", post_id, "--variant", "linkedin=Only this one")
    shown = chorus("post", "get", post_id)
    assert "Only this one" in shown and "Plant open!" not in shown
