// Every node type PyTake runs (domain/flows/model.py), with the settings its form edits and the
// ways out it has. A node's `data` is stored exactly as PyTake reads it, so a flow drawn here
// and one written through the API are the same document.

export const NODE_TYPES = [
  "trigger_universal",
  "trigger_keyword",
  "trigger_template",
  "logic_window_check",
  "logic_condition",
  "logic_business_hours",
  "logic_sentiment",
  "logic_intent",
  "msg_text",
  "msg_template",
  "msg_interactive",
  "msg_media",
  "input_question",
  "action_set_variable",
  "action_http_request",
  "action_transfer_to_queue",
  "action_add_label",
  "action_end",
] as const;

export type NodeType = (typeof NODE_TYPES)[number];
export type NodeData = Record<string, unknown>;
export type FlowKind = "UNIVERSAL" | "KEYWORD" | "TEMPLATE";

export const TRIGGER_OF_KIND: Record<FlowKind, NodeType> = {
  UNIVERSAL: "trigger_universal",
  KEYWORD: "trigger_keyword",
  TEMPLATE: "trigger_template",
};

export function isNodeType(value: unknown): value is NodeType {
  return typeof value === "string" && (NODE_TYPES as readonly string[]).includes(value);
}

export function isTrigger(type: NodeType): boolean {
  return type.startsWith("trigger_");
}

export type Field =
  | { key: string; kind: "text"; required?: boolean; multiline?: boolean; check?: "variable" | "url" }
  | { key: string; kind: "select"; options: readonly string[]; fallback: string }
  | { key: string; kind: "integer"; min: number; max: number; required?: boolean }
  | { key: string; kind: "number"; min: number; max: number }
  | { key: string; kind: "checkbox" }
  | { key: string; kind: "list"; required?: boolean }
  | { key: string; kind: "map" }
  | { key: string; kind: "choices" }
  | { key: string; kind: "template"; required?: boolean }
  | { key: string; kind: "queue" }
  | { key: string; kind: "weekly" };

export type Category = "trigger" | "logic" | "message" | "input" | "action";

interface NodeSpec {
  category: Category;
  fields: readonly Field[];
  defaults: NodeData;
}

const MATCHES = ["exact", "contains", "starts_with", "regex"] as const;
const OPERATORS = [
  "equals",
  "not_equals",
  "contains",
  "starts_with",
  "greater_than",
  "less_than",
  "is_empty",
  "is_not_empty",
  "matches",
] as const;
const ANSWERS = ["text", "number", "email", "phone", "date", "option"] as const;
const MEDIA = ["image", "video", "audio", "document", "sticker"] as const;
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const FALLBACKS = ["abandon", "overflow", "return_to_flow"] as const;
const WEEK_MINUTES = 7 * 24 * 60;

export const WEEKDAYS = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;

