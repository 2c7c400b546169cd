"""chorus_db's statement spans (StatementTracer): a statement inside a
recorded span is its child; one outside (a relay's or timer's poll) or under
a parent not sampled (a share outside the traced fraction) opens no span,
so polling never starts a trace of its own."""

from __future__ import annotations

from chorus_db import Database
from chorus_db.database import StatementTracer
from chorus_telemetry.propagation import TraceCarrier, restored
from opentelemetry import metrics
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import text

UNSAMPLED = TraceCarrier("00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-00")


async def test_statements_have_spans_only_inside_a_recorded_span(sqlite_database) -> None:
    db: Database = await sqlite_database()
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    usage = metrics.get_meter("test").create_up_down_counter("db.client.connections.usage")
    StatementTracer(provider.get_tracer("chorus_db"), db.engine.sync_engine, usage)
    tracer = provider.get_tracer("test")

    async with db.session() as session:
        await session.execute(text("SELECT 1"))  # a poll: no trace of its own
        with restored(UNSAMPLED):
            await session.execute(text("SELECT 2"))
        with tracer.start_as_current_span("handler") as handler:
            await session.execute(text("SELECT 3"))

    spans = exporter.get_finished_spans()
    statements = [s for s in spans if s.name != "handler"]
    assert len(statements) == 1, [s.name for s in spans]
    (statement,) = statements
    assert statement.parent is not None
    assert statement.parent.span_id == handler.get_span_context().span_id
    assert "SELECT 3" in str((statement.attributes or {}).get("db.statement"))
