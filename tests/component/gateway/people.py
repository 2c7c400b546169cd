"""People of the gateway tests' tenants: directory entries imported into
the real targeting server, and IdP tokens whose first use links the
account to its entry (so the caller is that employee)."""

from __future__ import annotations

from chorus.targeting.v1 import targeting_service_pb2 as tpb
from chorus.targeting.v1 import targeting_service_pb2_grpc as tpb_grpc
from chorus_grpc import insecure_channel
from chorus_testing.identity import IDENTITY, admin
from targeting_service.domain.employees import employee_id_for

from tests.component.gateway.conftest import Gateway

HEADER = (
    "external_id,email,display_name,country,language,timezone,department,status,"
    "opted_in,auto_share,home_region\n"
)


def row(external_id: str, country: str = "FR", language: str = "fr") -> str:
    return (
        f"{external_id},{external_id.lower()}@example.com,Person {external_id},{country},"
        f"{language},Europe/Paris,Sales,active,true,false,eu-west\n"
    )


async def import_people(gw: Gateway, tenant: str, *external_ids: str) -> None:
    channel = insecure_channel(gw.address, 30, credentials=IDENTITY.credentials(admin(tenant)))
    try:
        csv = HEADER + "".join(row(e) for e in external_ids)
        answer = await tpb_grpc.TargetingServiceStub(channel).ImportDirectory(
            tpb.ImportDirectoryRequest(tenant_id=tenant, csv=csv.encode())
        )
        assert not answer.errors, answer.errors
    finally:
        await channel.close()


async def employee(
    gw: Gateway,
    external_id: str,
    tenant: str = "acme",
    roles: tuple[str, ...] = ("employee",),
) -> tuple[str, str]:
    """(token, employee_id) of a person with a directory entry, linked."""
    await import_people(gw, tenant, external_id)
    subject = f"{tenant}-{external_id.lower()}"
    token = gw.idp.token(subject, tenant, roles=roles, email=f"{external_id.lower()}@example.com")
    me = await gw.client.get("/v1/me", headers=gw.headers(token, key=None))
    assert me.json()["employee_id"] == employee_id_for(tenant, external_id), me.text
    return token, employee_id_for(tenant, external_id)
