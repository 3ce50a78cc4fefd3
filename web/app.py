"""create_app(settings) builds everything; nothing lives in module globals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from domain.accounts.passwords import PasswordHasher
from domain.accounts.services import AccountService
from domain.accounts.throttle import ThrottlePolicy
from domain.accounts.tokens import AccessTokenCodec
from domain.clock import Clock, SystemClock
from domain.conversations.media import MediaService
from domain.conversations.messaging import MessageQueue, MessagingService
from domain.conversations.outbox import SenderService
from domain.conversations.services import ConversationService
from domain.errors import ServiceUnavailable
from domain.event_stream import EventStream
from domain.flows.activity import FlowActivity
from domain.flows.runner import FlowRunner
from domain.flows.services import FlowService
from domain.inbox.reading import ConversationReader
from domain.ingestion.ingest import InboundService
from domain.notifications.digests import EmailDigests
from domain.notifications.notifier import Notifier, may_notify
from domain.notifications.services import Channels, NotificationService
from domain.onboarding.steps import OnboardingService
from domain.queues.distributor import Distributor
from domain.queues.overdue import OverdueWaits
from domain.queues.routing import QueueRouting
from domain.queues.services import QueueService
from domain.replies.services import RepliesService
from domain.secrets import SecretBox, derive_key
from domain.signals.intent_service import IntentService
from domain.signals.loaded_models import LoadedIntentModels
from domain.signals.scoring import SignalScorer
from domain.signals.services import AiService
from domain.signals.training import IntentTrainer
from domain.team.invitations import InvitationService
from domain.whatsapp.meta_errors import RetryPolicy
from domain.whatsapp.model import WEBHOOK_PATH
from domain.whatsapp.numbers import NumberService, WebhookDefaults
from domain.whatsapp.template_catalog import TemplateService
from domain.whatsapp.trial import TrialService
from domain.whatsapp.webhook_credentials import WebhookCredentials
from graphql_api.context import Services
from graphql_api.schema import SchemaLimits, build_schema
from graphql_api.view import GraphQLView
from persistence.database import Database, describe_url
from persistence.unit_of_work import SqlUnitOfWork, SqlUnitOfWorkFactory
from web.broadcast import EventBus
from web.collector import settle_for_serving
from web.console import console_routes, graphiql_page
from web.conversations.snoozes import SnoozeWorker
from web.flows.http_client import FlowHttpClient
from web.flows.timers import FlowTimers
from web.health import Readiness, healthz
from web.limits import BodySizeLimit
from web.mail import SmtpMailer
from web.notifications.push import DEFAULT_VAPID_SUBJECT, PushSender, WebPushKeys, may_push
from web.notifications.worker import EmailDigestWorker, NotificationWorker, WakingPublisher
from web.polling import PollingWorker
from web.principals import BusPrincipalCache
from web.queues.worker import DistributionWorker
from web.settings import Settings, load_settings
from web.signals.training_worker import IntentTrainingWorker
from web.signals.worker import SignalWorker
from web.whatsapp.graph_api import GraphApiClient
from web.whatsapp.media import MEDIA_PATH, MediaDownloads
from web.whatsapp.processor import DeliveryProcessor
from web.whatsapp.sender import OutboundSender
from web.whatsapp.trial import TrialSimulator
from web.whatsapp.webhook import WhatsAppWebhook
from web.workers import MaintenanceWorker, Worker, WorkerHealth, running

GRAPHQL_PATH = "/graphql"


@dataclass(frozen=True)
class Runtime:
    """The process's long-lived parts, reachable from tests and the CLI."""

    settings: Settings
    clock: Clock
    database: Database
    bus: EventBus
    unit_of_work: SqlUnitOfWorkFactory
    services: Services
    maintenance: MaintenanceWorker
    webhook: WhatsAppWebhook
    deliveries: DeliveryProcessor
    graph: GraphApiClient
    messaging: MessagingService[SqlUnitOfWork]
    sender: OutboundSender
    flow_runner: FlowRunner
    flow_timers: FlowTimers
    flow_http: FlowHttpClient
    distribution: DistributionWorker
    snoozes: SnoozeWorker
    signals: SignalWorker
    intent_training: IntentTrainingWorker
    notifications: NotificationWorker
    push: PushSender
    email_digests: EmailDigestWorker | None
    worker_health: WorkerHealth
    principals: BusPrincipalCache
    trial: TrialSimulator | None = None

    def background_workers(self, only: frozenset[str] | None = None) -> list[Worker]:
        """Every background worker, or those named in `only`."""
        loops: list[PollingWorker] = [
            self.maintenance,
            self.deliveries,
            self.sender,
            self.flow_timers,
            self.distribution,
            self.snoozes,
            *([self.signals, self.intent_training] if self.settings.signals_enabled else []),
            self.notifications,
            self.push,
            *([self.email_digests] if self.email_digests else []),
        ]
        return [
            Worker(loop.name, loop.run_forever)
            for loop in loops
            if only is None or loop.name in only
        ]

    @asynccontextmanager
    async def working(self, only: frozenset[str] | None = None) -> AsyncIterator[None]:
        """The background workers (or those named in `only`), supervised, for the duration."""
        async with running(
            self.background_workers(only),
            self.worker_health,
            backoff_seconds=self.settings.worker_backoff_seconds,
        ):
            yield

    @asynccontextmanager
    async def started(self) -> AsyncIterator[Runtime]:
        """Connects the event bus for the duration; releases the bus and the database after."""
        try:
            await self.bus.start()
        except Exception as error:
            await self.database.dispose()
            raise ServiceUnavailable(
                "event bus", f"cannot connect to {redact(self.bus.url)}: {error}"
            ) from error
        try:
            yield self
        finally:
            await self.principals.close()
            if self.trial is not None:
                await self.trial.close()
            await self.bus.stop()
            await self.graph.close()
            await self.flow_http.close()
            await self.database.dispose()