export const NODE_SPECS: Record<NodeType, NodeSpec> = {
  trigger_universal: { category: "trigger", fields: [], defaults: {} },
  trigger_keyword: {
    category: "trigger",
    fields: [
      { key: "keywords", kind: "list", required: true },
      { key: "match", kind: "select", options: MATCHES, fallback: "exact" },
    ],
    defaults: { keywords: [], match: "exact" },
  },
  trigger_template: {
    category: "trigger",
    fields: [
      { key: "template", kind: "text", required: true },
      { key: "payloads", kind: "list" },
    ],
    defaults: { template: "", payloads: [] },
  },
  logic_window_check: { category: "logic", fields: [], defaults: {} },
  logic_condition: {
    category: "logic",
    fields: [
      { key: "subject", kind: "text", required: true },
      { key: "operator", kind: "select", options: OPERATORS, fallback: "equals" },
      { key: "value", kind: "text" },
    ],
    defaults: { subject: "message.text", operator: "equals", value: "" },
  },
  logic_business_hours: {
    category: "logic",
    fields: [
      { key: "timeZone", kind: "text", required: true },
      { key: "weekly", kind: "weekly" },
      { key: "holidays", kind: "list" },
    ],
    defaults: {
      timeZone: "America/Sao_Paulo",
      weekly: Object.fromEntries(WEEKDAYS.slice(0, 5).map((day) => [day, [["09:00", "18:00"]]])),
      holidays: [],
    },
  },
  logic_sentiment: {
    category: "logic",
    fields: [{ key: "waitSeconds", kind: "integer", min: 1, max: 30 }],
    defaults: { waitSeconds: 5 },
  },
  logic_intent: {
    category: "logic",
    fields: [
      { key: "intents", kind: "list", required: true },
      { key: "minConfidence", kind: "number", min: 0, max: 1 },
      { key: "waitSeconds", kind: "integer", min: 1, max: 30 },
    ],
    defaults: { intents: [], minConfidence: 0.6, waitSeconds: 5 },
  },
  msg_text: {
    category: "message",
    fields: [
      { key: "text", kind: "text", required: true, multiline: true },
      { key: "previewUrl", kind: "checkbox" },
      { key: "fallbackTemplate", kind: "template" },
    ],
    defaults: { text: "" },
  },
  msg_template: {
    category: "message",
    fields: [{ key: "template", kind: "template", required: true }],
    defaults: { template: { name: "", language: "", parameters: [] } },
  },
  msg_interactive: {
    category: "message",
    fields: [
      { key: "body", kind: "text", required: true, multiline: true },
      { key: "choices", kind: "choices" },
      { key: "listButton", kind: "text" },
      { key: "header", kind: "text" },
      { key: "footer", kind: "text" },
      { key: "fallbackTemplate", kind: "template" },
    ],
    defaults: { body: "", choices: [{ id: "yes", title: "Yes" }] },
  },
  msg_media: {
    category: "message",
    fields: [
      { key: "kind", kind: "select", options: MEDIA, fallback: "image" },
      { key: "link", kind: "text", check: "url" },
      { key: "mediaId", kind: "text" },
      { key: "caption", kind: "text", multiline: true },
      { key: "filename", kind: "text" },
    ],
    defaults: { kind: "image", link: "" },
  },
  input_question: {
    category: "input",
    fields: [
      { key: "text", kind: "text", required: true, multiline: true },
      { key: "variable", kind: "text", required: true, check: "variable" },
      { key: "answer", kind: "select", options: ANSWERS, fallback: "text" },
      { key: "options", kind: "list" },
      { key: "maxAttempts", kind: "integer", min: 1, max: 10 },
      { key: "invalidMessage", kind: "text", multiline: true },
      { key: "timeoutMinutes", kind: "integer", min: 1, max: WEEK_MINUTES },
    ],
    defaults: { text: "", variable: "", answer: "text" },
  },
  action_set_variable: {
    category: "action",
    fields: [
      { key: "variable", kind: "text", required: true, check: "variable" },
      { key: "value", kind: "text" },
    ],
    defaults: { variable: "", value: "" },
  },
  action_http_request: {
    category: "action",
    fields: [
      { key: "method", kind: "select", options: METHODS, fallback: "GET" },
      { key: "url", kind: "text", required: true, check: "url" },
      { key: "headers", kind: "map" },
      { key: "body", kind: "text", multiline: true },
      { key: "timeoutSeconds", kind: "number", min: 0.1, max: 30 },
      { key: "responseVariables", kind: "map" },
    ],
    defaults: { method: "GET", url: "https://" },
  },
  action_transfer_to_queue: {
    category: "action",
    fields: [
      { key: "queueId", kind: "queue" },
      { key: "priority", kind: "integer", min: 0, max: 2 },
      { key: "message", kind: "text", multiline: true },
      { key: "waitTimeoutMinutes", kind: "integer", min: 1, max: WEEK_MINUTES },
      { key: "fallbackAction", kind: "select", options: FALLBACKS, fallback: "abandon" },
    ],
    defaults: { queueId: "", priority: 0 },
  },
  action_add_label: {
    category: "action",
    fields: [{ key: "label", kind: "text", required: true }],
    defaults: { label: "" },
  },
  action_end: { category: "action", fields: [], defaults: {} },
};

export const OUT = "out";

export interface Way {
  /** The handle's id, as an edge's sourceHandle names it. */
  id: string;
  /** A choice's title, for ways named by the customer's choices. */
  title?: string;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v !== "") : [];
}

export function choicesOf(data: NodeData): { id: string; title: string; description?: string }[] {
  const value = data.choices;
  if (!Array.isArray(value)) return [];
  return value.filter(
    (choice): choice is { id: string; title: string; description?: string } =>
      typeof choice === "object" && choice !== null && typeof (choice as { id?: unknown }).id === "string",
  );
}

