"""The service's use cases wired on its concrete adapters, in one place: main.py
builds them for the running service, the tests for a service on a test
database, so both run the same graph."""

from __future__ import annotations

from dataclasses import dataclass

from chorus_db import Database
from chorus_messaging import Outbox
from chorus_messaging.audit import OutboxAuditTrail

from targeting_service.adapters.events import OutboxAudienceEvents, OutboxEmployeeEvents
from targeting_service.adapters.stores import SqlStores
from targeting_service.app.accounts import AccountLinkUseCases
from targeting_service.app.audiences import AudienceUseCases
from targeting_service.app.consent import ConsentUseCases
from targeting_service.app.directory import DirectoryUseCases
from targeting_service.app.resolution import AudienceResolution
from targeting_service.entrypoints.grpc_api import TargetingUseCases


@dataclass(frozen=True)
class Targeting:
    use_cases: TargetingUseCases  # what the gRPC API serves
    resolution: AudienceResolution  # what an approved post's event runs


def build(db: Database, region: str, outbox: Outbox | None = None) -> Targeting:
    outbox = outbox or Outbox(f"chorus/targeting@{region}")
    stores, employees = SqlStores(), OutboxEmployeeEvents(outbox)
    audit = OutboxAuditTrail(outbox)
    return Targeting(
        use_cases=TargetingUseCases(
            DirectoryUseCases(db, stores, employees, region, audit),
            AudienceUseCases(db, stores, region, audit),
            ConsentUseCases(db, stores, employees, audit),
            AccountLinkUseCases(db, stores, audit),
        ),
        resolution=AudienceResolution(stores, OutboxAudienceEvents(outbox), region),
    )
