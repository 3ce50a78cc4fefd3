import { useEffect, useId, useState } from "react";
import type { ConsoleFlowCatalogQuery } from "../gql/graphql";
import {
  type Check,
  checkField,
  choicesOf,
  type Field,
  isNodeType,
  isTrigger,
  NODE_SPECS,
  OUT,
  WEEKDAYS,
  waysOf,
} from "./catalog";
import type { EditorNode, FlowProblem, Graph } from "./document";
import { useFlowText } from "./messages";

type Catalog = ConsoleFlowCatalogQuery;

interface Props {
  node: EditorNode;
  graph: Graph;
  catalog: Catalog | null;
  problems: FlowProblem[];
  onData(key: string, value: unknown): void;
  onWay(handle: string, target: string | null): void;
  onDelete(): void;
}

/** The selected node's settings, checked as they are typed, and where each of its ways out
 * leads (the keyboard's way to connect nodes). */
export function NodeForm({ node, graph, catalog, problems, onData, onWay, onDelete }: Props) {
  const { t, way, help } = useFlowText();
  if (!isNodeType(node.type)) {
    return <p className="problem">{t("form.unknownType", { type: String(node.type) })}</p>;
  }
  const spec = NODE_SPECS[node.type];
  const targets = graph.nodes.filter((n) => n.id !== node.id && !(isNodeType(n.type) && isTrigger(n.type)));
  return (
    <form className="node-form" onSubmit={(event) => event.preventDefault()} aria-labelledby="node-form-title">
      <h2 id="node-form-title">
        {t(`node.${node.type}`)} <span className="node-form__id">{node.id}</span>
      </h2>
      {problems.length > 0 && (
        <ul className="node-form__problems" aria-label={t("form.problems")}>
          {problems.map((problem, index) => (
            <li key={index} className="problem">
              {problem.message}
            </li>
          ))}
        </ul>
      )}
      {spec.fields.length === 0 && <p className="hint">{help(node.type)}</p>}
      {spec.fields.map((field) => (
        <FieldEditor
          key={field.key}
          field={field}
          value={node.data[field.key]}
          catalog={catalog}
          onChange={(value) => onData(field.key, value)}
        />
      ))}
      {waysOf(node.type, node.data).length > 0 && (
        <fieldset className="node-form__ways">
          <legend>{t("form.ways")}</legend>
          {waysOf(node.type, node.data).map((out) => {
            const edge = graph.edges.find((e) => e.source === node.id && (e.sourceHandle ?? OUT) === out.id);
            return (
              <label key={out.id}>
                {t("form.wayLeadsTo", { way: out.title ?? way(out.id) })}
                <select value={edge?.target ?? ""} onChange={(e) => onWay(out.id, e.target.value || null)}>
                  <option value="">{t("form.nowhere")}</option>
                  {targets.map((target) => (
                    <option key={target.id} value={target.id}>
                      {target.id}
                    </option>
                  ))}
                </select>
              </label>
            );
          })}
        </fieldset>
      )}
      <button type="button" className="danger" onClick={onDelete}>
        {t("form.delete")}
      </button>
    </form>
  );
}

function CheckMessage({ id, check }: { id: string; check: Check | null }) {
  const { t } = useFlowText();
  if (!check) return null;
  const { key, ...values } = check;
  return (
    <span id={id} className="field-check" role="alert">
      {t(key, values)}
    </span>
  );
}

/** Lines of text edited as they are typed (a trailing empty line included), read as a list. */
function useLines<T>(value: T, format: (value: T) => string, parse: (text: string) => T) {
  const [text, setText] = useState(() => format(value));
  useEffect(() => {
    // An undo or a paste changed the value underneath: show it.
    if (JSON.stringify(parse(text)) !== JSON.stringify(value)) setText(format(value));
  }, [value]);
  return [text, setText] as const;
}

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

