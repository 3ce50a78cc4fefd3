"""A flow as the visual editor draws it: React Flow nodes and edges, each node's `data` typed.

`parse_flow` reads the editor's JSON (nodes with id, type, position, data; edges with id,
source, target, sourceHandle) into typed nodes, and reports every field it cannot read as a
problem naming the node, so that an editor can point at it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any, TypeVar
from uuid import UUID

from domain.ai.intents import INTENT_NAME, UNSURE
from domain.flows.patterns import found, pattern_problem
from domain.schedules import FallbackAction, OpeningHours, parse_opening_hours

DEFAULT_EXPIRY_MINUTES = 10
MAX_QUESTION_ATTEMPTS = 10
MAX_HTTP_TIMEOUT_SECONDS = 30


class FlowKind(StrEnum):
    UNIVERSAL = "universal"
    """Answers any message on its numbers, at most once per session expiry."""
    KEYWORD = "keyword"
    """Starts when a message matches one of its keywords, replacing any other session."""
    TEMPLATE = "template"
    """Continues a template the business sent, from the customer's quick replies."""


class NodeType(StrEnum):
    TRIGGER_UNIVERSAL = "trigger_universal"
    TRIGGER_KEYWORD = "trigger_keyword"
    TRIGGER_TEMPLATE = "trigger_template"
    WINDOW_CHECK = "logic_window_check"
    CONDITION = "logic_condition"
    BUSINESS_HOURS = "logic_business_hours"
    SENTIMENT = "logic_sentiment"
    INTENT = "logic_intent"
    TEXT = "msg_text"
    TEMPLATE = "msg_template"
    INTERACTIVE = "msg_interactive"
    MEDIA = "msg_media"
    QUESTION = "input_question"
    SET_VARIABLE = "action_set_variable"
    HTTP_REQUEST = "action_http_request"
    TRANSFER = "action_transfer_to_queue"
    ADD_LABEL = "action_add_label"
    END = "action_end"


TRIGGER_OF_KIND = {
    FlowKind.UNIVERSAL: NodeType.TRIGGER_UNIVERSAL,
    FlowKind.KEYWORD: NodeType.TRIGGER_KEYWORD,
    FlowKind.TEMPLATE: NodeType.TRIGGER_TEMPLATE,
}
TRIGGERS = frozenset(TRIGGER_OF_KIND.values())


class KeywordMatch(StrEnum):
    EXACT = "exact"
    CONTAINS = "contains"
    STARTS_WITH = "starts_with"
    REGEX = "regex"


class Operator(StrEnum):
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    CONTAINS = "contains"
    STARTS_WITH = "starts_with"
    GREATER_THAN = "greater_than"
    LESS_THAN = "less_than"
    IS_EMPTY = "is_empty"
    IS_NOT_EMPTY = "is_not_empty"
    MATCHES = "matches"


class AnswerKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    EMAIL = "email"
    PHONE = "phone"
    DATE = "date"
    OPTION = "option"


