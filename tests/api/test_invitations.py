"""Team invitations over GraphQL: an owner or admin invites by email with a role and queues,
the invitee previews and accepts the single-use link (no sign-in needed) and is signed in;
used, revoked, replaced and expired links say so; the e-mail goes through a real SMTP server
(aiosmtpd) in the organization's language."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from domain.accounts.model import Role
from persistence.database import Database
from tests.api.test_audit_trail import create_queue
from tests.support import (
    PASSWORD,
    AdjustableClock,
    GraphQLClient,
    RunningServer,
    add_user,
    create_tenant,
    free_port,
    make_settings,
    running_server,
)

CREATE = """
mutation($input: InvitationCreateInput!) {
  invitationCreate(input: $input) {
    __typename
    ... on InvitationIssueSuccess {
      link emailed emailProblem
      invitation { id email role queueIds status expiresAt emailedAt invitedByUserId }
    }
    ... on Error { code message }
  }
}
"""
PREVIEW = """
query($t: String!) {
  invitationPreview(token: $t) {
    __typename
    ... on InvitationPreview { organizationName email role }
    ... on InvitationUnusableError { reason }
    ... on Error { code }
  }
}
"""
ACCEPT = """
mutation($input: InvitationAcceptInput!) {
  invitationAccept(input: $input) {
    __typename
    ... on InvitationAcceptSuccess { tokens { accessToken } user { id email name role } }
    ... on InvitationUnusableError { reason }
    ... on Error { code message }
  }
}
"""
REVOKE = """
mutation($id: ID!) {
  invitationRevoke(input: {id: $id}) {
    __typename
    ... on InvitationRevokeSuccess { invitation { status revokedAt } }
    ... on Error { code message }
  }
}
"""
RESEND = """
mutation($id: ID!) {
  invitationResend(input: {id: $id}) {
    __typename
    ... on InvitationIssueSuccess { link invitation { status } }
    ... on InvitationUnusableError { reason }
    ... on Error { code message }
  }
}
"""


def token_of(link: str) -> str:
    match = re.search(r"/#/invitations/([\w-]+)$", link)
    assert match is not None, link
    return match.group(1)


async def invite(
    client: GraphQLClient, token: str, email: str, role: str = "AGENT", **more: Any
) -> dict[str, Any]:
    data = await client.data(CREATE, {"input": {"email": email, "role": role, **more}}, token=token)
    result: dict[str, Any] = data["invitationCreate"]
    return result


async def accept(
    client: GraphQLClient, token: str, name: str = "Bianca Rocha", password: str = PASSWORD
) -> dict[str, Any]:
    data = await client.data(
        ACCEPT, {"input": {"token": token, "name": name, "password": password}}
    )
    result: dict[str, Any] = data["invitationAccept"]
    return result


async def test_an_invited_agent_previews_accepts_and_is_signed_in_with_their_queues(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    support = await create_queue(client, tenant, "Support")
    issued = await invite(client, tenant.token, "Bianca@Example.com", queueIds=[support])
    token = token_of(issued["link"])

    preview = await client.data(PREVIEW, {"t": token})
    accepted = await accept(client, token)
    me = await client.data("{ me { email role } }", token=accepted["tokens"]["accessToken"])
    signed_in = await client.sign_in("bianca@example.com")
    agent = await client.data(
        "query($u: ID!) { agent(userId: $u) { queueIds } }",
        {"u": accepted["user"]["id"]},
        token=tenant.token,
    )
    listed = await client.data("{ invitations { email status userId } }", token=tenant.token)
    again = await accept(client, token, name="Someone else")
    preview_again = await client.data(PREVIEW, {"t": token})
    preview_unknown = await client.data(PREVIEW, {"t": "not-a-real-token"})

    invitation = issued["invitation"]
    assert issued["link"].startswith(server.url + "/#/invitations/")
    assert (issued["emailed"], issued["emailProblem"]) == (False, "no mail server is configured")
    assert (invitation["email"], invitation["role"], invitation["status"]) == (
        "bianca@example.com",
        "AGENT",
        "PENDING",
    )
    assert invitation["queueIds"] == [support]
    assert preview["invitationPreview"] == {
        "__typename": "InvitationPreview",
        "organizationName": "Acme",
        "email": "bianca@example.com",
        "role": "AGENT",
    }
    assert accepted["user"]["name"] == "Bianca Rocha"
    assert me["me"] == {"email": "bianca@example.com", "role": "AGENT"}
    assert signed_in
    assert agent["agent"]["queueIds"] == [support]
    assert listed["invitations"] == [
        {"email": "bianca@example.com", "status": "ACCEPTED", "userId": accepted["user"]["id"]}
    ]
    assert again == {
        "__typename": "InvitationUnusableError",
        "reason": "ACCEPTED",
        "code": "INVITATION_UNUSABLE",
        "message": "This invitation was already accepted: sign in instead",
    }
    assert preview_again["invitationPreview"] == {
        "__typename": "InvitationUnusableError",
        "reason": "ACCEPTED",
        "code": "INVITATION_UNUSABLE",
    }
    assert preview_unknown["invitationPreview"] == {
        "__typename": "NotFoundError",
        "code": "NOT_FOUND",
    }


async def test_revoked_replaced_and_unknown_links_say_so_and_make_no_account(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    revoked = await invite(client, tenant.token, "revoked@example.com")
    replaced = await invite(client, tenant.token, "replaced@example.com")
    await client.data(REVOKE, {"id": revoked["invitation"]["id"]}, token=tenant.token)
    resent = await client.data(RESEND, {"id": replaced["invitation"]["id"]}, token=tenant.token)
    revoked_again = await client.data(
        RESEND, {"id": revoked["invitation"]["id"]}, token=tenant.token
    )

    after_revoke = await accept(client, token_of(revoked["link"]))
    old_link = await accept(client, token_of(replaced["link"]))
    unknown = await accept(client, "not-a-real-token")
    new_link = await accept(client, token_of(resent["invitationResend"]["link"]))

    assert (after_revoke["__typename"], after_revoke["reason"]) == (
        "InvitationUnusableError",
        "REVOKED",
    )
    assert after_revoke["message"] == "This invitation was revoked: ask for a new one"
    assert revoked_again["invitationResend"]["reason"] == "REVOKED"
    assert old_link["code"] == unknown["code"] == "NOT_FOUND"
    assert new_link["__typename"] == "InvitationAcceptSuccess"
    users = await client.data(
        "{ organization { users { edges { node { email } } } } }", token=tenant.token
    )
    emails = {edge["node"]["email"] for edge in users["organization"]["users"]["edges"]}
    assert "revoked@example.com" not in emails
    assert "replaced@example.com" in emails


async def test_an_expired_link_says_so_until_it_is_resent(database: Database) -> None:
    clock = AdjustableClock()
    settings = make_settings(
        str(database.url.render_as_string(hide_password=False)), invitation_days=2
    )
    async with running_server(settings, clock) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        issued = await invite(client, tenant.token, "late@example.com")
        clock.advance(days=2, seconds=1)
        owner = await client.sign_in(tenant.owner.email)

        expired = await accept(client, token_of(issued["link"]))
        listed = await client.data("{ invitations { status } }", token=owner)
        resent = await client.data(RESEND, {"id": issued["invitation"]["id"]}, token=owner)
        accepted = await accept(client, token_of(resent["invitationResend"]["link"]))
        await client.close()

    assert (expired["reason"], expired["message"]) == (
        "EXPIRED",
        "This invitation has expired: ask for a new one",
    )
    assert listed["invitations"] == [{"status": "EXPIRED"}]
    assert resent["invitationResend"]["invitation"]["status"] == "PENDING"
    assert accepted["__typename"] == "InvitationAcceptSuccess"


async def test_who_may_invite_whom_and_bad_input_is_named(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    _, admin = await add_user(server, client, tenant, Role.ADMIN)
    member, agent = await add_user(server, client, tenant, Role.AGENT)
    await invite(client, tenant.token, "twice@example.com")

    admin_invites_owner = await invite(client, admin, "boss@example.com", role="OWNER")
    admin_invites_admin = await invite(client, admin, "peer@example.com", role="ADMIN")
    owner_invites_admin = await invite(client, tenant.token, "admin2@example.com", role="ADMIN")
    agent_invites = await invite(client, agent, "friend@example.com")
    member_again = await invite(client, tenant.token, member.email)
    pending_again = await invite(client, tenant.token, "twice@example.com")
    bad_email = await invite(client, tenant.token, "not an email")
    unknown_queue = await invite(
        client, tenant.token, "q@example.com", queueIds=["00000000-0000-0000-0000-000000000000"]
    )
    weak = await accept(client, token_of(owner_invites_admin["link"]), password="short")
    anonymous_list = await client.execute("{ invitations { id } }")

    assert admin_invites_owner["code"] == "FORBIDDEN"
    assert admin_invites_admin["code"] == "FORBIDDEN"
    assert owner_invites_admin["invitation"]["role"] == "ADMIN"
    assert agent_invites["code"] == "FORBIDDEN"
    assert member_again["code"] == "CONFLICT"
    assert member_again["message"] == f"{member.email} already has a PyTake account"
    assert pending_again["code"] == "CONFLICT"
    assert "pending invitation" in pending_again["message"]
    assert bad_email["code"] == "INVALID_INPUT"
    assert unknown_queue["code"] == "NOT_FOUND"
    assert weak["code"] == "INVALID_INPUT"
    assert "12 characters" in weak["message"]
    assert anonymous_list["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@dataclass
class Inbox:
    """What a real SMTP server (aiosmtpd) received."""

    messages: list[EmailMessage] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's handler name
        assert isinstance(envelope.content, bytes)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.arrived.set()
        return "250 Message accepted for delivery"


@pytest.fixture
async def mail_server() -> AsyncIterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


async def test_the_invitation_is_e_mailed_in_the_organizations_language(
    database: Database, mail_server: tuple[Inbox, int]
) -> None:
    inbox, port = mail_server
    settings = make_settings(
        str(database.url.render_as_string(hide_password=False)),
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        smtp_from="PyTake <pytake@acme.example>",
        public_url="https://pytake.acme.example",
    )
    async with running_server(settings) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme Brasil")
        issued = await invite(client, tenant.token, "carla@example.com", role="SUPERVISOR")
        await asyncio.wait_for(inbox.arrived.wait(), 10)
        mail = inbox.messages[0]
        body = str(mail.get_content())
        link = re.search(r"https://\S+", body)
        assert link is not None
        accepted = await accept(client, token_of(link.group(0)))
        await client.close()

    assert issued["emailed"] is True
    assert issued["invitation"]["emailedAt"] is not None
    assert issued["link"].startswith("https://pytake.acme.example/#/invitations/")
    assert link.group(0) == issued["link"]
    assert mail["To"] == "carla@example.com"
    assert mail["From"] == "PyTake <pytake@acme.example>"
    assert mail["Subject"] == "Acme Brasil owner convidou você para Acme Brasil no PyTake"
    assert "como supervisor(a)" in body
    assert accepted["user"]["role"] == "SUPERVISOR"


async def test_a_mail_server_that_is_down_loses_no_invitation(database: Database) -> None:
    settings = make_settings(
        str(database.url.render_as_string(hide_password=False)),
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
        smtp_security="none",
        smtp_from="pytake@acme.example",
    )
    async with running_server(settings) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        issued = await invite(client, tenant.token, "dora@example.com")
        accepted = await accept(client, token_of(issued["link"]))
        await client.close()

    assert issued["emailed"] is False
    assert issued["emailProblem"].startswith("the mail server at 127.0.0.1:")
    assert "could not be reached" in issued["emailProblem"]
    assert issued["invitation"]["emailedAt"] is None
    assert accepted["__typename"] == "InvitationAcceptSuccess"
