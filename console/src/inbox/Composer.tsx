import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { useMutation, useQuery } from "urql";
import type { MessageFieldsFragment } from "../gql/graphql";
import { useI18n } from "../i18n";
import { Problem, reasonOf } from "../Problem";
import { CANNED_RESPONSES, MESSAGE_SEND, REPLY_SUGGESTIONS, TEMPLATES, TYPING_SEND } from "../operations";
import { toolbarMove } from "../toolbar";
import { excerpt } from "./messages";
import { matchingCanned, shortcutTyped, suggestionChosen } from "./suggestions";

const EMOJI = ["😀", "🙂", "😉", "🙏", "👍", "👏", "❤️", "🎉", "✅", "⏳"];
/** Meta shows the indicator for 25 s; telling it again every 10 s while typing keeps it up. */
const TYPING_EVERY_MS = 10_000;

export function Composer({
  conversationId,
  windowOpen,
  onSent,
  replyingTo,
  onCancelReply,
  latestCustomerMessageId,
}: {
  conversationId: string;
  windowOpen: boolean;
  /** The customer's latest message: suggestions are asked for again when it changes. */
  latestCustomerMessageId: string | null;
  onSent: (message: MessageFieldsFragment) => void;
  /** The message the next reply quotes, if the agent chose one. */
  replyingTo: MessageFieldsFragment | null;
  onCancelReply: () => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [, send] = useMutation(MESSAGE_SEND);
  const [, typing] = useMutation(TYPING_SEND);
  const lastTyping = useRef(0);
  const field = useRef<HTMLTextAreaElement>(null);
  const [fromSuggestion, setFromSuggestion] = useState(false);
  const [{ data: suggested }, suggestAgain] = useQuery({
    query: REPLY_SUGGESTIONS,
    variables: { conversationId },
    pause: !windowOpen || !latestCustomerMessageId,
  });
  const [{ data: cannedData }] = useQuery({ query: CANNED_RESPONSES, pause: !windowOpen });
  const [activeCanned, setActiveCanned] = useState(0);
  const [cannedDismissed, setCannedDismissed] = useState(false);
  const suggestions = suggested?.replySuggestions ?? [];
  const typedShortcut = shortcutTyped(text);
  const cannedOffered =
    typedShortcut === null || cannedDismissed ? [] : matchingCanned(cannedData?.cannedResponses ?? [], typedShortcut);

  useEffect(() => {
    if (latestCustomerMessageId) suggestAgain({ requestPolicy: "network-only" });
  }, [latestCustomerMessageId, suggestAgain]);

  async function sendText(event?: FormEvent) {
    event?.preventDefault();
    const body = text.trim();
    if (!body || sending) return;
    setSending(true);
    const result = await send({
      input: {
        conversationId,
        clientMessageId: crypto.randomUUID(),
        text: { body, previewUrl: /https?:\/\//.test(body) },
        replyToId: replyingTo?.id ?? null,
        fromSuggestion,
      },
    });
    setSending(false);
    const payload = result.data?.messageSend;
    if (payload?.__typename === "MessageSendSuccess") {
      setText("");
      setFromSuggestion(false);
      setProblem(null);
      onCancelReply();
      onSent(payload.sentMessage);
    } else {
      setProblem(t("composer.failed", { reason: reasonOf(payload, result.error) }));
    }
  }

  function insert(body: string, suggestion: boolean) {
    setText(body);
    setFromSuggestion(suggestion);
    field.current?.focus();
  }

  function keyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (cannedOffered.length > 0) {
      const last = cannedOffered.length - 1;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActiveCanned(Math.min(Math.max(Math.min(activeCanned, last) + step, 0), last));
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        insert(cannedOffered[Math.min(activeCanned, last)]?.body ?? text, false);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        setCannedDismissed(true);
        return;
      }
    }
    const chosen = suggestionChosen(event.key, event.altKey, !text.trim(), suggestions.length);
    if (chosen !== null) {
      event.preventDefault();
      insert(suggestions[chosen]?.text ?? "", true);
      return;
    }
    if (event.key === "Escape" && replyingTo) {
      event.preventDefault();
      onCancelReply();
      return;
    }
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void sendText();
    }
  }

  function changed(value: string) {
    setText(value);
    setCannedDismissed(false);
    setActiveCanned(0);
    if (!value.trim()) setFromSuggestion(false);
    const now = Date.now();
    if (value && now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      void typing({ input: { conversationId, typing: true } });
    }
  }

  function insertEmoji(emoji: string) {
    const element = field.current;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + emoji + text.slice(end));
    element?.focus();
  }

  if (!windowOpen) {
    return <TemplateComposer conversationId={conversationId} onSent={onSent} />;
  }
  return (
    <form className="composer" onSubmit={sendText}>
      <EmojiToolbar onPick={insertEmoji} />
      {replyingTo && (
        <div className="composer__replying">
          <span>{t("composer.replyingTo", { excerpt: excerpt(replyingTo.content) ?? t("message.media") })}</span>
          <button type="button" aria-label={t("composer.cancelReply")} onClick={onCancelReply}>
            ×
          </button>
        </div>
      )}
      {suggestions.length > 0 && (
        <div className="composer__suggestions" role="group" aria-label={t("composer.suggestions")}>
          <span className="composer__hint">{t("composer.suggestionsHint")}</span>
          {suggestions.map((suggestion, index) => (
            <button
              key={`${index}-${suggestion.text}`}
              type="button"
              aria-keyshortcuts={`Alt+${index + 1}`}
              title={suggestion.text}
              onClick={() => insert(suggestion.text, true)}
            >
              <kbd>{index + 1}</kbd> {suggestion.text}
            </button>
          ))}
        </div>
      )}
      {cannedOffered.length > 0 && (
        <ul className="composer__canned" id="composer-canned" role="listbox" aria-label={t("composer.canned")}>
          {cannedOffered.map((canned, index) => (
            <li
              key={canned.shortcut}
              id={`composer-canned-${index}`}
              role="option"
              aria-selected={index === Math.min(activeCanned, cannedOffered.length - 1)}
              onMouseDown={(event) => {
                event.preventDefault();
                insert(canned.body, false);
              }}
            >
              <strong>/{canned.shortcut}</strong> {canned.title}
            </li>
          ))}
        </ul>
      )}
      <label className="visually-hidden" htmlFor="composer-text">
        {t("composer.label")}
      </label>
      <textarea
        id="composer-text"
        aria-controls={cannedOffered.length > 0 ? "composer-canned" : undefined}
        aria-activedescendant={
          cannedOffered.length > 0
            ? `composer-canned-${Math.min(activeCanned, cannedOffered.length - 1)}`
            : undefined
        }
        ref={field}
        rows={2}
        placeholder={t("composer.placeholder")}
        value={text}
        onChange={(e) => changed(e.target.value)}
        onKeyDown={keyDown}
        maxLength={4096}
      />
      <button type="submit" disabled={sending || !text.trim()}>
        {t("composer.send")}
      </button>
      <Problem text={problem} />
    </form>
  );
}