def normalize(text: str) -> str:
    """Case- and accent-insensitive form: "AJUDA", "Ajuda" and "ajúda" are all "ajuda"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


@dataclass(frozen=True)
class TemplateRef:
    name: str
    language: str
    parameters: tuple[str, ...] = ()
    """Body parameters in order; `{{vars.x}}` and `{{contact.name}}` are filled in."""


@dataclass(frozen=True)
class Choice:
    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class UniversalTrigger:
    pass


@dataclass(frozen=True)
class KeywordTrigger:
    keywords: tuple[str, ...]
    match: KeywordMatch = KeywordMatch.EXACT

    def matches(self, text: str) -> bool:
        said = normalize(text)
        if not said:
            return False
        for keyword in self.keywords:
            wanted = normalize(keyword)
            if self.match is KeywordMatch.EXACT and said == wanted:
                return True
            if self.match is KeywordMatch.CONTAINS and wanted in said:
                return True
            if self.match is KeywordMatch.STARTS_WITH and said.startswith(wanted):
                return True
            if self.match is KeywordMatch.REGEX and found(keyword, said):
                return True
        return False


@dataclass(frozen=True)
class TemplateTrigger:
    template: str
    """The name of the template whose sending starts a session."""
    payloads: tuple[str, ...] = ()
    """The quick-reply payloads that continue it; each is a branch (handle) of the trigger."""


@dataclass(frozen=True)
class WindowCheck:
    pass


@dataclass(frozen=True)
class SentimentBranch:
    """Goes on by the customer's sentiment in the message that brought the run here, read by
    the signals worker after the commit (decision 0028); waits for it up to `wait_seconds`,
    then goes on by "neutral"."""

    wait_seconds: int = 5


SENTIMENT_WAYS = ("negative", "neutral", "positive")
MAX_SENTIMENT_WAIT_SECONDS = 30


@dataclass(frozen=True)
class IntentBranch:
    """Goes on by what the customer wants in the message that brought the run here, as the
    organization's intent model reads it after the commit: one way per intent listed, and
    "unsure" when the model's confidence is below `min_confidence`, the intent is not listed,
    no model is trained, or nothing is read within `wait_seconds`."""

    intents: tuple[str, ...]
    min_confidence: float = 0.6
    wait_seconds: int = 5

    def way(self, intent: str | None, confidence: float) -> str:
        if intent in self.intents and confidence >= self.min_confidence:
            return intent
        return UNSURE


MAX_INTENT_WAYS = 20


@dataclass(frozen=True)
class Condition:
    subject: str
    """`vars.<name>`, `contact.name`, `contact.phone` or `message.text`."""
    operator: Operator
    value: str = ""


@dataclass(frozen=True)
class SendText:
    text: str
    preview_url: bool = False
    fallback_template: TemplateRef | None = None
    """Sent instead when the 24-hour window is closed."""


@dataclass(frozen=True)
class SendTemplate:
    template: TemplateRef


@dataclass(frozen=True)
class SendInteractive:
    body: str
    choices: tuple[Choice, ...]
    list_button: str | None = None
    """Set for a list message (up to 10 rows); reply buttons (up to 3) otherwise."""
    header: str | None = None
    footer: str | None = None
    fallback_template: TemplateRef | None = None


@dataclass(frozen=True)
class SendMedia:
    kind: str
    link: str | None = None
    media_id: str | None = None
    caption: str | None = None
    filename: str | None = None


@dataclass(frozen=True)
class Question:
    text: str
    variable: str
    answer: AnswerKind = AnswerKind.TEXT
    options: tuple[str, ...] = ()
    max_attempts: int = 3
    invalid_message: str = "Sorry, I did not understand that. Please try again."
    timeout_minutes: int | None = None


@dataclass(frozen=True)
class SetVariable:
    variable: str
    value: str


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None
    timeout_seconds: float = 10.0
    response_variables: Mapping[str, str] = field(default_factory=dict)
    """Variable name to a dotted path into the JSON response (`order.status`, `items.0.name`)."""


@dataclass(frozen=True)
class Transfer:
    queue_id: str
    priority: int = 0
    message: str | None = None
    wait_timeout_minutes: int | None = None
    fallback_action: FallbackAction = FallbackAction.ABANDON


@dataclass(frozen=True)
class AddLabel:
    label: str


@dataclass(frozen=True)
class End:
    pass


NodeData = (
    UniversalTrigger
    | KeywordTrigger
    | TemplateTrigger
    | WindowCheck
    | SentimentBranch
    | IntentBranch
    | Condition
    | OpeningHours
    | SendText
    | SendTemplate
    | SendInteractive
    | SendMedia
    | Question
    | SetVariable
    | HttpRequest
    | Transfer
    | AddLabel
    | End
)

OUT = "out"
"""The handle of a node's single way on; React Flow sends it as a null sourceHandle."""


