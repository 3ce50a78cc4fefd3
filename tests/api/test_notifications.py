"""People's notifications end to end: made from what happens, kept to their own person, read,
archived, and shaped by each person's preferences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import func, insert, select, update

from domain.accounts.model import Actor, Role
from domain.queues.routing import Entered
from persistence.database import Database
from persistence.models.accounts import OrganizationRow
from persistence.models.events import EventRow
from persistence.models.notifications import NotificationCursorRow, NotificationRow
from persistence.models.queues import QueueItemRow
from tests.ai.alerts import angry_customer_alert
from tests.api.test_audit_trail import create_queue
from tests.notifications import (
    assign,
    customer_writes,
    notifications_of,
    notified,
    with_number,
)
from tests.support import (
    PASSWORD,
    TOKEN_CREATE,
    AdjustableClock,
    GraphQLClient,
    RunningServer,
    Tenant,
    add_user,
    create_tenant,
    eventually,
    make_settings,
    running_server,
    subscribed,
)

MARK_READ = (
    "mutation($input: NotificationMarkReadInput!) { notificationMarkRead(input: $input) "
    "{ __typename ... on NotificationMarkReadSuccess { unreadCount } "
    "... on ValidationError { field message } } }"
)
ARCHIVE = (
    "mutation($ids: [ID!]!) { notificationArchive(input: {ids: $ids}) "
    "{ ... on NotificationArchiveSuccess { unreadCount } } }"
)
PREFERENCES = (
    "{ notificationPreferences { types { type inApp sound } timeZone quietHours { start end } "
    "doNotDisturbUntil urgentPasses maxAnnouncedPerMinute soundVolume updatedAt } }"
)
UPDATE = (
    "mutation($input: NotificationPreferencesUpdateInput!) { notificationPreferencesUpdate("
    "input: $input) { __typename ... on NotificationPreferencesUpdateSuccess { preferences { "
    "types { type inApp sound } timeZone quietHours { start end } doNotDisturbUntil "
    "maxAnnouncedPerMinute } } ... on ValidationError { field message } } }"
)
AWAY = "mutation { agentStatusUpdate(input: {status: AWAY}) { __typename } }"


async def test_an_agent_is_told_when_someone_else_assigns_them_a_conversation(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await with_number(server, tenant)
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT, "Ana")
    taken = await customer_writes(server, "wamid.TAKEN", "5511900000001")
    await assign(client, tenant.token, taken, str(tenant.owner.id))
    given = await customer_writes(server, "wamid.GIVEN", "5511900000002")
    await assign(client, tenant.token, given, str(agent.id))

    [notification] = await notified(client, agent_token)
    assert notification == {
        "id": notification["id"],
        "type": "conversation_assigned",
        "category": "CONVERSATIONS",
        "severity": "INFO",
        "subject": "Conversa com Sheena Nelson atribuída a você",
        "conversationId": given,
        "announced": True,
        "sound": True,
        "heldBecause": None,
        "readAt": None,
        "archivedAt": None,
    }
    assert (await notifications_of(client, agent_token))[1] == 1
    # The owner took the first one themselves: nothing to tell them.
    assert await notifications_of(client, tenant.token) == ([], 0)


async def test_a_subscriber_receives_their_own_notifications_only(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await with_number(server, tenant)
    ana, ana_token = await add_user(server, client, tenant, Role.AGENT, "Ana")
    bruno, _ = await add_user(server, client, tenant, Role.AGENT, "Bruno")
    document = (
        "subscription { notificationReceived { eventId unreadCount "
        "notification { type conversationId subject } } }"
    )
    async with subscribed(server.ws_url, ana_token, document) as stream:
        for_bruno = await customer_writes(server, "wamid.BRUNO", "5511900000003")
        await assign(client, tenant.token, for_bruno, str(bruno.id))
        for_ana = await customer_writes(server, "wamid.ANA", "5511900000004")
        await assign(client, tenant.token, for_ana, str(ana.id))
        received = await stream.receive(timeout=15)
    event = received["payload"]["data"]["notificationReceived"]
    assert event["notification"]["conversationId"] == for_ana
    assert event["notification"]["type"] == "conversation_assigned"
    assert event["unreadCount"] == 1


async def test_notifications_are_read_and_archived_by_their_person_only(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await with_number(server, tenant)
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT)
    for n in range(3):
        conversation = await customer_writes(server, f"wamid.{n}", f"551190000001{n}")
        await assign(client, tenant.token, conversation, str(agent.id))
    first, second, third = await notified(client, agent_token, 3)

    by_owner = await client.data(MARK_READ, {"input": {"ids": [first["id"]]}}, token=tenant.token)
    assert by_owner["notificationMarkRead"]["unreadCount"] == 0
    assert (await notifications_of(client, agent_token))[1] == 3

    read = await client.data(MARK_READ, {"input": {"ids": [first["id"]]}}, token=agent_token)
    assert read["notificationMarkRead"]["unreadCount"] == 2
    unread, _ = await notifications_of(client, agent_token, unreadOnly=True)
    assert [n["id"] for n in unread] == [second["id"], third["id"]]

    archived = await client.data(ARCHIVE, {"ids": [second["id"]]}, token=agent_token)
    assert archived["notificationArchive"]["unreadCount"] == 1
    listed, _ = await notifications_of(client, agent_token)
    assert [n["id"] for n in listed] == [first["id"], third["id"]]
    everything, _ = await notifications_of(client, agent_token, includeArchived=True)
    assert len(everything) == 3

    all_read = await client.data(MARK_READ, {"input": {"all": True}}, token=agent_token)
    assert all_read["notificationMarkRead"]["unreadCount"] == 0
    wrong_inputs: list[dict[str, object]] = [{"all": True, "ids": [first["id"]]}, {}, {"ids": []}]
    for wrong in wrong_inputs:
        refused = await client.data(MARK_READ, {"input": wrong}, token=agent_token)
        assert refused["notificationMarkRead"]["__typename"] == "ValidationError", wrong
        assert refused["notificationMarkRead"]["field"] == "ids"


async def test_a_type_turned_off_is_not_made_and_a_repeat_is_not_made_twice(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await with_number(server, tenant)
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT)
    turned_off = await client.data(
        UPDATE,
        {"input": {"types": [{"type": "conversation_assigned", "inApp": False}]}},
        token=agent_token,
    )
    choices = turned_off["notificationPreferencesUpdate"]["preferences"]["types"]
    assert {"type": "conversation_assigned", "inApp": False, "sound": True} in choices
    await client.data(AWAY, token=agent_token)
    conversation = await customer_writes(server, "wamid.FIRST", "5511900000020")
    await assign(client, tenant.token, conversation, str(agent.id))
    await customer_writes(server, "wamid.SECOND", "5511900000020")
    await customer_writes(server, "wamid.THIRD", "5511900000020")
    await customer_writes(server, "wamid.OTHER", "5511900000021")
    other = await customer_writes(server, "wamid.OTHER2", "5511900000021")
    await assign(client, tenant.token, other, str(tenant.owner.id))
    await client.data(AWAY, token=tenant.token)
    await customer_writes(server, "wamid.OTHER3", "5511900000021")

    # The owner's one comes after every one of the agent's: once it is there, so are they.
    await notified(client, tenant.token)
    found, unread = await notifications_of(client, agent_token)
    assert [(n["type"], n["conversationId"]) for n in found] == [
        ("message_while_away", conversation)
    ]
    assert unread == 1


async def test_do_not_disturb_keeps_notifications_without_announcing_them(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await with_number(server, tenant)
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT)
    until = (datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)
    await client.data(
        UPDATE, {"input": {"doNotDisturbUntil": until.isoformat()}}, token=agent_token
    )
    conversation = await customer_writes(server, "wamid.DND", "5511900000030")
    await assign(client, tenant.token, conversation, str(agent.id))
    [held] = await notified(client, agent_token)
    assert (held["announced"], held["sound"], held["heldBecause"]) == (
        False,
        False,
        "DO_NOT_DISTURB",
    )
    assert (await notifications_of(client, agent_token))[1] == 1


async def test_what_the_frequency_limit_held_back_is_summed_up_a_minute_later(
    database: Database, database_url: str
) -> None:
    clock = AdjustableClock()
    async with running_server(make_settings(database_url), clock) as server:
        client = GraphQLClient(server.url)
        tenant = await create_tenant(server, client, "Acme")
        await with_number(server, tenant)
        agent, agent_token = await add_user(server, client, tenant, Role.AGENT)
        await client.data(UPDATE, {"input": {"maxAnnouncedPerMinute": 1}}, token=agent_token)
        for n in range(3):
            conversation = await customer_writes(server, f"wamid.FLOOD{n}", f"55119000001{n:02}")
            await assign(client, tenant.token, conversation, str(agent.id))
        flood = await notified(client, agent_token, count=3)
        clock.advance(seconds=61)
        server.runtime.notifications.wake()
        everything = await notified(client, agent_token, count=4)
        async with database.engine.connect() as connection:
            awaiting = await connection.scalar(
                select(func.count())
                .select_from(NotificationRow)
                .where(NotificationRow.awaiting_summary.is_(True))
            )
        await client.close()

    assert sorted(n["heldBecause"] or "" for n in flood) == [
        "",
        "FREQUENCY_LIMIT",
        "FREQUENCY_LIMIT",
    ]
    summary = everything[0]
    assert (summary["type"], summary["announced"], summary["conversationId"]) == (
        "held_back",
        True,
        None,
    )
    assert summary["subject"] == (
        "2 notificação(ões) retida(s) pelo seu limite por minuto: veja a central"
    )
    assert awaiting == 0


async def test_each_type_says_which_roles_receive_it(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    data = await client.data("{ notificationTypes { name roles } }", token=tenant.token)
    roles = {kind["name"]: kind["roles"] for kind in data["notificationTypes"]}
    assert roles["conversation_assigned"] == ["OWNER", "ADMIN", "SUPERVISOR", "AGENT"]
    assert roles["queue_full"] == ["OWNER", "ADMIN", "SUPERVISOR"]
    assert roles["administrator_added"] == ["OWNER", "ADMIN"]


async def test_preferences_are_validated_read_back_and_audited(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)
    defaults = (await client.data(PREFERENCES, token=agent_token))["notificationPreferences"]
    assert defaults["updatedAt"] is None
    assert defaults["maxAnnouncedPerMinute"] == 10
    assert all(choice["inApp"] for choice in defaults["types"])
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    refusals = {}
    for wrong in (
        {"types": [{"type": "weather", "inApp": False}]},
        {"timeZone": "Mars/Olympus"},
        {"quietHours": {"start": "25:00", "end": "07:00"}},
        {"quietHours": {"start": "22:00", "end": "22:00"}},
        {"doNotDisturbUntil": past},
        {"maxAnnouncedPerMinute": 0},
        {"soundVolume": 101},
    ):
        answer = await client.data(UPDATE, {"input": wrong}, token=agent_token)
        refusals[next(iter(wrong))] = answer["notificationPreferencesUpdate"]["field"]
    assert refusals == {
        "types": "types",
        "timeZone": "timeZone",
        "quietHours": "quietHours",
        "doNotDisturbUntil": "doNotDisturbUntil",
        "maxAnnouncedPerMinute": "maxAnnouncedPerMinute",
        "soundVolume": "soundVolume",
    }
    changed = await client.data(
        UPDATE,
        {
            "input": {
                "timeZone": "America/Manaus",
                "quietHours": {"start": "22:00", "end": "07:30"},
                "maxAnnouncedPerMinute": 5,
                "soundVolume": 25,
            }
        },
        token=agent_token,
    )
    preferences = changed["notificationPreferencesUpdate"]["preferences"]
    assert preferences["quietHours"] == {"start": "22:00", "end": "07:30"}
    read_back = (await client.data(PREFERENCES, token=agent_token))["notificationPreferences"]
    assert read_back["timeZone"] == "America/Manaus"
    assert read_back["maxAnnouncedPerMinute"] == 5
    assert (defaults["soundVolume"], read_back["soundVolume"]) == (60, 25)
    assert read_back["updatedAt"] is not None
    cleared = await client.data(
        UPDATE,
        {"input": {"clearQuietHours": True, "followOrganizationTimeZone": True}},
        token=agent_token,
    )
    assert cleared["notificationPreferencesUpdate"]["preferences"]["quietHours"] is None
    assert cleared["notificationPreferencesUpdate"]["preferences"]["timeZone"] is None


async def test_owners_and_admins_are_told_of_a_new_administrator(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)
    new_admin = await server.runtime.services.accounts.create_user(
        Actor.of(tenant.owner, None), "carla@acme.example", "Carla", Role.ADMIN, PASSWORD
    )
    [told] = await notified(client, tenant.token)
    assert (told["type"], told["category"], told["severity"]) == (
        "administrator_added",
        "SECURITY",
        "WARNING",
    )
    assert told["subject"] == "Carla agora é administrador(a) da organização"
    admin_token = await client.sign_in(new_admin.email)
    assert await notifications_of(client, admin_token) == ([], 0)
    assert await notifications_of(client, agent_token) == ([], 0)


async def test_repeated_failed_sign_ins_are_told_once_to_the_person_and_the_managers(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    agent, agent_token = await add_user(server, client, tenant, Role.AGENT, "Ana")
    _, other_agent_token = await add_user(server, client, tenant, Role.AGENT, "Bia")
    for _ in range(5):
        failed = await client.data(
            TOKEN_CREATE, {"email": agent.email, "password": "not the password"}
        )
        assert failed["tokenCreate"]["__typename"] == "InvalidCredentialsError"
    [told] = await notified(client, tenant.token)
    [also_told] = await notified(client, agent_token)
    assert (told["type"], told["category"], told["severity"]) == (
        "sign_in_failures",
        "SECURITY",
        "WARNING",
    )
    assert told["subject"] == "5 tentativas de entrar como Ana falharam (a última de 127.0.0.1)"
    assert also_told["subject"] == told["subject"]
    assert await notifications_of(client, other_agent_token) == ([], 0)


async def test_a_reused_refresh_token_is_told_to_the_person_and_the_managers(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    agent, _ = await add_user(server, client, tenant, Role.AGENT, "Ana")
    signed_in = await client.data(TOKEN_CREATE, {"email": agent.email, "password": PASSWORD})
    tokens = signed_in["tokenCreate"]["tokens"]
    refresh = "mutation($t: String!) { tokenRefresh(input: {refreshToken: $t}) { __typename } }"
    first = await client.data(refresh, {"t": tokens["refreshToken"]})
    again = await client.data(refresh, {"t": tokens["refreshToken"]})
    [told] = await notified(client, tenant.token)
    assert (first["tokenRefresh"]["__typename"], again["tokenRefresh"]["__typename"]) == (
        "TokenRefreshSuccess",
        "InvalidTokenError",
    )
    assert (told["type"], told["severity"]) == ("refresh_token_reused", "URGENT")
    assert told["subject"] == (
        "Um token de sessão de Ana foi reutilizado (de 127.0.0.1): a sessão foi encerrada"
    )
    agent_token = await client.sign_in(agent.email)
    [agent_told] = await notified(client, agent_token)
    assert agent_told["subject"] == told["subject"]


async def test_an_event_that_cannot_be_read_holds_back_no_notification_after_it(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    async with server.runtime.database.engine.begin() as connection:
        sequence = await connection.scalar(
            update(OrganizationRow)
            .where(OrganizationRow.id == tenant.organization_id)
            .values(last_event_sequence=OrganizationRow.last_event_sequence + 1)
            .returning(OrganizationRow.last_event_sequence)
        )
        # A user.created event without the user: as another version might have written it.
        await connection.execute(
            insert(EventRow).values(
                organization_id=tenant.organization_id,
                sequence=sequence,
                type="user.created",
                payload={"email": "x@acme.example"},
                occurred_at=datetime.now(UTC),
            )
        )
    await server.runtime.services.accounts.create_user(
        Actor.of(tenant.owner, None), "carla@acme.example", "Carla", Role.ADMIN, PASSWORD
    )
    [told] = await notified(client, tenant.token)
    assert told["subject"] == "Carla agora é administrador(a) da organização"


async def test_a_worker_catching_up_tells_no_one_of_what_happened_before_they_joined(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    new_admin = await server.runtime.services.accounts.create_user(
        Actor.of(tenant.owner, None), "carla@acme.example", "Carla", Role.ADMIN, PASSWORD
    )
    await notified(client, tenant.token)
    of_acme = NotificationCursorRow.organization_id == tenant.organization_id
    position = select(NotificationCursorRow.last_sequence).where(of_acme)
    async with server.runtime.database.engine.begin() as connection:
        read_up_to = (await connection.execute(position)).scalar_one()
        await connection.execute(
            update(NotificationCursorRow).where(of_acme).values(last_sequence=0)
        )

    async def read_again() -> bool:
        async with server.runtime.database.engine.connect() as connection:
            return (await connection.execute(position)).scalar_one() >= read_up_to

    await eventually(read_again, what="the worker to read the organization's events again")
    admin_token = await client.sign_in(new_admin.email)
    assert await notifications_of(client, admin_token) == ([], 0)


async def test_a_queues_members_are_told_of_a_transfer_into_it(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant = await create_tenant(server, client, "Acme")
    await with_number(server, tenant)
    member, member_token = await add_user(server, client, tenant, Role.AGENT)
    _, outsider_token = await add_user(server, client, tenant, Role.AGENT)
    support, billing = (
        await create_queue(client, tenant, "Suporte"),
        await create_queue(client, tenant, "Financeiro"),
    )
    joined = await client.data(
        "mutation($u: ID!, $q: ID!) { agentUpdate(input: {userId: $u, queueIds: [$q]}) "
        "{ __typename } }",
        {"u": str(member.id), "q": billing},
        token=tenant.token,
    )
    assert joined["agentUpdate"]["__typename"] == "AgentSuccess"
    conversation = await customer_writes(server, "wamid.MOVED", "5511900000040")
    entered = await server.runtime.services.queues.enqueue(
        Actor.of(tenant.owner, None), UUID(conversation), UUID(support), 0
    )
    assert isinstance(entered, Entered)
    moved = await client.data(
        "mutation($id: ID!, $q: ID!) { queueItemTransfer(input: {id: $id, queueId: $q}) "
        "{ __typename } }",
        {"id": str(entered.item.id), "q": billing},
        token=tenant.token,
    )
    assert moved["queueItemTransfer"]["__typename"] == "QueueItemSuccess"

    [told] = await notified(client, member_token)
    assert (told["type"], told["category"], told["conversationId"]) == (
        "transfer_into_my_queue",
        "QUEUES",
        conversation,
    )
    assert told["subject"] == "Conversa com Sheena Nelson transferida para a fila Financeiro"
    assert await notifications_of(client, outsider_token) == ([], 0)


async def queue_with(client: GraphQLClient, tenant: Tenant, settings: str) -> str:
    data = await client.data(
        f"mutation {{ queueCreate(input: {{{settings}}}) "
        "{ ... on QueueSaveSuccess { queue { id } } } }",
        token=tenant.token,
    )
    queue_id: str = data["queueCreate"]["queue"]["id"]
    return queue_id


async def with_a_supervisor_and_an_agent(
    server: RunningServer, client: GraphQLClient
) -> tuple[Tenant, str, str]:
    """An organization with a number, and the tokens of its supervisor and of its agent."""
    tenant = await create_tenant(server, client, "Acme")
    await with_number(server, tenant)
    _, supervisor_token = await add_user(server, client, tenant, Role.SUPERVISOR)
    _, agent_token = await add_user(server, client, tenant, Role.AGENT)
    return tenant, supervisor_token, agent_token


async def test_supervisors_are_told_once_of_a_customer_waiting_past_the_queues_target(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant, supervisor_token, agent_token = await with_a_supervisor_and_an_agent(server, client)
    support = await queue_with(client, tenant, 'name: "Suporte", targetAnswerSeconds: 1')
    conversation = await customer_writes(server, "wamid.WAITING", "5511900000050")
    entered = await server.runtime.services.queues.enqueue(
        Actor.of(tenant.owner, None), UUID(conversation), UUID(support), 0
    )
    assert isinstance(entered, Entered)

    [told] = await notified(client, supervisor_token)
    [owner_told] = await notified(client, tenant.token)
    assert (told["type"], told["category"], told["severity"], told["conversationId"]) == (
        "waiting_over_target",
        "QUEUES",
        "WARNING",
        conversation,
    )
    assert told["subject"] == "Sheena Nelson espera na fila Suporte há mais de 1 s"
    assert owner_told["subject"] == told["subject"]
    assert await notifications_of(client, agent_token) == ([], 0)
    async with server.runtime.database.engine.connect() as connection:
        target = await connection.scalar(
            select(QueueItemRow.target_deadline).where(QueueItemRow.id == entered.item.id)
        )
    assert target is None, "told once: the wait is no longer watched"


async def test_a_full_queue_and_a_closed_one_are_one_unread_notification_each(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant, supervisor_token, agent_token = await with_a_supervisor_and_an_agent(server, client)
    full = await queue_with(client, tenant, 'name: "Vendas", maxSize: 1')
    closed = await queue_with(
        client, tenant, 'name: "Noite", workingHours: {timeZone: "UTC", weekly: {}}'
    )
    owner = Actor.of(tenant.owner, None)
    for n in range(3):
        conversation = await customer_writes(server, f"wamid.FULL{n}", f"55119000000{60 + n}")
        await server.runtime.services.queues.enqueue(owner, UUID(conversation), UUID(full), 0)
    late = await customer_writes(server, "wamid.LATE", "5511900000070")
    await server.runtime.services.queues.enqueue(owner, UUID(late), UUID(closed), 0)

    told = await notified(client, supervisor_token, count=2)
    assert sorted((n["type"], n["severity"], n["subject"]) for n in told) == [
        ("queue_full", "WARNING", "A fila Vendas está cheia"),
        ("queue_outside_hours", "INFO", "Clientes chegam à fila Noite fora do horário"),
    ]
    assert await notifications_of(client, agent_token) == ([], 0)


async def test_an_ai_alert_in_a_conversation_nobody_holds_goes_to_supervisors_and_up(
    server: RunningServer, client: GraphQLClient
) -> None:
    tenant, supervisor_token, agent_token = await with_a_supervisor_and_an_agent(server, client)
    await angry_customer_alert(server, tenant.owner)

    for token in (tenant.token, supervisor_token):
        [told] = await notified(client, token)
        assert (told["type"], told["severity"], told["announced"]) == ("ai_alert", "URGENT", True)
        assert told["subject"].endswith("— cliente insatisfeito em várias mensagens seguidas")
    assert await notifications_of(client, agent_token) == ([], 0)
