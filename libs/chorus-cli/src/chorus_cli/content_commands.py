"""`chorus post ...`: the content service."""

from __future__ import annotations

import uuid

import typer
from chorus.content.v1 import content_service_pb2 as content_pb

from chorus_cli.common import TenantOption, console, run

post_app = typer.Typer(help="Posts (content service)", no_args_is_help=True)


@post_app.command("create")
def post_create(
    title: str = typer.Option(...), body: str = typer.Option(...), link: str = "", language: str = "en",
    author: str = typer.Option(...), country: list[str] = typer.Option([], help="repeat for several"),
    department: list[str] = typer.Option([]), tenant: str = TenantOption,
) -> None:
    request = content_pb.CreatePostRequest(
        request_id=str(uuid.uuid4()), tenant_id=tenant, author_id=author, title=title, body=body, link=link,
        source_language=language, targeting=content_pb.Targeting(countries=country, departments=department),
    )
    post = run(lambda c: c.content.CreatePost(request)).post
    console.print(f"created post {post.post_id} (draft, version {post.version})")


@post_app.command("submit")
def post_submit(post_id: str, actor: str = typer.Option(...), tenant: str = TenantOption) -> None:
    run(lambda c: c.content.SubmitPost(content_pb.SubmitPostRequest(request_id=str(uuid.uuid4()), tenant_id=tenant, post_id=post_id, actor_id=actor)))
    console.print(f"post {post_id} is in review")


@post_app.command("approve")
def post_approve(post_id: str, approver: str = typer.Option(...), tenant: str = TenantOption) -> None:
    run(lambda c: c.content.ApprovePost(content_pb.ApprovePostRequest(request_id=str(uuid.uuid4()), tenant_id=tenant, post_id=post_id, approver_id=approver)))
    console.print(f"post {post_id} approved")


@post_app.command("get")
def post_get(post_id: str, tenant: str = TenantOption) -> None:
    console.print(run(lambda c: c.content.GetPost(content_pb.GetPostRequest(tenant_id=tenant, post_id=post_id))).post)