@dataclass(frozen=True)
class Node:
    id: str
    type: NodeType
    data: NodeData
    position: tuple[float, float] = (0.0, 0.0)

    @property
    def handles(self) -> tuple[str, ...]:
        """The ways out of this node, as edges name them in `sourceHandle`."""
        data = self.data
        match data:
            case TemplateTrigger():
                return (OUT, *data.payloads)
            case WindowCheck():
                return ("open", "closed")
            case SentimentBranch():
                return SENTIMENT_WAYS
            case IntentBranch():
                return (*data.intents, UNSURE)
            case Condition():
                return ("true", "false")
            case OpeningHours():
                return ("open", "closed")
            case SendInteractive():
                return (*(choice.id for choice in data.choices), "other")
            case Question():
                return (OUT, "invalid", "timeout")
            case HttpRequest():
                return ("success", "failure")
            case Transfer() | End():
                return ()
            case _:
                return (OUT,)

    @property
    def required_handles(self) -> tuple[str, ...]:
        """Ways out that must lead somewhere; the others end the session when taken."""
        data = self.data
        match data:
            case (
                WindowCheck()
                | SentimentBranch()
                | IntentBranch()
                | Condition()
                | OpeningHours()
                | HttpRequest()
            ):
                return self.handles
            case SendInteractive():
                return tuple(choice.id for choice in data.choices)
            case UniversalTrigger() | KeywordTrigger() | TemplateTrigger() | Question():
                return (OUT,)
            case _:
                return ()

    @property
    def waits(self) -> bool:
        """Whether the session stops here for the customer (or a timer) before going on."""
        return isinstance(self.data, Question | SendInteractive | TemplateTrigger)


@dataclass(frozen=True)
class Edge:
    id: str
    source: str
    target: str
    handle: str = OUT


@dataclass(frozen=True)
class Problem:
    """Something that keeps a flow from being published, with the node it concerns."""

    code: str
    message: str
    node_id: str | None = None


@dataclass(frozen=True)
class FlowGraph:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    @cached_property
    def _by_id(self) -> dict[str, Node]:
        return {node.id: node for node in self.nodes}

    @cached_property
    def _ways(self) -> dict[tuple[str, str], str]:
        ways: dict[tuple[str, str], str] = {}
        for edge in self.edges:
            ways.setdefault((edge.source, edge.handle), edge.target)
        return ways

    def node(self, node_id: str) -> Node | None:
        return self._by_id.get(node_id)

    def next(self, node_id: str, handle: str = OUT) -> str | None:
        """Where a way out leads; of two edges from one way (a validation problem), the first."""
        return self._ways.get((node_id, handle))

    @property
    def triggers(self) -> list[Node]:
        return [node for node in self.nodes if node.type in TRIGGERS]


@dataclass(frozen=True)
class ParsedFlow:
    graph: FlowGraph
    problems: tuple[Problem, ...]


Choosable = TypeVar("Choosable", bound=StrEnum)


