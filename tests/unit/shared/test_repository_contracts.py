"""Checks that keep the declarative parts of the repository honest."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from chorus_messaging import topics

ROOT = Path(__file__).resolve().parents[3]


def test_generated_protobuf_code_is_fresh() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "libs/chorus-protos/generate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_topic_the_code_uses_is_declared() -> None:
    declared = {
        t["name"] for t in yaml.safe_load((ROOT / "deploy/kafka/topics.yaml").read_text())["topics"]
    }
    used = {v for k, v in vars(topics).items() if k.isupper() and isinstance(v, str)}
    assert used <= declared, used - declared


def test_every_consumer_has_a_declared_dlq() -> None:
    spec = yaml.safe_load((ROOT / "deploy/kafka/topics.yaml").read_text())
    consumers = {(t["name"], c) for t in spec["topics"] for c in t.get("consumers", [])}
    # Each service subscribes through its entry points' subscriptions():
    # the DLQ topic for it must be among those apply_topics.py creates.
    expected = {
        (topics.POSTS, "targeting"),
        (topics.AUDIENCE, "translation"),
        (topics.AUDIENCE, "scheduling"),
        (topics.TRANSLATIONS, "scheduling"),
        (topics.SHARES_SCHEDULED, "publishing"),
        (topics.SHARES_PUBLISHED, "gamification"),
        (topics.SHARES_PUBLISHED, "metrics"),
        (topics.CLICKS, "gamification"),
    }
    assert expected <= consumers, expected - consumers
