"""Ready-made flows an organization copies and adapts: each is the editor's document, in the
organization's language, handing customers to the queue chosen when the flows are fetched;
valid as shipped except for what only the organization knows (its order API, its hours)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.flows.model import FlowKind
from domain.languages import DEFAULT_LANGUAGE
from domain.segments import SEGMENTS

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "welcome.name": "Welcome menu",
        "welcome.description": "Greets a customer by name and offers three choices: opening "
        "hours, talking to an agent, or leaving a message that is labelled for follow-up.",
        "welcome.greeting": "Hi {{contact.name}}! How can we help you today?",
        "welcome.hours": "Opening hours",
        "welcome.agent": "Talk to an agent",
        "welcome.message": "Leave a message",
        "welcome.hours_text": "We are open Monday to Friday, 9:00 to 18:00.",
        "welcome.connecting": "Connecting you to an agent; please hold on.",
        "welcome.ask": "Please write your message and we will get back to you.",
        "welcome.label": "follow-up",
        "welcome.thanks": "Thank you! We will reply soon.",
        "hours.name": "Opening hours",
        "hours.description": "Answers inside opening hours with a hand-off to agents and "
        "outside them with the hours and a promise to answer; set the time zone, week and "
        "holidays.",
        "hours.open": "Hello {{contact.name}}! An agent will be with you shortly.",
        "hours.closed": "We are closed now (Monday to Friday, 9:00 to 18:00). We will answer "
        "as soon as we open.",
        "triage.name": "Support triage",
        "triage.description": "Started by the keyword 'help' (or 'ajuda', 'ayuda'): asks what "
        "the problem is about, records it and transfers to the right queue, urgent problems "
        "first.",
        "triage.topic": "What is your problem about?",
        "triage.choose": "Choose a topic",
        "triage.billing": "Billing",
        "triage.billing_detail": "Invoices, payments",
        "triage.technical": "Technical",
        "triage.technical_detail": "Something broke",
        "triage.outage": "Service down",
        "triage.outage_detail": "Nothing works",
        "triage.urgent": "We are on it: an agent will take this first.",
        "triage.describe": "In a few words, what happened?",
        "triage.thanks": "Thanks! An agent will continue from here.",
        "order.name": "Order status lookup",
        "order.description": "Started by the keyword 'order' (or 'pedido'): asks for the order "
        "number, looks it up over HTTP and answers with its status; set the URL and key of your "
        "order API.",
        "order.ask": "What is your order number?",
        "order.invalid": "Please send only the digits of your order number.",
        "order.found": "Order {{vars.order}} is {{vars.status}}; expected on {{vars.eta}}.",
        "order.failed": "Sorry, we could not find order {{vars.order}} right now. Please try "
        "again later.",
        "segment.ask_done": "Thank you! An agent will continue from here.",
        "retail.name": "Store: orders, products and people",
        "retail.description": "For shops: a welcome menu to track an order (asks its number and "
        "hands over with it), see products and prices, or talk to a salesperson.",
        "retail.greeting": "Hi {{contact.name}}! Welcome to our store. What would you like to do?",
        "retail.ask": "Track my order",
        "retail.ask_text": "What is your order number?",
        "retail.info": "Products & prices",
        "retail.info_text": "See our catalogue and prices at https://shop.example.com "
        "(replace with your own link).",
        "retail.agent": "Talk to a seller",
        "retail.agent_text": "A salesperson will be with you shortly.",
        "retail.label": "order",
        "services.name": "Services: bookings and quotes",
        "services.description": "For service businesses: book a visit (asks the preferred day "
        "and hands over), see prices, or talk to someone.",
        "services.greeting": "Hi {{contact.name}}! How can we help?",
        "services.ask": "Book a service",
        "services.ask_text": "Which day suits you? (for example 2026-12-15)",
        "services.info": "Prices",
        "services.info_text": "Our price list is at https://services.example.com/prices "
        "(replace with your own link).",
        "services.agent": "Talk to us",
        "services.agent_text": "Someone from our team will be with you shortly.",
        "services.label": "booking",
        "health.name": "Clinic: appointments and directions",
        "health.description": "For clinics and practices: book an appointment (asks the "
        "preferred day and hands over), opening hours and address, or what to do in an "
        "emergency.",
        "health.greeting": "Hello {{contact.name}}, this is the clinic. How can we help?",
        "health.ask": "Book appointment",
        "health.ask_text": "Which day would you prefer? (for example 2026-12-15)",
        "health.info": "Hours & address",
        "health.info_text": "We are open Monday to Friday, 8:00 to 18:00, at 100 Main Street "
        "(replace with your own).",
        "health.agent": "Emergency",
        "health.agent_text": "In an emergency, call your local emergency number now. This "
        "chat is not watched around the clock.",
        "health.label": "appointment",
        "education.name": "School: enrolment and courses",
        "education.description": "For schools and courses: start an enrolment (asks the "
        "student's name and hands over to the office), see the courses, or talk to the office.",
        "education.greeting": "Hi {{contact.name}}! Welcome. What are you looking for?",
        "education.ask": "Enrol",
        "education.ask_text": "What is the student's full name?",
        "education.info": "Courses",
        "education.info_text": "See our courses and timetables at https://school.example.com "
        "(replace with your own link).",
        "education.agent": "Talk to the office",
        "education.agent_text": "The office will answer you shortly.",
        "education.label": "enrolment",
        "restaurants.name": "Restaurant: menu, delivery and hours",
        "restaurants.description": "For restaurants: see the menu, order for delivery (asks the "
        "address and hands over to take the order), or opening hours.",
        "restaurants.greeting": "Hi {{contact.name}}! Hungry? What would you like?",
        "restaurants.ask": "Order for delivery",
        "restaurants.ask_text": "What is the delivery address?",
        "restaurants.info": "See the menu",
        "restaurants.info_text": "Our menu is at https://restaurant.example.com/menu "
        "(replace with your own link).",
        "restaurants.agent": "Opening hours",
        "restaurants.agent_text": "We are open every day from 11:00 to 23:00.",
        "restaurants.label": "delivery",
    },
    "pt-BR": {
        "welcome.name": "Menu de boas-vindas",
        "welcome.description": "Cumprimenta o cliente pelo nome e oferece três opções: horário "
        "de atendimento, falar com um atendente ou deixar um recado, marcado para retorno.",
        "welcome.greeting": "Olá, {{contact.name}}! Como podemos ajudar?",
        "welcome.hours": "Horário",
        "welcome.agent": "Falar com atendente",
        "welcome.message": "Deixar recado",
        "welcome.hours_text": "Atendemos de segunda a sexta, das 9h às 18h.",
        "welcome.connecting": "Estamos chamando um atendente; aguarde um instante.",
        "welcome.ask": "Escreva seu recado e retornaremos em breve.",
        "welcome.label": "retorno",
        "welcome.thanks": "Obrigado! Responderemos em breve.",
        "hours.name": "Horário de atendimento",
        "hours.description": "Dentro do horário, passa o cliente a um atendente; fora dele, "
        "informa o horário e promete retorno. Ajuste o fuso, a semana e os feriados.",
        "hours.open": "Olá, {{contact.name}}! Um atendente já vai falar com você.",
        "hours.closed": "Estamos fechados agora (segunda a sexta, das 9h às 18h). "
        "Responderemos assim que abrirmos.",
        "triage.name": "Triagem de suporte",
        "triage.description": "Começa com a palavra 'ajuda' (ou 'help', 'ayuda'): pergunta o "
        "assunto, registra o problema e transfere para a fila, urgências primeiro.",
        "triage.topic": "Qual é o assunto do seu problema?",
        "triage.choose": "Escolha um assunto",
        "triage.billing": "Financeiro",
        "triage.billing_detail": "Boletos, pagamentos",
        "triage.technical": "Técnico",
        "triage.technical_detail": "Algo parou de funcionar",
        "triage.outage": "Serviço fora do ar",
        "triage.outage_detail": "Nada funciona",
        "triage.urgent": "Já estamos cuidando: um atendente vai priorizar seu caso.",
        "triage.describe": "Em poucas palavras, o que aconteceu?",
        "triage.thanks": "Obrigado! Um atendente vai continuar daqui.",
        "order.name": "Consulta de pedido",
        "order.description": "Começa com a palavra 'pedido' (ou 'order'): pede o número do "
        "pedido, consulta por HTTP e responde com a situação. Ajuste a URL e a chave da sua "
        "API de pedidos.",
        "order.ask": "Qual é o número do seu pedido?",
        "order.invalid": "Envie só os números do seu pedido, por favor.",
        "order.found": "O pedido {{vars.order}} está {{vars.status}}; previsão: {{vars.eta}}.",
        "order.failed": "Não conseguimos encontrar o pedido {{vars.order}} agora. Tente de novo "
        "mais tarde, por favor.",
        "segment.ask_done": "Obrigado! Um atendente vai continuar daqui.",
        "retail.name": "Loja: pedidos, produtos e atendimento",
        "retail.description": "Para lojas: menu de boas-vindas para acompanhar um pedido (pede "
        "o número e passa a um atendente), ver produtos e preços ou falar com um vendedor.",
        "retail.greeting": "Olá, {{contact.name}}! Bem-vindo(a) à nossa loja. O que você "
        "gostaria de fazer?",
        "retail.ask": "Acompanhar pedido",
        "retail.ask_text": "Qual é o número do seu pedido?",
        "retail.info": "Produtos e preços",
        "retail.info_text": "Veja nosso catálogo e preços em https://loja.exemplo.com.br "
        "(troque pelo seu link).",
        "retail.agent": "Falar com vendedor",
        "retail.agent_text": "Um vendedor já vai falar com você.",
        "retail.label": "pedido",
        "services.name": "Serviços: agendamentos e orçamentos",
        "services.description": "Para prestadores de serviço: agendar uma visita (pergunta o "
        "dia preferido e passa a um atendente), ver preços ou falar com a equipe.",
        "services.greeting": "Olá, {{contact.name}}! Como podemos ajudar?",
        "services.ask": "Agendar serviço",
        "services.ask_text": "Qual dia é melhor para você? (por exemplo 2026-12-15)",
        "services.info": "Preços",
        "services.info_text": "Nossa tabela de preços está em https://servicos.exemplo.com.br/"
        "precos (troque pelo seu link).",
        "services.agent": "Falar com a equipe",
        "services.agent_text": "Alguém da nossa equipe já vai falar com você.",
        "services.label": "agendamento",
        "health.name": "Clínica: consultas e localização",
        "health.description": "Para clínicas e consultórios: marcar consulta (pergunta o dia "
        "preferido e passa à recepção), horário e endereço, ou o que fazer numa emergência.",
        "health.greeting": "Olá, {{contact.name}}, aqui é a clínica. Como podemos ajudar?",
        "health.ask": "Marcar consulta",
        "health.ask_text": "Qual dia você prefere? (por exemplo 2026-12-15)",
        "health.info": "Horário e endereço",
        "health.info_text": "Atendemos de segunda a sexta, das 8h às 18h, na Rua Principal, "
        "100 (troque pelos seus dados).",
        "health.agent": "Emergência",
        "health.agent_text": "Em caso de emergência, ligue agora para o SAMU (192). Este chat "
        "não é acompanhado 24 horas.",
        "health.label": "consulta",
        "education.name": "Escola: matrículas e cursos",
        "education.description": "Para escolas e cursos: iniciar uma matrícula (pergunta o nome "
        "do aluno e passa à secretaria), ver os cursos ou falar com a secretaria.",
        "education.greeting": "Olá, {{contact.name}}! Seja bem-vindo(a). O que você procura?",
        "education.ask": "Fazer matrícula",
        "education.ask_text": "Qual é o nome completo do aluno?",
        "education.info": "Cursos",
        "education.info_text": "Veja nossos cursos e horários em https://escola.exemplo.com.br "
        "(troque pelo seu link).",
        "education.agent": "Falar com secretaria",
        "education.agent_text": "A secretaria já vai responder você.",
        "education.label": "matricula",
        "restaurants.name": "Restaurante: cardápio, entrega e horário",
        "restaurants.description": "Para restaurantes: ver o cardápio, pedir para entrega "
        "(pergunta o endereço e passa a um atendente para anotar o pedido) ou o horário.",
        "restaurants.greeting": "Olá, {{contact.name}}! Bateu a fome? O que você deseja?",
        "restaurants.ask": "Pedir para entrega",
        "restaurants.ask_text": "Qual é o endereço de entrega?",
        "restaurants.info": "Ver o cardápio",
        "restaurants.info_text": "Nosso cardápio está em https://restaurante.exemplo.com.br/"
        "cardapio (troque pelo seu link).",
        "restaurants.agent": "Horário",
        "restaurants.agent_text": "Abrimos todos os dias, das 11h às 23h.",
        "restaurants.label": "entrega",
    },
}


@dataclass(frozen=True)
class LibraryFlow:
    key: str
    name: str
    description: str
    kind: FlowKind
    document: Mapping[str, Any]
    language: str = DEFAULT_LANGUAGE
    segments: tuple[str, ...] = ()
    """The kinds of business it is made for; empty for every kind."""


def _node(node_id: str, node_type: str, x: int, y: int, **data: Any) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "position": {"x": x, "y": y}, "data": data}


def _edge(source: str, target: str, handle: str | None = None) -> dict[str, Any]:
    return {
        "id": f"{source}-{handle or 'out'}-{target}",
        "source": source,
        "target": target,
        "sourceHandle": handle,
    }


def _transfer(
    node_id: str, x: int, y: int, queue_id: str | None, message: str, **more: Any
) -> dict[str, Any]:
    """A hand-off to the queue chosen for the library; with none, the node names no queue and
    validation says so until one is picked in the editor."""
    queue = {"queueId": queue_id} if queue_id is not None else {}
    return _node(node_id, "action_transfer_to_queue", x, y, message=message, **queue, **more)


def _welcome_menu(t: Mapping[str, str], queue_id: str | None) -> tuple[str, dict[str, Any]]:
    return "welcome_menu", {
        "nodes": [
            _node("start", "trigger_universal", 0, 0),
            _node(
                "menu",
                "msg_interactive",
                0,
                120,
                body=t["welcome.greeting"],
                choices=[
                    {"id": "hours", "title": t["welcome.hours"]},
                    {"id": "agent", "title": t["welcome.agent"]},
                    {"id": "message", "title": t["welcome.message"]},
                ],
            ),
            _node("hours", "msg_text", -300, 280, text=t["welcome.hours_text"]),
            _transfer("agent", 0, 280, queue_id, t["welcome.connecting"], priority=0),
            _node(
                "ask",
                "input_question",
                300,
                280,
                text=t["welcome.ask"],
                variable="note",
                answer="text",
            ),
            _node("label", "action_add_label", 300, 420, label=t["welcome.label"]),
            _node("thanks", "msg_text", 300, 540, text=t["welcome.thanks"]),
        ],
        "edges": [
            _edge("start", "menu"),
            _edge("menu", "hours", "hours"),
            _edge("menu", "agent", "agent"),
            _edge("menu", "ask", "message"),
            _edge("ask", "label"),
            _edge("label", "thanks"),
        ],
    }


def _opening_hours(t: Mapping[str, str], queue_id: str | None) -> tuple[str, dict[str, Any]]:
    return "opening_hours", {
        "nodes": [
            _node("start", "trigger_universal", 0, 0),
            _node(
                "hours",
                "logic_business_hours",
                0,
                120,
                timeZone="America/Sao_Paulo",
                weekly={
                    day: [["09:00", "18:00"]]
                    for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
                },
                holidays=[],
            ),
            _transfer("open", -200, 280, queue_id, t["hours.open"]),
            _node("closed", "msg_text", 200, 280, text=t["hours.closed"]),
        ],
        "edges": [
            _edge("start", "hours"),
            _edge("hours", "open", "open"),
            _edge("hours", "closed", "closed"),
        ],
    }


def _support_triage(t: Mapping[str, str], queue_id: str | None) -> tuple[str, dict[str, Any]]:
    topics = ("billing", "technical", "outage")
    return "support_triage", {
        "nodes": [
            _node("start", "trigger_keyword", 0, 0, keywords=["help", "ajuda", "ayuda"]),
            _node(
                "topic",
                "msg_interactive",
                0,
                120,
                body=t["triage.topic"],
                listButton=t["triage.choose"],
                choices=[
                    {
                        "id": topic,
                        "title": t[f"triage.{topic}"],
                        "description": t[f"triage.{topic}_detail"],
                    }
                    for topic in topics
                ],
            ),
            _node("billing", "action_set_variable", -300, 280, variable="topic", value="billing"),
            _node("technical", "action_set_variable", 0, 280, variable="topic", value="technical"),
            _transfer("urgent", 300, 280, queue_id, t["triage.urgent"], priority=2),
            _node(
                "describe",
                "input_question",
                -150,
                420,
                text=t["triage.describe"],
                variable="problem",
                answer="text",
                timeoutMinutes=30,
            ),
            _node("tag", "action_add_label", -150, 540, label="{{vars.topic}}"),
            _transfer(
                "queue",
                -150,
                660,
                queue_id,
                t["triage.thanks"],
                priority=0,
                waitTimeoutMinutes=30,
                fallbackAction="abandon",
            ),
        ],
        "edges": [
            _edge("start", "topic"),
            _edge("topic", "billing", "billing"),
            _edge("topic", "technical", "technical"),
            _edge("topic", "urgent", "outage"),
            _edge("billing", "describe"),
            _edge("technical", "describe"),
            _edge("describe", "tag"),
            _edge("tag", "queue"),
        ],
    }


def _order_status(t: Mapping[str, str], _: str | None) -> tuple[str, dict[str, Any]]:
    return "order_status", {
        "nodes": [
            _node("start", "trigger_keyword", 0, 0, keywords=["order", "pedido"], match="contains"),
            _node(
                "number",
                "input_question",
                0,
                120,
                text=t["order.ask"],
                variable="order",
                answer="number",
                invalidMessage=t["order.invalid"],
            ),
            _node(
                "lookup",
                "action_http_request",
                0,
                240,
                method="GET",
                url="https://shop.example.com/api/orders/{{vars.order}}",
                headers={"Authorization": "Bearer YOUR-API-KEY"},
                timeoutSeconds=5,
                responseVariables={"status": "status", "eta": "delivery.estimate"},
            ),
            _node("found", "msg_text", -200, 380, text=t["order.found"]),
            _node("failed", "msg_text", 200, 380, text=t["order.failed"]),
        ],
        "edges": [
            _edge("start", "number"),
            _edge("number", "lookup"),
            _edge("lookup", "found", "success"),
            _edge("lookup", "failed", "failure"),
        ],
    }


PEOPLE_ANSWER = frozenset({"retail", "services", "education"})
"""Segments whose third choice hands the customer to people; the others answer it in text
(a clinic's emergency advice, a restaurant's hours)."""


def _segment_welcome(segment: str, t: Mapping[str, str], queue_id: str | None) -> dict[str, Any]:
    """A segment's welcome: a menu of three buttons; the first asks one question and hands
    the answer to people with a label, the second answers with information, the third hands
    over or answers (PEOPLE_ANSWER)."""
    third = (
        _transfer("third", 300, 280, queue_id, t[f"{segment}.agent_text"])
        if segment in PEOPLE_ANSWER
        else _node("third", "msg_text", 300, 280, text=t[f"{segment}.agent_text"])
    )
    return {
        "nodes": [
            _node("start", "trigger_universal", 0, 0),
            _node(
                "menu",
                "msg_interactive",
                0,
                120,
                body=t[f"{segment}.greeting"],
                choices=[
                    {"id": "ask", "title": t[f"{segment}.ask"]},
                    {"id": "info", "title": t[f"{segment}.info"]},
                    {"id": "third", "title": t[f"{segment}.agent"]},
                ],
            ),
            _node(
                "question",
                "input_question",
                -300,
                280,
                text=t[f"{segment}.ask_text"],
                variable="request",
                answer="text",
                timeoutMinutes=60,
            ),
            _node("label", "action_add_label", -300, 400, label=t[f"{segment}.label"]),
            _transfer("handoff", -300, 520, queue_id, t["segment.ask_done"]),
            _node("info", "msg_text", 0, 280, text=t[f"{segment}.info_text"], previewUrl=True),
            third,
        ],
        "edges": [
            _edge("start", "menu"),
            _edge("menu", "question", "ask"),
            _edge("menu", "info", "info"),
            _edge("menu", "third", "third"),
            _edge("question", "label"),
            _edge("label", "handoff"),
        ],
    }


BUILDERS = (
    (_welcome_menu, "welcome", FlowKind.UNIVERSAL),
    (_opening_hours, "hours", FlowKind.UNIVERSAL),
    (_support_triage, "triage", FlowKind.KEYWORD),
    (_order_status, "order", FlowKind.KEYWORD),
)


def ready_made(
    language: str, queue_id: str | None, segment: str | None = None
) -> tuple[LibraryFlow, ...]:
    """The library in this language (one of LANGUAGES), handing customers to this queue: the
    flows for every business, then each segment's welcome (only the given segment's, when one
    is given)."""
    texts = TEXTS[language]
    flows = []
    for build, prefix, kind in BUILDERS:
        key, document = build(texts, queue_id)
        flows.append(
            LibraryFlow(
                key=key,
                name=texts[f"{prefix}.name"],
                description=texts[f"{prefix}.description"],
                kind=kind,
                document=document,
                language=language,
            )
        )
    for each in SEGMENTS if segment is None else (segment,):
        flows.append(
            LibraryFlow(
                key=f"{each}_welcome",
                name=texts[f"{each}.name"],
                description=texts[f"{each}.description"],
                kind=FlowKind.UNIVERSAL,
                document=_segment_welcome(each, texts, queue_id),
                language=language,
                segments=(each,),
            )
        )
    return tuple(flows)
