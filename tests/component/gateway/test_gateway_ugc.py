"""UGC through the gateway over the real content and targeting servers: an
employee proposes as themself, a moderator works the queue, the retry of a
proposal is the first answer, other tenants and other roles are refused."""

from __future__ import annotations

from tests.component.gateway.conftest import Gateway
from tests.component.gateway.people import employee

IDEA = {"title": "Our team at the fair", "body": "Come and see us at stand 4, it was great"}


async def test_propose_moderate_and_the_queue(gw: Gateway) -> None:
    ana, ana_id = await employee(gw, "E1")
    proposed = await gw.client.post("/v1/proposals", json=IDEA, headers=gw.headers(ana))
    assert proposed.status_code == 201, proposed.text
    post = proposed.json()["post"]
    assert post["kind"] == "ugc" and post["author_id"] == ana_id
    moderator = gw.idp.token("mo", roles=("moderator",))
    queue = await gw.client.get("/v1/moderation-queue", headers=gw.headers(moderator, key=None))
    assert queue.status_code == 200, queue.text
    assert [p["post"]["post_id"] for p in queue.json()["items"]] == [post["post_id"]]
    decided = await gw.client.post(
        f"/v1/proposals/{post['post_id']}/moderate",
        json={"approve": False, "reason": "Not for us"},
        headers=gw.headers(moderator),
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "rejected"
    empty = await gw.client.get("/v1/moderation-queue", headers=gw.headers(moderator, key=None))
    assert empty.json()["items"] == []


async def test_bad_input_names_the_field(gw: Gateway) -> None:
    ana, _ = await employee(gw, "E1")
    missing = await gw.client.post("/v1/proposals", json={"body": "x"}, headers=gw.headers(ana))
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"field": "body.title", "reason": "required"}]
    smuggled = await gw.client.post(
        "/v1/proposals", json={**IDEA, "employee_id": "someone"}, headers=gw.headers(ana)
    )
    assert smuggled.status_code == 422
    assert smuggled.json()["errors"][0]["field"] == "body.employee_id"
    moderator = gw.idp.token("mo", roles=("moderator",))
    no_choice = await gw.client.post(
        "/v1/proposals/p1/moderate", json={"reason": "x"}, headers=gw.headers(moderator)
    )
    assert no_choice.status_code == 422
    assert no_choice.json()["errors"][0]["field"] == "body.approve"


async def test_a_retry_is_the_first_proposal(gw: Gateway) -> None:
    ana, _ = await employee(gw, "E1")
    headers = gw.headers(ana, key="propose-1")
    first = await gw.client.post("/v1/proposals", json=IDEA, headers=headers)
    again = await gw.client.post("/v1/proposals", json=IDEA, headers=headers)
    assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    moderator = gw.idp.token("mo", roles=("moderator",))
    queue = await gw.client.get("/v1/moderation-queue", headers=gw.headers(moderator, key=None))
    assert len(queue.json()["items"]) == 1


async def test_other_tenants_and_roles_are_refused(gw: Gateway) -> None:
    ana, _ = await employee(gw, "E1")
    proposed = await gw.client.post("/v1/proposals", json=IDEA, headers=gw.headers(ana))
    post_id = proposed.json()["post"]["post_id"]
    eve = gw.idp.token("eve", "globex", roles=("moderator",))
    queue = await gw.client.get("/v1/moderation-queue", headers=gw.headers(eve, key=None))
    assert queue.status_code == 200 and queue.json()["items"] == []
    foreign = await gw.client.post(
        f"/v1/proposals/{post_id}/moderate", json={"approve": True}, headers=gw.headers(eve)
    )
    assert foreign.status_code == 404 and IDEA["title"] not in foreign.text
    # Not a moderator: the employee may not moderate, a comms manager is no employee.
    own = await gw.client.post(
        f"/v1/proposals/{post_id}/moderate", json={"approve": True}, headers=gw.headers(ana)
    )
    assert own.status_code == 403
    comms = gw.idp.token("alice")
    assert (
        await gw.client.post("/v1/proposals", json=IDEA, headers=gw.headers(comms))
    ).status_code == 403
    staff_queue = await gw.client.get("/v1/moderation-queue", headers=gw.headers(ana, key=None))
    assert staff_queue.status_code == 403
    moderator = gw.idp.token("mo", roles=("moderator",))
    still = await gw.client.get("/v1/moderation-queue", headers=gw.headers(moderator, key=None))
    assert [p["post"]["status"] for p in still.json()["items"]] == ["in_review"]
