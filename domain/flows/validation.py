"""Everything that keeps a flow from being published, each problem with the node it concerns:
no trigger, dangling edges, unreachable nodes, missing branches, loops that never wait for the
customer, Meta's limits on interactive messages, unknown variables and templates that are not
approved (or are given the wrong number of parameters)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from domain.errors import InvalidInput
from domain.flows.model import (
    TRIGGER_OF_KIND,
    Condition,
    FlowGraph,
    FlowKind,
    HttpRequest,
    Node,
    Problem,
    Question,
    SendInteractive,
    SendMedia,
    SendTemplate,
    SendText,
    SetVariable,
    TemplateRef,
    Transfer,
)
from domain.flows.variables import SUBJECT, referenced_variables, unknown_fields
from domain.whatsapp.outbound import (
    ListRow,
    ListSection,
    ReplyButton,
    buttons_payload,
    list_payload,
    media_payload,
)

SAMPLE_RECIPIENT = "15550001234"


@dataclass(frozen=True)
class Catalog:
    """What the organization has that a flow may refer to."""

    approved_templates: Mapping[tuple[str, str], int] = field(default_factory=dict)
    """(name, language) of each approved template to its number of body parameters."""
    queue_ids: frozenset[str] | None = None
    """The organization's queues; None when they are not checked."""


