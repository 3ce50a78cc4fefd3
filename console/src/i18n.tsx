// The console speaks Portuguese (Brazil) and English: chosen from the browser, switchable, and
// remembered. Every text has both translations, or the build fails.
import { createContext, type ReactNode, useContext, useMemo, useState } from "react";

const en = {
  "app.name": "PyTake",
  "signIn.title": "Sign in to PyTake",
  "signIn.email": "Email",
  "signIn.password": "Password",
  "signIn.submit": "Sign in",
  "signIn.busy": "Signing in…",
  "signIn.credentials": "That email and password do not match an account.",
  "signIn.deactivated": "This account was deactivated. Ask an administrator.",
  "signIn.rateLimited": "Too many attempts. Try again in {seconds} s.",
  "signIn.unreachable": "PyTake could not be reached. Check the connection and try again.",
  "shell.signOut": "Sign out",
  "shell.language": "Language",
  "shell.inbox": "Inbox",
  "shell.queues": "Queues",
  "shell.navigation": "Main",
  "shell.status": "My status",
  "connection.live": "Live",
  "connection.connecting": "Connecting…",
  "connection.interrupted": "Live updates interrupted: reconnecting",
  "status.ONLINE": "Online",
  "status.BUSY": "Busy",
  "status.AWAY": "Away",
  "status.BREAK": "On a break",
  "status.OFFLINE": "Offline",
  "role.OWNER": "Owner",
  "role.ADMIN": "Administrator",
  "role.SUPERVISOR": "Supervisor",
  "role.AGENT": "Agent",
  "inbox.conversations": "Conversations",
  "inbox.search": "Search by name, number or message",
  "inbox.filter.status": "Status",
  "inbox.filter.assignee": "Assigned",
  "inbox.filter.queue": "Queue",
  "inbox.filter.unread": "Unread only",
  "inbox.filter.all": "All",
  "inbox.filter.mine": "Mine",
  "inbox.filter.unassigned": "Unassigned",
  "inbox.empty": "No conversations match.",
  "inbox.loading": "Loading…",
  "inbox.pick": "Pick a conversation on the left.",
  "inbox.unread": "{count} unread",
  "inbox.assigned": "A conversation was assigned to you",
  "conversation.status.OPEN": "Open",
  "conversation.status.PENDING": "Pending",
  "conversation.status.RESOLVED": "Resolved",
  "conversation.status.CLOSED": "Closed",
  "conversation.windowOpen": "Window open until {time}",
  "conversation.windowClosed": "24-hour window closed: only approved templates can be sent",
  "conversation.older": "Load older messages",
  "conversation.messages": "Messages",
  "conversation.typing": "Another agent is typing…",
  "conversation.unknownContact": "Unknown contact",
  "composer.placeholder": "Write a reply",
  "composer.send": "Send",
  "composer.label": "Reply",
  "composer.template": "Template",
  "composer.templateParameter": "Parameter {index}",
  "composer.sendTemplate": "Send template",
  "composer.noTemplates": "No approved template: the customer has to write first.",
  "composer.failed": "Not sent: {reason}",
  "message.status.PENDING": "Queued",
  "message.status.SENT": "Sent",
  "message.status.DELIVERED": "Delivered",
  "message.status.READ": "Read",
  "message.status.PLAYED": "Played",
  "message.status.FAILED": "Failed",
  "message.deleted": "This message was deleted",
  "message.edited": "edited",
  "message.unsupported": "A message PyTake cannot show ({type})",
  "message.location": "Location",
  "message.contacts": "Shared contacts",
  "message.order": "Order",
  "message.download": "Download {name}",
  "message.media": "Media",
  "message.reacted": "Reacted {emoji}",
  "message.template": "Template {name}",
  "message.callPermission": "Call permission: {answer}",
  "message.yes": "granted",
  "message.no": "refused",
  "message.forwarded": "Forwarded",
  "message.automation": "Automation",
  "queues.title": "Queues",
  "queues.none": "No queue yet: create one in GraphiQL with queueCreate, or from a flow template.",
  "queues.waitingCount": "{count} waiting",
  "queues.someone": "Someone",
  "queues.agents": "Agents",
  "queues.noAgents": "No agent serves this queue yet.",
  "queues.load": "{load} of {capacity}",
  "queues.figures.waiting": "Waiting now",
  "queues.figures.longestWait": "Longest wait",
  "queues.figures.entries": "Entered today",
  "queues.figures.assigned": "Assigned today",
  "queues.figures.gaveUp": "Gave up today",
  "queues.figures.averageWait": "Average wait",
  "queues.figures.inTarget": "Answered within {seconds} s",
  "queues.column.waiting": "Waiting",
  "queues.column.serving": "In progress",
  "queues.column.recent": "Recent",
  "queues.position": "#{position}",
  "queues.waited": "waiting {time}",
  "queues.handling": "for {time}",
  "queues.priority.normal": "Normal",
  "queues.priority.high": "High",
  "queues.priority.urgent": "Urgent",
  "queues.kind.ENTERED": "Entered",
  "queues.kind.ASSIGNED": "Assigned",
  "queues.kind.REASSIGNED": "Reassigned",
  "queues.kind.TRANSFERRED": "Transferred",
  "queues.kind.COMPLETED": "Completed",
  "queues.kind.ABANDONED": "Abandoned",
  "queues.kind.TIMED_OUT": "Timed out",
  "queues.assign": "Assign",
  "queues.assignTo": "Assign to",
  "queues.transfer": "Transfer",
  "queues.transferTo": "Transfer to",
  "queues.toQueue": "Queue {name}",
  "queues.toAgent": "Agent {name}",
  "queues.complete": "Complete",
  "queues.abandon": "Abandon",
  "queues.cancel": "Cancel",
  "queues.failed": "PyTake refused: try again.",
} as const;