/** The ways out of a node, as PyTake's `Node.handles` names them. */
export function waysOf(type: NodeType, data: NodeData): Way[] {
  switch (type) {
    case "trigger_template":
      return [{ id: OUT }, ...strings(data.payloads).map((id) => ({ id }))];
    case "logic_window_check":
    case "logic_business_hours":
      return [{ id: "open" }, { id: "closed" }];
    case "logic_condition":
      return [{ id: "true" }, { id: "false" }];
    case "logic_sentiment":
      return [{ id: "negative" }, { id: "neutral" }, { id: "positive" }];
    case "logic_intent":
      return [...strings(data.intents).map((id) => ({ id, title: id })), { id: "unsure" }];
    case "msg_interactive":
      return [
        ...choicesOf(data)
          .filter((choice) => choice.id)
          .map((choice) => ({ id: choice.id, title: choice.title })),
        { id: "other" },
      ];
    case "input_question":
      return [{ id: OUT }, { id: "invalid" }, { id: "timeout" }];
    case "action_http_request":
      return [{ id: "success" }, { id: "failure" }];
    case "action_transfer_to_queue":
    case "action_end":
      return [];
    default:
      return [{ id: OUT }];
  }
}

export type Check =
  | { key: "check.required" }
  | { key: "check.range"; min: number; max: number }
  | { key: "check.variable" }
  | { key: "check.url" }
  | { key: "check.interval"; day: string }
  | { key: "check.uniqueChoices" };

const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const INTERVAL = /^([01]\d|2[0-3]):[0-5]\d$/;

/** What is wrong with a field's value as it is typed, before PyTake is asked; PyTake's own
 * validation (flowValidate) has the last word. */
export function checkField(field: Field, value: unknown): Check | null {
  const empty = value === undefined || value === null || value === "";
  switch (field.kind) {
    case "text":
      if (field.required && (typeof value !== "string" || !value.trim())) return { key: "check.required" };
      if (empty) return null;
      if (field.check === "variable" && !VARIABLE.test(String(value))) return { key: "check.variable" };
      if (field.check === "url" && !/^https?:\/\/\S+$/.test(String(value))) return { key: "check.url" };
      return null;
    case "integer":
    case "number": {
      if (empty) return field.kind === "integer" && field.required ? { key: "check.required" } : null;
      const number = Number(value);
      const whole = field.kind === "number" || Number.isInteger(number);
      if (!Number.isFinite(number) || !whole || number < field.min || number > field.max) {
        return { key: "check.range", min: field.min, max: field.max };
      }
      return null;
    }
    case "list":
      return field.required && strings(value).length === 0 ? { key: "check.required" } : null;
    case "choices": {
      const ids = choicesOf({ choices: value }).map((choice) => choice.id);
      if (ids.length === 0 || ids.some((id) => !id)) return { key: "check.required" };
      return new Set(ids).size === ids.length ? null : { key: "check.uniqueChoices" };
    }
    case "template": {
      const name = typeof value === "object" && value !== null ? (value as { name?: unknown }).name : undefined;
      return field.required && !name ? { key: "check.required" } : null;
    }
    case "queue":
      return empty ? { key: "check.required" } : null;
    case "weekly": {
      const weekly = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
      for (const [day, intervals] of Object.entries(weekly)) {
        const fine =
          Array.isArray(intervals) &&
          intervals.every(
            (pair) =>
              Array.isArray(pair) &&
              pair.length === 2 &&
              pair.every((part) => typeof part === "string" && INTERVAL.test(part)) &&
              pair[0] < pair[1],
          );
        if (!fine) return { key: "check.interval", day };
      }
      return null;
    }
    default:
      return null;
  }
}

/** A one-line account of a node's settings for its card on the canvas. */
export function summaryOf(type: NodeType, data: NodeData): string {
  const text = (key: string) => (typeof data[key] === "string" ? (data[key] as string) : "");
  switch (type) {
    case "trigger_keyword":
      return strings(data.keywords).join(", ");
    case "trigger_template":
      return text("template");
    case "logic_condition":
      return `${text("subject")} ${text("operator")} ${text("value")}`.trim();
    case "logic_business_hours":
      return text("timeZone");
    case "msg_text":
    case "input_question":
      return text("text");
    case "msg_interactive":
      return text("body");
    case "msg_template": {
      const template = data.template as { name?: string } | undefined;
      return template?.name ?? "";
    }
    case "msg_media":
      return text("caption") || text("link") || text("mediaId");
    case "action_set_variable":
      return `${text("variable")} = ${text("value")}`;
    case "action_http_request":
      return `${text("method") || "GET"} ${text("url")}`;
    case "action_add_label":
      return text("label");
    default:
      return "";
  }
}