class _Fields:
    """Reads one node's `data`, recording a problem for each field it cannot use."""

    def __init__(self, node_id: str, data: Mapping[str, Any], problems: list[Problem]) -> None:
        self._node = node_id
        self._data = data
        self._problems = problems

    def problem(self, key: str, message: str) -> None:
        self._problems.append(Problem("INVALID_NODE_DATA", f"{key}: {message}", self._node))

    def text(self, key: str, default: str | None = None) -> str:
        value = self._data.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if value is None and default is not None:
            return default
        self.problem(key, "must be a non-empty string")
        return default or ""

    def optional_text(self, key: str) -> str | None:
        value = self._data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value
        self.problem(key, "must be a string")
        return None

    def integer(self, key: str, default: int | None, low: int, high: int) -> int | None:
        value = self._data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(key, f"must be a whole number from {low} to {high}")
            return default
        return value

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self._data.get(key)
        if value is None:
            return default
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            self.problem(key, f"must be a number from {low:g} to {high:g}")
            return default
        return float(value)

    def strings(self, key: str, required: bool = False) -> tuple[str, ...]:
        value = self._data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problem(key, "must be a list of non-empty strings")
            return ()
        if required and not value:
            self.problem(key, "must not be empty")
        return tuple(value)

    def mapping(self, key: str) -> dict[str, str]:
        value = self._data.get(key, {})
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            self.problem(key, "must be an object of strings")
            return {}
        return dict(value)

    def choice(
        self, key: str, kind: type[Choosable], default: Choosable | None = None
    ) -> Choosable:
        value = self._data.get(key)
        if value is None and default is not None:
            return default
        try:
            return kind(str(value))
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            self.problem(key, f"must be one of {allowed}")
            return default if default is not None else next(iter(kind))

    def template(self, key: str) -> TemplateRef | None:
        value = self._data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(key, "must be an object with name, language and parameters")
            return None
        nested = _Fields(self._node, value, self._problems)
        return TemplateRef(
            name=nested.text("name"),
            language=nested.text("language", "en_US"),
            parameters=nested.strings("parameters"),
        )

    def choices(self, key: str) -> tuple[Choice, ...]:
        value = self._data.get(key)
        if not isinstance(value, list) or not value:
            self.problem(key, "must be a non-empty list of {id, title}")
            return ()
        choices = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.problem(f"{key}[{index}]", "must be an object with id and title")
                continue
            nested = _Fields(self._node, item, self._problems)
            choices.append(
                Choice(
                    id=nested.text("id"),
                    title=nested.text("title"),
                    description=nested.optional_text("description"),
                )
            )
        ids = [choice.id for choice in choices]
        if len(set(ids)) != len(ids):
            self.problem(key, "choice ids must be unique")
        return tuple(choices)


def _opening_hours(fields: _Fields, data: Mapping[str, Any]) -> OpeningHours:
    hours, problems = parse_opening_hours(data)
    for problem in problems:
        fields.problem(problem.key, problem.message)
    return hours


def _intent_branch(fields: _Fields) -> IntentBranch:
    intents = fields.strings("intents", required=True)
    if len(intents) > MAX_INTENT_WAYS:
        fields.problem("intents", f"at most {MAX_INTENT_WAYS} intents")
    for name in intents:
        if name == UNSURE:
            fields.problem("intents", f"'{UNSURE}' is always a way; it is not an intent")
        elif not INTENT_NAME.fullmatch(name):
            fields.problem("intents", f"'{name}' is not an intent name")
    if len(set(intents)) != len(intents):
        fields.problem("intents", "each intent once")
    wait = fields.integer("waitSeconds", 5, 1, MAX_SENTIMENT_WAIT_SECONDS)
    return IntentBranch(
        intents,
        fields.number("minConfidence", 0.6, 0.0, 1.0),
        wait if wait is not None else 5,
    )