function FieldEditor({
  field,
  value,
  catalog,
  onChange,
}: {
  field: Field;
  value: unknown;
  catalog: Catalog | null;
  onChange(value: unknown): void;
}) {
  const { t, option, field: fieldLabel } = useFlowText();
  const id = useId();
  const check = checkField(field, value);
  const described = check ? `${id}-check` : undefined;
  const label = fieldLabel(field.key);
  const common = {
    id,
    "aria-invalid": check ? true : undefined,
    "aria-describedby": described,
    "aria-required": "required" in field && field.required ? true : undefined,
  } as const;
  let control;
  switch (field.kind) {
    case "text":
      control = field.multiline ? (
        <textarea {...common} rows={3} value={String(value ?? "")} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} value={String(value ?? "")} onChange={(e) => onChange(e.target.value)} />
      );
      break;
    case "select":
      control = (
        <select {...common} value={String(value ?? field.fallback)} onChange={(e) => onChange(e.target.value)}>
          {field.options.map((choice) => (
            <option key={choice} value={choice}>
              {option(choice)}
            </option>
          ))}
        </select>
      );
      break;
    case "integer":
    case "number":
      control = (
        <input
          {...common}
          type="number"
          min={field.min}
          max={field.max}
          step={field.kind === "integer" ? 1 : "any"}
          value={value === undefined || value === null ? "" : String(value)}
          onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
        />
      );
      break;
    case "checkbox":
      return (
        <label className="node-form__check">
          <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} /> {label}
        </label>
      );
    case "list":
      control = (
        <LinesField
          common={common}
          value={Array.isArray(value) ? (value as string[]) : []}
          format={(list: string[]) => list.join("\n")}
          parse={lines}
          hint={t("form.onePerLine")}
          onChange={onChange}
        />
      );
      break;
    case "map":
      control = (
        <LinesField
          common={common}
          value={typeof value === "object" && value !== null ? (value as Record<string, string>) : {}}
          format={formatMap}
          parse={parseMap}
          hint={t("form.namesAndValues")}
          onChange={onChange}
        />
      );
      break;
    case "queue":
      control = (
        <select {...common} value={String(value ?? "")} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t("form.chooseQueue")}</option>
          {catalog?.queues.map((queue) => (
            <option key={queue.id} value={queue.id}>
              {queue.name}
            </option>
          ))}
        </select>
      );
      break;
    case "template":
      return <TemplateField field={field} label={label} value={value} catalog={catalog} onChange={onChange} />;
    case "choices":
      return <ChoicesField label={label} value={value} check={check} onChange={onChange} />;
    case "weekly":
      return <WeeklyField label={label} value={value} check={check} onChange={onChange} />;
  }
  const required = "required" in field && field.required === true;
  return (
    <div className={required ? "node-form__field node-form__field--required" : "node-form__field"}>
      <label htmlFor={id}>{label}</label>
      {control}
      <CheckMessage id={`${id}-check`} check={check} />
    </div>
  );
}

type Common = { id: string; "aria-invalid"?: boolean; "aria-describedby"?: string; "aria-required"?: boolean };

/** A list or a map edited as lines of text. */
function LinesField<T>({
  common,
  value,
  format,
  parse,
  hint,
  onChange,
}: {
  common: Common;
  value: T;
  format(value: T): string;
  parse(text: string): T;
  hint: string;
  onChange(value: T): void;
}) {
  const [text, setText] = useLines(value, format, parse);
  return (
    <>
      <textarea
        {...common}
        rows={3}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parse(e.target.value));
        }}
      />
      <span className="hint">{hint}</span>
    </>
  );
}

function parseMap(text: string): Record<string, string> {
  const entries = lines(text).map((line) => {
    const at = line.indexOf(":");
    return at < 0 ? [line, ""] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
  });
  return Object.fromEntries(entries);
}

function formatMap(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([name, item]) => `${name}: ${item}`)
    .join("\n");
}

interface TemplateValue {
  name: string;
  language: string;
  parameters: string[];
}

function TemplateField({
  field,
  label,
  value,
  catalog,
  onChange,
}: {
  field: Field & { kind: "template" };
  label: string;
  value: unknown;
  catalog: Catalog | null;
  onChange(value: unknown): void;
}) {
  const { t } = useFlowText();
  const id = useId();
  const current = (typeof value === "object" && value !== null ? value : null) as TemplateValue | null;
  const approved = catalog?.whatsappTemplates.filter((template) => template.status === "APPROVED") ?? [];
  const chosen = approved.find((tpl) => tpl.name === current?.name && tpl.language === current?.language);
  const check = checkField(field, value);
  return (
    <fieldset className="node-form__template">
      <legend>{label}</legend>
      <label htmlFor={id}>{t("field.templateName")}</label>
      <select
        id={id}
        aria-invalid={check ? true : undefined}
        value={current?.name ? `${current.name}|${current.language}` : ""}
        onChange={(e) => {
          if (!e.target.value) return onChange(undefined);
          const [name, language] = e.target.value.split("|");
          const template = approved.find((tpl) => tpl.name === name && tpl.language === language);
          onChange({ name, language, parameters: (template?.bodyParameters ?? []).map(() => "") });
        }}
      >
        <option value="">{field.required ? t("form.chooseTemplate") : t("form.noTemplate")}</option>
        {current?.name && !chosen && (
          <option value={`${current.name}|${current.language}`}>
            {current.name} ({current.language}) · {t("form.notApproved")}
          </option>
        )}
        {approved.map((tpl) => (
          <option key={`${tpl.name}|${tpl.language}`} value={`${tpl.name}|${tpl.language}`}>
            {tpl.name} ({tpl.language})
          </option>
        ))}
      </select>
      <CheckMessage id={`${id}-check`} check={check} />
      {current &&
        (chosen?.bodyParameters ?? current.parameters).map((_, index) => (
          <label key={index}>
            {t("field.parameter", { name: chosen?.bodyParameters[index] ?? String(index + 1) })}
            <input
              value={current.parameters[index] ?? ""}
              onChange={(e) => {
                const parameters = [...current.parameters];
                parameters[index] = e.target.value;
                onChange({ ...current, parameters });
              }}
            />
          </label>
        ))}
    </fieldset>
  );
}

