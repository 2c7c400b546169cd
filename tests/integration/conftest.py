"""Fixtures the integration tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaProducer


@pytest.fixture
async def producer(kafka_bootstrap: str) -> AsyncIterator[AIOKafkaProducer]:
    """A plain producer on the real broker, for records sent as another
    service (or a malformed one) would send them."""
    p = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await p.start()
    yield p
    await p.stop()