def _node_data(kind: NodeType, fields: _Fields, data: Mapping[str, Any]) -> NodeData:
    match kind:
        case NodeType.TRIGGER_UNIVERSAL:
            return UniversalTrigger()
        case NodeType.TRIGGER_KEYWORD:
            trigger = KeywordTrigger(
                fields.strings("keywords", required=True),
                fields.choice("match", KeywordMatch, KeywordMatch.EXACT),
            )
            if trigger.match is KeywordMatch.REGEX:
                for pattern in trigger.keywords:
                    problem = pattern_problem(pattern)
                    if problem is not None:
                        fields.problem("keywords", problem)
            return trigger
        case NodeType.TRIGGER_TEMPLATE:
            return TemplateTrigger(fields.text("template"), fields.strings("payloads"))
        case NodeType.WINDOW_CHECK:
            return WindowCheck()
        case NodeType.SENTIMENT:
            wait = fields.integer("waitSeconds", 5, 1, MAX_SENTIMENT_WAIT_SECONDS)
            return SentimentBranch(wait if wait is not None else 5)
        case NodeType.INTENT:
            return _intent_branch(fields)
        case NodeType.CONDITION:
            condition = Condition(
                fields.text("subject"),
                fields.choice("operator", Operator),
                fields.optional_text("value") or "",
            )
            if condition.operator is Operator.MATCHES and "{{" not in condition.value:
                problem = pattern_problem(condition.value)
                if problem is not None:
                    fields.problem("value", problem)
            return condition
        case NodeType.BUSINESS_HOURS:
            return _opening_hours(fields, data)
        case NodeType.TEXT:
            return SendText(
                fields.text("text"),
                bool(data.get("previewUrl", False)),
                fields.template("fallbackTemplate"),
            )
        case NodeType.TEMPLATE:
            return SendTemplate(
                fields.template("template") or TemplateRef(fields.text("template"), "")
            )
        case NodeType.INTERACTIVE:
            return SendInteractive(
                body=fields.text("body"),
                choices=fields.choices("choices"),
                list_button=fields.optional_text("listButton"),
                header=fields.optional_text("header"),
                footer=fields.optional_text("footer"),
                fallback_template=fields.template("fallbackTemplate"),
            )
        case NodeType.MEDIA:
            media = SendMedia(
                kind=fields.text("kind"),
                link=fields.optional_text("link"),
                media_id=fields.optional_text("mediaId"),
                caption=fields.optional_text("caption"),
                filename=fields.optional_text("filename"),
            )
            if (media.link is None) == (media.media_id is None):
                fields.problem("link", "give exactly one of link and mediaId")
            return media
        case NodeType.QUESTION:
            question = Question(
                text=fields.text("text"),
                variable=_variable_name(fields, "variable"),
                answer=fields.choice("answer", AnswerKind, AnswerKind.TEXT),
                options=fields.strings("options"),
                max_attempts=fields.integer("maxAttempts", 3, 1, MAX_QUESTION_ATTEMPTS) or 3,
                invalid_message=fields.text("invalidMessage", Question.invalid_message),
                timeout_minutes=fields.integer("timeoutMinutes", None, 1, 7 * 24 * 60),
            )
            if question.answer is AnswerKind.OPTION and not question.options:
                fields.problem("options", "an option answer needs the options to choose from")
            return question
        case NodeType.SET_VARIABLE:
            return SetVariable(
                _variable_name(fields, "variable"), fields.optional_text("value") or ""
            )
        case NodeType.HTTP_REQUEST:
            method = fields.text("method", "GET").upper()
            if method not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                fields.problem("method", "must be GET, POST, PUT, PATCH or DELETE")
            url = fields.text("url")
            if not url.startswith(("http://", "https://")):
                fields.problem("url", "must be an http:// or https:// URL")
            return HttpRequest(
                method=method,
                url=url,
                headers=fields.mapping("headers"),
                body=fields.optional_text("body"),
                timeout_seconds=fields.number(
                    "timeoutSeconds", 10.0, 0.1, MAX_HTTP_TIMEOUT_SECONDS
                ),
                response_variables=fields.mapping("responseVariables"),
            )
        case NodeType.TRANSFER:
            return Transfer(
                queue_id=fields.text("queueId"),
                priority=fields.integer("priority", 0, 0, 2) or 0,
                message=fields.optional_text("message"),
                wait_timeout_minutes=fields.integer("waitTimeoutMinutes", None, 1, 7 * 24 * 60),
                fallback_action=fields.choice(
                    "fallbackAction", FallbackAction, FallbackAction.ABANDON
                ),
            )
        case NodeType.ADD_LABEL:
            return AddLabel(fields.text("label"))
        case NodeType.END:
            return End()


VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def _variable_name(fields: _Fields, key: str) -> str:
    name = fields.text(key)
    if name and not VARIABLE_NAME.match(name):
        fields.problem(key, f"'{name}' is not a variable name (letters, digits and _)")
    return name