/** One Tab stop for the whole palette; the arrows, Home and End move between emoji. */
function EmojiToolbar({ onPick }: { onPick: (emoji: string) => void }) {
  const [active, setActive] = useState(0);
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);

  function keyDown(event: KeyboardEvent<HTMLDivElement>) {
    const next = toolbarMove(event.key, active, EMOJI.length);
    if (next === null) return;
    event.preventDefault();
    setActive(next);
    buttons.current[next]?.focus();
  }

  return (
    <div className="composer__emoji" role="toolbar" aria-label="Emoji" onKeyDown={keyDown}>
      {EMOJI.map((emoji, index) => (
        <button
          key={emoji}
          ref={(button) => {
            buttons.current[index] = button;
          }}
          type="button"
          tabIndex={index === active ? 0 : -1}
          onClick={() => {
            setActive(index);
            onPick(emoji);
          }}
          aria-label={emoji}
        >
          {emoji}
        </button>
      ))}
    </div>
  );
}

function TemplateComposer({
  conversationId,
  onSent,
}: {
  conversationId: string;
  onSent: (message: MessageFieldsFragment) => void;
}) {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: TEMPLATES });
  const [, send] = useMutation(MESSAGE_SEND);
  const [chosen, setChosen] = useState<string>("");
  const [parameters, setParameters] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const templates = data?.whatsappTemplates ?? [];
  const template = templates.find((candidate) => candidate.id === chosen) ?? templates[0];
  if (data && !template) return <p className="composer composer--closed">{t("composer.noTemplates")}</p>;
  if (!template) return null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!template) return;
    const result = await send({
      input: {
        conversationId,
        clientMessageId: crypto.randomUUID(),
        template: { name: template.name, language: template.language, parameters },
      },
    });
    const payload = result.data?.messageSend;
    if (payload?.__typename === "MessageSendSuccess") {
      setProblem(null);
      setParameters([]);
      onSent(payload.sentMessage);
    } else {
      setProblem(t("composer.failed", { reason: reasonOf(payload, result.error) }));
    }
  }

  return (
    <form className="composer composer--template" onSubmit={submit}>
      <label>
        {t("composer.template")}
        <select
          value={template.id}
          onChange={(e) => {
            setChosen(e.target.value);
            setParameters([]);
          }}
        >
          {templates.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name} ({candidate.language})
            </option>
          ))}
        </select>
      </label>
      <p className="composer__template-body">{template.body}</p>
      {template.bodyParameters.map((name, index) => (
        <label key={name}>
          {t("composer.templateParameter", { index: name })}
          <input
            required
            value={parameters[index] ?? ""}
            onChange={(e) => {
              const next = [...parameters];
              next[index] = e.target.value;
              setParameters(next);
            }}
          />
        </label>
      ))}
      <button type="submit">{t("composer.sendTemplate")}</button>
      <Problem text={problem} />
    </form>
  );
}