function ChoicesField({
  label,
  value,
  check,
  onChange,
}: {
  label: string;
  value: unknown;
  check: Check | null;
  onChange(value: unknown): void;
}) {
  const { t } = useFlowText();
  const choices = choicesOf({ choices: value });
  const id = useId();
  const set = (index: number, key: "id" | "title" | "description", text: string) =>
    onChange(choices.map((choice, i) => (i === index ? { ...choice, [key]: text } : choice)));
  return (
    <fieldset className="node-form__choices" aria-describedby={check ? `${id}-check` : undefined}>
      <legend>{label}</legend>
      {choices.map((choice, index) => (
        <div key={index} className="node-form__choice">
          <label>
            {t("field.choiceId")}
            <input value={choice.id} onChange={(e) => set(index, "id", e.target.value)} />
          </label>
          <label>
            {t("field.choiceTitle")}
            <input value={choice.title} maxLength={24} onChange={(e) => set(index, "title", e.target.value)} />
          </label>
          <button
            type="button"
            aria-label={t("form.removeChoice", { title: choice.title || choice.id })}
            onClick={() => onChange(choices.filter((_, i) => i !== index))}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        disabled={choices.length >= 10}
        onClick={() => onChange([...choices, { id: `option_${choices.length + 1}`, title: "" }])}
      >
        {t("form.addChoice")}
      </button>
      <span className="hint">{t("form.choicesHint")}</span>
      <CheckMessage id={`${id}-check`} check={check} />
    </fieldset>
  );
}

function formatIntervals(intervals: unknown): string {
  return Array.isArray(intervals) ? intervals.map((pair) => (Array.isArray(pair) ? pair.join("-") : "")).join(", ") : "";
}

function parseIntervals(text: string): string[][] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [opens = "", closes = ""] = part.split("-").map((piece) => piece.trim());
      return [opens, closes];
    });
}

function WeeklyField({
  label,
  value,
  check,
  onChange,
}: {
  label: string;
  value: unknown;
  check: Check | null;
  onChange(value: unknown): void;
}) {
  const { t } = useFlowText();
  const weekly = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  const id = useId();
  return (
    <fieldset className="node-form__weekly" aria-describedby={check ? `${id}-check` : undefined}>
      <legend>{label}</legend>
      {WEEKDAYS.map((day) => (
        <DayHours
          key={day}
          day={day}
          intervals={weekly[day]}
          onChange={(intervals) => {
            const next = { ...weekly };
            if (intervals.length) next[day] = intervals;
            else delete next[day];
            onChange(next);
          }}
        />
      ))}
      <span className="hint">{t("form.hoursHint")}</span>
      <CheckMessage id={`${id}-check`} check={check && check.key === "check.interval" ? { ...check, day: t(`day.${check.day as (typeof WEEKDAYS)[number]}`) } : check} />
    </fieldset>
  );
}

function DayHours({
  day,
  intervals,
  onChange,
}: {
  day: (typeof WEEKDAYS)[number];
  intervals: unknown;
  onChange(intervals: string[][]): void;
}) {
  const { t } = useFlowText();
  const [text, setText] = useLines(intervals, formatIntervals, parseIntervals);
  return (
    <label>
      {t(`day.${day}`)}
      <input
        value={text}
        placeholder={t("form.closed")}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseIntervals(e.target.value));
        }}
      />
    </label>
  );
}