def parse_flow(document: Mapping[str, Any]) -> ParsedFlow:
    """The editor's `{nodes, edges}` as a typed graph, and what could not be read."""
    problems: list[Problem] = []
    nodes: list[Node] = []
    raw_nodes = document.get("nodes", [])
    raw_edges = document.get("edges", [])
    if not isinstance(raw_nodes, list) or not isinstance(raw_edges, list):
        problems.append(Problem("INVALID_GRAPH", "a flow needs `nodes` and `edges` lists"))
        return ParsedFlow(FlowGraph((), ()), tuple(problems))
    seen: set[str] = set()
    for index, raw in enumerate(raw_nodes):
        node_id = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(node_id, str) or not node_id:
            problems.append(Problem("INVALID_NODE", f"nodes[{index}] has no id"))
            continue
        if node_id in seen:
            problems.append(
                Problem("DUPLICATE_NODE", f"two nodes have the id '{node_id}'", node_id)
            )
            continue
        seen.add(node_id)
        try:
            kind = NodeType(raw.get("type"))
        except ValueError:
            problems.append(
                Problem("UNKNOWN_NODE_TYPE", f"'{raw.get('type')}' is not a node type", node_id)
            )
            continue
        data = raw.get("data") or {}
        if not isinstance(data, dict):
            problems.append(Problem("INVALID_NODE_DATA", "data must be an object", node_id))
            data = {}
        position = raw.get("position") or {}
        x, y = (
            (position.get("x", 0), position.get("y", 0)) if isinstance(position, dict) else (0, 0)
        )
        fields = _Fields(node_id, data, problems)
        nodes.append(
            Node(
                node_id,
                kind,
                _node_data(kind, fields, data),
                (
                    float(x) if isinstance(x, int | float) else 0.0,
                    float(y) if isinstance(y, int | float) else 0.0,
                ),
            )
        )
    edges: list[Edge] = []
    for index, raw in enumerate(raw_edges):
        if not isinstance(raw, dict):
            problems.append(Problem("INVALID_EDGE", f"edges[{index}] is not an object"))
            continue
        source, target = raw.get("source"), raw.get("target")
        if not isinstance(source, str) or not isinstance(target, str):
            problems.append(Problem("INVALID_EDGE", f"edges[{index}] needs a source and a target"))
            continue
        handle = raw.get("sourceHandle")
        edges.append(
            Edge(
                str(raw.get("id") or f"{source}-{target}"),
                source,
                target,
                handle if isinstance(handle, str) and handle else OUT,
            )
        )
    return ParsedFlow(FlowGraph(tuple(nodes), tuple(edges)), tuple(problems))


class FlowStatus(StrEnum):
    DRAFT = "draft"
    """Never published: it answers nobody yet."""
    PUBLISHED = "published"
    """Its latest published version runs; later edits wait in the draft."""
    ARCHIVED = "archived"
    """Retired: it starts no session; sessions already running finish."""


@dataclass(frozen=True)
class Flow:
    id: UUID
    organization_id: UUID
    name: str
    kind: FlowKind
    number_ids: tuple[UUID, ...]
    """The WhatsApp numbers it runs on."""
    expiry_minutes: int
    draft: Mapping[str, Any]
    """The editor's document as last saved."""
    published_version: int | None
    created_at: datetime
    updated_at: datetime
    draft_updated_at: datetime
    published_at: datetime | None = None
    archived_at: datetime | None = None

    @property
    def status(self) -> FlowStatus:
        if self.archived_at is not None:
            return FlowStatus.ARCHIVED
        return FlowStatus.DRAFT if self.published_version is None else FlowStatus.PUBLISHED

    @property
    def has_unpublished_changes(self) -> bool:
        return self.published_at is None or self.draft_updated_at > self.published_at

    @property
    def expiry(self) -> timedelta:
        return timedelta(minutes=self.expiry_minutes)


@dataclass(frozen=True)
class FlowVersion:
    """A published graph, frozen: sessions run on the version they started with."""

    flow_id: UUID
    version: int
    document: Mapping[str, Any]
    published_at: datetime
    published_by: UUID | None


@dataclass(frozen=True)
class RunnableFlow:
    """A published flow as the runner needs it to answer on a number."""

    flow_id: UUID
    kind: FlowKind
    version: int
    expiry_minutes: int


@dataclass(frozen=True)
class FlowFilter:
    kind: FlowKind | None = None
    status: FlowStatus | None = None
    number_id: UUID | None = None
    search: str | None = None