def redact(url: str) -> str:
    return describe_url(url) if "://" in url and not url.startswith("memory") else url


def build_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    settings = settings.with_secret_key()
    clock = clock or SystemClock()
    database = Database(
        settings.resolved_database_url,
        pool_size=settings.database_pool_size,
        statement_timeout=settings.database_statement_timeout_seconds,
    )
    bus = EventBus(
        settings.broadcast_url,
        channel_prefix=settings.broadcast_channel_prefix,
        buffer_size=settings.subscriber_buffer_size,
        heartbeat_seconds=settings.bus_heartbeat_seconds,
    )
    publisher = WakingPublisher(bus)
    unit_of_work = SqlUnitOfWorkFactory(database, publisher, clock)
    principals = BusPrincipalCache(bus, lifetime_seconds=settings.principal_cache_seconds)
    secrets = SecretBox(settings.required_secret_key)
    accounts = AccountService(
        unit_of_work,
        PasswordHasher(settings.password_hash_time_cost, settings.password_hash_memory_kib),
        AccessTokenCodec(settings.required_secret_key, settings.access_token_lifetime),
        clock,
        refresh_token_lifetime=timedelta(days=settings.refresh_token_days),
        login_policy=ThrottlePolicy(
            window=timedelta(minutes=settings.login_window_minutes),
            max_failures_per_account=settings.login_max_failures_per_account,
            max_failures_per_client=settings.login_max_failures_per_client,
            free_failures_per_pair=settings.login_free_failures_per_address,
        ),
        principals=principals,
    )
    graph = GraphApiClient(
        settings.whatsapp_graph_url,
        settings.whatsapp_graph_version,
        timeout_seconds=settings.whatsapp_graph_timeout_seconds,
    )
    send_deadline = timedelta(minutes=settings.whatsapp_send_deadline_minutes)
    flow_http = FlowHttpClient(
        settings.flow_http_allowed_networks, settings.flow_http_max_response_bytes
    )
    message_queue = MessageQueue(clock, send_deadline)
    queue_routing = QueueRouting(clock, message_queue)
    distribution = DistributionWorker(
        database,
        Distributor(unit_of_work, clock, queue_routing),
        clock,
        poll_seconds=settings.distribution_poll_seconds,
    )
    queue_routing.on_work(distribution.wake)
    flow_runner = FlowRunner(unit_of_work, clock, message_queue, flow_http, queues=queue_routing)
    flow_timers = FlowTimers(
        database, flow_runner, clock, poll_seconds=settings.flow_timer_poll_seconds
    )
    flow_runner.on_http_requested(flow_timers.wake)
    messaging = MessagingService(
        unit_of_work, clock, send_deadline, template_listener=flow_runner, work=queue_routing
    )
    numbers = NumberService(
        unit_of_work,
        secrets,
        clock,
        graph,
        WebhookDefaults(
            app_secret=bool(settings.whatsapp_app_secret),
            verify_token=bool(settings.whatsapp_verify_token),
        ),
    )
    maintenance = MaintenanceWorker(
        database,
        clock,
        settings.event_retention,
        settings.maintenance_interval_seconds,
        webhook_retention=timedelta(days=settings.webhook_retention_days),
    )
    intent_models = LoadedIntentModels(unit_of_work)
    signals = SignalWorker(
        database,
        SignalScorer(unit_of_work, clock, flow_runner, intent_models=intent_models),
        clock,
        batch_size=settings.signals_batch_size,
        poll_seconds=settings.signals_poll_seconds,
    )
    intent_training = IntentTrainingWorker(
        database,
        IntentTrainer(unit_of_work, clock),
        clock,
        poll_seconds=settings.intents_poll_seconds,
    )
    mailer = SmtpMailer(settings)
    notifications = NotificationWorker(
        database,
        Notifier(unit_of_work, clock, email_digests=mailer.configured),
        OverdueWaits(unit_of_work, clock),
        clock,
        poll_seconds=settings.notifications_poll_seconds,
    )
    publisher.wakes(notifications, when=may_notify)
    push_keys = WebPushKeys(database, secrets, clock, settings.vapid_private_key)
    push = PushSender(
        database,
        push_keys,
        clock,
        subject=settings.vapid_subject or settings.public_url or DEFAULT_VAPID_SUBJECT,
        timeout_seconds=settings.push_timeout_seconds,
        poll_seconds=settings.push_poll_seconds,
    )
    publisher.wakes(push, when=may_push)
    email_digests = (
        EmailDigestWorker(
            database,
            EmailDigests(unit_of_work, clock, mailer, settings.public_url),
            clock,
            wait=timedelta(minutes=settings.notifications_email_digest_minutes),
            poll_seconds=settings.email_digest_poll_seconds,
        )
        if mailer.configured
        else None
    )
    deliveries = DeliveryProcessor(
        database,
        InboundService(unit_of_work, clock, flow_runner),
        clock,
        poll_seconds=settings.webhook_poll_seconds,
        on_applied=signals.wake,
    )
    webhook = WhatsAppWebhook(
        database,
        WebhookCredentials(
            unit_of_work,
            secrets,
            clock,
            app_secret=settings.whatsapp_app_secret,
            verify_token=settings.whatsapp_verify_token,
        ),
        clock,
        on_stored=deliveries.wake,
    )
    # Trial numbers talk to the simulator built into this process instead of Meta.
    trial_secret = derive_key(settings.required_secret_key, "trial-app-secret").hex()
    trial = (
        TrialSimulator(trial_secret, webhook, settings.whatsapp_graph_version)
        if settings.trial_mode_enabled
        else None
    )
    if trial is not None:
        graph.route_trials_to(trial.graph)
    services = Services(
        accounts=accounts,
        numbers=numbers,
        templates=TemplateService(unit_of_work, secrets, graph, clock),
        messaging=messaging,
        conversations=ConversationReader(unit_of_work),
        conversation_actions=ConversationService(unit_of_work, clock, messaging, queue_routing),
        event_stream=EventStream(unit_of_work, bus),
        clock=clock,
        flows=FlowService(unit_of_work, clock, intent_models),
        flow_activity=FlowActivity(unit_of_work, clock),
        queues=QueueService(unit_of_work, clock, queue_routing),
        invitations=InvitationService(
            unit_of_work,
            accounts,
            mailer,
            clock,
            lifetime=timedelta(days=settings.invitation_days),
            public_url=settings.public_url,
        ),
        onboarding=OnboardingService(unit_of_work, numbers, clock),
        ai=AiService(unit_of_work, clock),
        intents=IntentService(unit_of_work, clock, on_queued=intent_training.wake),
        replies=RepliesService(unit_of_work, clock),
        notifications=NotificationService(
            unit_of_work,
            clock,
            push_keys,
            Channels(email=mailer.configured, push_over_http=settings.push_allow_http),
        ),
        trial=TrialService(unit_of_work, numbers, trial, trial_secret, clock),
        public_url=settings.public_url,
    )
    sender = OutboundSender(
        database,
        SenderService(
            unit_of_work,
            secrets,
            graph,
            clock,
            RetryPolicy(
                base_seconds=settings.whatsapp_retry_base_seconds,
                pair_base_seconds=settings.whatsapp_retry_base_seconds,
            ),
        ),
        clock,
        max_in_flight=settings.whatsapp_max_sends_in_flight,
    )
    return Runtime(
        settings,
        clock,
        database,
        bus,
        unit_of_work,
        services,
        maintenance,
        webhook,
        deliveries,
        graph,
        messaging,
        sender,
        flow_runner,
        flow_timers,
        flow_http,
        distribution,
        SnoozeWorker(
            database,
            services.conversation_actions,
            clock,
            poll_seconds=settings.snooze_poll_seconds,
        ),
        signals,
        intent_training,
        notifications,
        push,
        email_digests,
        WorkerHealth(),
        principals,
        trial,
    )


