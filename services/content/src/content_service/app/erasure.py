"""The erasure of an employee (EmployeeErased), inside the handler's transaction.

What content holds about an employee, and what erasure does with it:

  * their id as author of posts and versions, approver, reviewer in a
    round's approver list, commenter, actor in the audit trail, feed
    subscriber and media uploader: replaced by ERASED everywhere. Editorial
    actions are recorded by the sign-in subject (chorus_identity.actor_id),
    employee actions (UGC) by the employee id: both are replaced, the
    subjects being those EmployeeErased names as linked to the person. The trail
    still shows that a (now anonymous) person made each transition, which
    the four-eyes rule and accountability need; it no longer says who.
  * the text of posts comms people wrote, comments they typed, charters,
    feeds and media: the company's content, not the employee's personal
    data; kept. A comment or post that happens to name the employee in free
    text is not found by id; that is outside what an id-keyed erasure can
    see and is reported, not guessed at.
  * employee-generated posts (UGC) the employee authored. GDPR reasoning:
    the text of a proposal is the employee's own expression and often
    identifies them (first person, their team, their city); anonymising the
    author id alone does not make such text anonymous. A proposal that was
    never approved (pending, rejected, sent back) was only ever processed to
    moderate it: that purpose is gone, so its text is erased in every
    version and in the search index (the post shell, status and audit stay,
    so other services' references by post id remain consistent). A UGC post
    that was approved became company content published under the brand and
    shared by colleagues (the proposal licensed it to the company); keeping
    its text is necessary to account for what was published (Art. 17(3)(e)),
    so its authorship is anonymised and the text kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from chorus_db.ports import Transaction

from content_service.app.ports import Stores
from content_service.domain.posts import PostKind

ERASED = "erased-employee"
ERASED_TEXT = "[erased]"


class EmployeeErasure:
    """The effect of EmployeeErased, in the handler's transaction (so it and
    the inbox row commit together: a redelivery changes nothing)."""

    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    async def erase(self, transaction: Transaction, tenant_id: str, employee_id: str) -> None:
        await self._redact_unapproved_ugc(transaction, tenant_id, employee_id)
        await self._replace(transaction, tenant_id, employee_id)

    async def erase_subjects(
        self, transaction: Transaction, tenant_id: str, subjects: Sequence[str]
    ) -> None:
        """The person's sign-ins: what they did as author, reviewer or commenter."""
        for subject in subjects:
            await self._replace(transaction, tenant_id, subject)

    async def _replace(self, transaction: Transaction, tenant_id: str, person: str) -> None:
        references = self.stores.employee_references(transaction)
        await references.replace_in_approver_lists(tenant_id, person, ERASED)
        await references.replace_everywhere(tenant_id, person, ERASED)

    async def _redact_unapproved_ugc(
        self, transaction: Transaction, tenant_id: str, employee_id: str
    ) -> None:
        posts = self.stores.posts(transaction)
        for post in await posts.by_author(tenant_id, employee_id):
            if post.kind is not PostKind.UGC or post.approved_version:
                continue
            await posts.redact(
                replace(
                    post,
                    title=ERASED_TEXT,
                    body="",
                    link="",
                    network_texts={},
                    network_variants={},
                    hashtags=(),
                    mentions=(),
                    media_ids=(),
                )
            )