export type MessageKey = keyof typeof en;
type Dictionary = Record<MessageKey, string>;

const ptBR: Dictionary = {
  "app.name": "PyTake",
  "signIn.title": "Entrar no PyTake",
  "signIn.email": "E-mail",
  "signIn.password": "Senha",
  "signIn.submit": "Entrar",
  "signIn.busy": "Entrando…",
  "signIn.credentials": "E-mail e senha não correspondem a uma conta.",
  "signIn.deactivated": "Esta conta foi desativada. Fale com um administrador.",
  "signIn.rateLimited": "Muitas tentativas. Tente de novo em {seconds} s.",
  "signIn.unreachable": "Não foi possível falar com o PyTake. Verifique a conexão e tente de novo.",
  "shell.signOut": "Sair",
  "shell.language": "Idioma",
  "shell.inbox": "Caixa de entrada",
  "shell.queues": "Filas",
  "shell.navigation": "Principal",
  "shell.status": "Meu status",
  "connection.live": "Ao vivo",
  "connection.connecting": "Conectando…",
  "connection.interrupted": "Atualizações ao vivo interrompidas: reconectando",
  "status.ONLINE": "Disponível",
  "status.BUSY": "Ocupado",
  "status.AWAY": "Ausente",
  "status.BREAK": "Em pausa",
  "status.OFFLINE": "Offline",
  "role.OWNER": "Proprietário",
  "role.ADMIN": "Administrador",
  "role.SUPERVISOR": "Supervisor",
  "role.AGENT": "Atendente",
  "inbox.conversations": "Conversas",
  "inbox.search": "Buscar por nome, número ou mensagem",
  "inbox.filter.status": "Status",
  "inbox.filter.assignee": "Atribuídas",
  "inbox.filter.queue": "Fila",
  "inbox.filter.unread": "Só não lidas",
  "inbox.filter.all": "Todas",
  "inbox.filter.mine": "Minhas",
  "inbox.filter.unassigned": "Sem atendente",
  "inbox.empty": "Nenhuma conversa encontrada.",
  "inbox.loading": "Carregando…",
  "inbox.pick": "Escolha uma conversa à esquerda.",
  "inbox.unread": "{count} não lidas",
  "inbox.assigned": "Uma conversa foi atribuída a você",
  "conversation.status.OPEN": "Aberta",
  "conversation.status.PENDING": "Pendente",
  "conversation.status.RESOLVED": "Resolvida",
  "conversation.status.CLOSED": "Encerrada",
  "conversation.windowOpen": "Janela aberta até {time}",
  "conversation.windowClosed": "Janela de 24 horas fechada: só modelos aprovados podem ser enviados",
  "conversation.older": "Carregar mensagens anteriores",
  "conversation.messages": "Mensagens",
  "conversation.typing": "Outro atendente está digitando…",
  "conversation.unknownContact": "Contato desconhecido",
  "composer.placeholder": "Escreva uma resposta",
  "composer.send": "Enviar",
  "composer.label": "Resposta",
  "composer.template": "Modelo",
  "composer.templateParameter": "Parâmetro {index}",
  "composer.sendTemplate": "Enviar modelo",
  "composer.noTemplates": "Nenhum modelo aprovado: o cliente precisa escrever primeiro.",
  "composer.failed": "Não enviada: {reason}",
  "message.status.PENDING": "Na fila",
  "message.status.SENT": "Enviada",
  "message.status.DELIVERED": "Entregue",
  "message.status.READ": "Lida",
  "message.status.PLAYED": "Reproduzida",
  "message.status.FAILED": "Falhou",
  "message.deleted": "Esta mensagem foi apagada",
  "message.edited": "editada",
  "message.unsupported": "Uma mensagem que o PyTake não consegue mostrar ({type})",
  "message.location": "Localização",
  "message.contacts": "Contatos compartilhados",
  "message.order": "Pedido",
  "message.download": "Baixar {name}",
  "message.media": "Mídia",
  "message.reacted": "Reagiu {emoji}",
  "message.template": "Modelo {name}",
  "message.callPermission": "Permissão de chamada: {answer}",
  "message.yes": "concedida",
  "message.no": "recusada",
  "message.forwarded": "Encaminhada",
  "message.automation": "Automação",
  "queues.title": "Filas",
  "queues.none": "Nenhuma fila ainda: crie uma no GraphiQL com queueCreate, ou a partir de um modelo de fluxo.",
  "queues.waitingCount": "{count} aguardando",
  "queues.someone": "Alguém",
  "queues.agents": "Atendentes",
  "queues.noAgents": "Nenhum atendente serve esta fila ainda.",
  "queues.load": "{load} de {capacity}",
  "queues.figures.waiting": "Aguardando agora",
  "queues.figures.longestWait": "Maior espera",
  "queues.figures.entries": "Entradas hoje",
  "queues.figures.assigned": "Atribuídas hoje",
  "queues.figures.gaveUp": "Desistências hoje",
  "queues.figures.averageWait": "Espera média",
  "queues.figures.inTarget": "Atendidas em até {seconds} s",
  "queues.column.waiting": "Aguardando",
  "queues.column.serving": "Em atendimento",
  "queues.column.recent": "Recentes",
  "queues.position": "#{position}",
  "queues.waited": "aguardando há {time}",
  "queues.handling": "há {time}",
  "queues.priority.normal": "Normal",
  "queues.priority.high": "Alta",
  "queues.priority.urgent": "Urgente",
  "queues.kind.ENTERED": "Entrou",
  "queues.kind.ASSIGNED": "Atribuída",
  "queues.kind.REASSIGNED": "Reatribuída",
  "queues.kind.TRANSFERRED": "Transferida",
  "queues.kind.COMPLETED": "Concluída",
  "queues.kind.ABANDONED": "Abandonada",
  "queues.kind.TIMED_OUT": "Tempo esgotado",
  "queues.assign": "Atribuir",
  "queues.assignTo": "Atribuir a",
  "queues.transfer": "Transferir",
  "queues.transferTo": "Transferir para",
  "queues.toQueue": "Fila {name}",
  "queues.toAgent": "Atendente {name}",
  "queues.complete": "Concluir",
  "queues.abandon": "Abandonar",
  "queues.cancel": "Cancelar",
  "queues.failed": "O PyTake recusou: tente de novo.",
};