class PyTakeApp(Starlette):
    """Starlette, with GraphQL's WebSockets handed straight to the GraphQL view.

    A WebSocket holds every ASGI frame it passed through for as long as it stays open, and
    the middleware and router frames (about 4 kB) were a tenth of an idle subscription's
    memory while doing nothing for it: the body cap and the error pages are HTTP's."""

    def __init__(self, graphql_socket: ASGIApp, **options: Any) -> None:
        super().__init__(**options)
        self._graphql_socket = graphql_socket

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == GRAPHQL_PATH:
            scope["app"] = self
            await self._graphql_socket(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings, clock: Clock | None = None) -> Starlette:
    runtime = build_runtime(settings, clock)
    settings = runtime.settings
    schema = build_schema(
        SchemaLimits(
            max_depth=settings.graphql_max_depth,
            max_aliases=settings.graphql_max_aliases,
            max_tokens=settings.graphql_max_tokens,
            introspection=settings.introspection_enabled,
        )
    )
    graphql = GraphQLView(
        schema,
        runtime.services,
        graphiql=graphiql_page() if settings.graphiql_enabled else None,
        trusted_proxies=settings.trusted_proxies,
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
        connection_init_timeout=timedelta(seconds=settings.connection_init_timeout_seconds),
    )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with runtime.started():
            if settings.run_workers_in_process:
                async with runtime.working():
                    yield
            else:
                yield

    app = PyTakeApp(
        graphql,
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", Readiness(runtime.database, runtime.bus, runtime.worker_health).check),
            Route(GRAPHQL_PATH, graphql, methods=["GET", "POST"]),
            Route(WEBHOOK_PATH, runtime.webhook.handshake, methods=["GET"]),
            Route(WEBHOOK_PATH, runtime.webhook.deliver, methods=["POST"]),
            Route(
                MEDIA_PATH,
                MediaDownloads(
                    runtime.services.accounts,
                    MediaService(runtime.unit_of_work, SecretBox(settings.required_secret_key)),
                    runtime.graph,
                ).download,
                methods=["GET"],
            ),
            *console_routes(),
        ],
        middleware=[
            Middleware(
                BodySizeLimit,
                max_bytes=settings.graphql_max_body_bytes,
                per_path={WEBHOOK_PATH: settings.whatsapp_webhook_max_bytes},
            )
        ],
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    return app


def app_from_environment() -> Starlette:
    """The uvicorn factory used by `pytake serve`, so each worker process builds its own app."""
    app = create_app(load_settings())
    settle_for_serving()
    return app