def validate(graph: FlowGraph, kind: FlowKind, catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    problems += _trigger_problems(graph, kind)
    problems += _edge_problems(graph)
    problems += _reachability_problems(graph)
    problems += _loop_problems(graph)
    for node in graph.nodes:
        problems += _node_problems(node, catalog)
    problems += _variable_problems(graph)
    return problems


def _trigger_problems(graph: FlowGraph, kind: FlowKind) -> list[Problem]:
    triggers = graph.triggers
    wanted = TRIGGER_OF_KIND[kind]
    if not triggers:
        return [Problem("NO_TRIGGER", f"a {kind} flow starts with a {wanted} node; add one")]
    problems = []
    if len(triggers) > 1:
        problems += [
            Problem("SEVERAL_TRIGGERS", "a flow has exactly one trigger", node.id)
            for node in triggers[1:]
        ]
    problems += [
        Problem(
            "WRONG_TRIGGER", f"a {kind} flow starts with a {wanted} node, not {node.type}", node.id
        )
        for node in triggers
        if node.type is not wanted
    ]
    return problems


def _edge_problems(graph: FlowGraph) -> list[Problem]:
    ids = {node.id for node in graph.nodes}
    problems = []
    taken: set[tuple[str, str]] = set()
    for edge in graph.edges:
        source = graph.node(edge.source)
        if source is None or edge.target not in ids:
            missing = edge.source if source is None else edge.target
            problems.append(
                Problem(
                    "DANGLING_EDGE", f"edge '{edge.id}' points at no node '{missing}'", edge.source
                )
            )
            continue
        if edge.handle not in source.handles:
            ways = ", ".join(source.handles) or "none"
            problems.append(
                Problem(
                    "DANGLING_EDGE",
                    f"edge '{edge.id}' leaves by '{edge.handle}', which {source.type} does not "
                    f"have (its ways out: {ways})",
                    source.id,
                )
            )
            continue
        if (edge.source, edge.handle) in taken:
            problems.append(
                Problem(
                    "AMBIGUOUS_BRANCH",
                    f"two edges leave by '{edge.handle}'; each way out leads to one node",
                    source.id,
                )
            )
        taken.add((edge.source, edge.handle))
    for node in graph.nodes:
        problems += [
            Problem("MISSING_BRANCH", f"the '{handle}' way out leads nowhere", node.id)
            for handle in node.required_handles
            if (node.id, handle) not in taken
        ]
    return problems


def _successors(graph: FlowGraph) -> dict[str, list[str]]:
    """Where each node's valid ways out lead; an edge the engine would never take is not one."""
    ids = {node.id for node in graph.nodes}
    handles = {node.id: node.handles for node in graph.nodes}
    following: dict[str, list[str]] = {node.id: [] for node in graph.nodes}
    for edge in graph.edges:
        if edge.target in ids and edge.handle in handles.get(edge.source, ()):
            following[edge.source].append(edge.target)
    return following


def _reachable(start: Iterable[str], following: Mapping[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    pending = list(start)
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        pending.extend(following.get(current, []))
    return seen


def _reachability_problems(graph: FlowGraph) -> list[Problem]:
    triggers = graph.triggers
    if not triggers:
        return []
    reached = _reachable((node.id for node in triggers), _successors(graph))
    return [
        Problem("UNREACHABLE", "no path from the trigger leads here", node.id)
        for node in graph.nodes
        if node.id not in reached
    ]


def _loop_problems(graph: FlowGraph) -> list[Problem]:
    """A cycle must pass through a node that waits for the customer, or it runs forever."""
    following = {
        source: [target for target in targets if not _waits(graph, target)]
        for source, targets in _successors(graph).items()
        if not _waits(graph, source)
    }
    problems = []
    for node_id, targets in following.items():
        if node_id in _reachable(targets, following):
            problems.append(
                Problem(
                    "LOOP_WITHOUT_WAIT",
                    "this node is on a loop that never waits for the customer (add a question "
                    "or an interactive message to it)",
                    node_id,
                )
            )
    return problems


def _waits(graph: FlowGraph, node_id: str) -> bool:
    node = graph.node(node_id)
    return node is not None and node.waits


def _limits(check: Callable[[], object]) -> str | None:
    try:
        check()
    except InvalidInput as error:
        return error.message
    return None


def _template_problems(node: Node, template: TemplateRef | None, catalog: Catalog) -> list[Problem]:
    if template is None:
        return []
    parameters = catalog.approved_templates.get((template.name, template.language))
    if parameters is None:
        return [
            Problem(
                "TEMPLATE_NOT_APPROVED",
                f"'{template.name}' ({template.language}) is not an approved template",
                node.id,
            )
        ]
    if parameters != len(template.parameters):
        return [
            Problem(
                "TEMPLATE_PARAMETERS",
                f"'{template.name}' takes {parameters} body parameters; "
                f"the node gives {len(template.parameters)}",
                node.id,
            )
        ]
    return []


def _node_problems(node: Node, catalog: Catalog) -> list[Problem]:
    data = node.data
    problems: list[Problem] = []
    limit: str | None = None
    match data:
        case SendText():
            problems += _template_problems(node, data.fallback_template, catalog)
        case SendTemplate():
            problems += _template_problems(node, data.template, catalog)
        case SendInteractive():
            problems += _template_problems(node, data.fallback_template, catalog)
            if data.list_button is None:
                buttons = [ReplyButton(c.id, c.title) for c in data.choices]
                limit = _limits(
                    lambda: buttons_payload(
                        SAMPLE_RECIPIENT, data.body, buttons, data.header, data.footer
                    )
                )
            else:
                button = data.list_button
                rows = [ListRow(c.id, c.title, c.description) for c in data.choices]
                limit = _limits(
                    lambda: list_payload(
                        SAMPLE_RECIPIENT,
                        data.body,
                        button,
                        [ListSection(None, rows)],
                        data.header,
                        data.footer,
                    )
                )
        case SendMedia():
            limit = _limits(
                lambda: media_payload(
                    SAMPLE_RECIPIENT,
                    data.kind,
                    data.media_id,
                    data.link,
                    data.caption,
                    data.filename,
                )
            )
        case Transfer():
            if catalog.queue_ids is not None and data.queue_id not in catalog.queue_ids:
                problems.append(
                    Problem("UNKNOWN_QUEUE", f"there is no queue '{data.queue_id}'", node.id)
                )
        case Condition():
            if SUBJECT.match(data.subject.strip()) is None:
                problems.append(
                    Problem(
                        "INVALID_NODE_DATA",
                        f"subject: '{data.subject}' is not vars.<name>, contact.name, "
                        "contact.phone or message.text",
                        node.id,
                    )
                )
        case _:
            pass
    if limit is not None:
        problems.append(Problem("META_LIMIT", limit, node.id))
    return problems


def _texts(node: Node) -> list[str]:
    """Every text of a node that placeholders may appear in."""
    data = node.data
    match data:
        case SendText():
            fallback = data.fallback_template.parameters if data.fallback_template else ()
            return [data.text, *fallback]
        case SendTemplate():
            return list(data.template.parameters)
        case SendInteractive():
            return [data.body]
        case SendMedia():
            return [data.caption or ""]
        case Question():
            return [data.text, data.invalid_message]
        case SetVariable():
            return [data.value]
        case HttpRequest():
            return [data.url, data.body or "", *data.headers.values()]
        case Transfer():
            return [data.message or ""]
        case Condition():
            return [data.value, "{{" + data.subject + "}}"]
        case _:
            return []


def assigned_variables(graph: FlowGraph) -> set[str]:
    assigned: set[str] = set()
    for node in graph.nodes:
        data = node.data
        if isinstance(data, SetVariable | Question):
            assigned.add(data.variable)
        elif isinstance(data, HttpRequest):
            assigned.update(data.response_variables)
    return assigned


def _variable_problems(graph: FlowGraph) -> list[Problem]:
    assigned = assigned_variables(graph)
    problems = []
    for node in graph.nodes:
        texts = _texts(node)
        for name in sorted(set().union(*(referenced_variables(t) for t in texts))):
            if name not in assigned:
                problems.append(
                    Problem(
                        "UNKNOWN_VARIABLE",
                        f"vars.{name} is never set: no question, set-variable or HTTP request "
                        "node assigns it",
                        node.id,
                    )
                )
        for unknown in sorted(set().union(*(unknown_fields(t) for t in texts))):
            problems.append(
                Problem(
                    "UNKNOWN_VARIABLE",
                    f"{unknown} is not a field (contact.name, contact.phone, message.text)",
                    node.id,
                )
            )
    return problems