export type Locale = "pt-BR" | "en";
export const LOCALES: readonly Locale[] = ["pt-BR", "en"];
const DICTIONARIES: Record<Locale, Dictionary> = { "pt-BR": ptBR, en };
const STORAGE_KEY = "pytake.locale";

/** The stored choice, else the browser's first Portuguese or English preference, else English. */
export function preferredLocale(
  stored: string | null,
  browser: readonly string[] = navigator.languages,
): Locale {
  if (stored === "pt-BR" || stored === "en") return stored;
  for (const tag of browser) {
    const language = tag.toLowerCase().split("-")[0];
    if (language === "pt") return "pt-BR";
    if (language === "en") return "en";
  }
  return "en";
}

export function translate(
  locale: Locale,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  return DICTIONARIES[locale][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(values[name] ?? `{${name}}`),
  );
}

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, values?: Record<string, string | number>): string;
  time(iso: string): string;
  dateTime(iso: string): string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() =>
    preferredLocale(localStorage.getItem(STORAGE_KEY)),
  );
  const value = useMemo<I18n>(() => {
    // The browser's own time zone: agents see the times where they are.
    const time = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short" });
    document.documentElement.lang = locale;
    return {
      locale,
      setLocale(next) {
        localStorage.setItem(STORAGE_KEY, next);
        setLocaleState(next);
      },
      t: (key, values) => translate(locale, key, values),
      time: (iso) => time.format(new Date(iso)),
      dateTime: (iso) => dateTime.format(new Date(iso)),
    };
  }, [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
