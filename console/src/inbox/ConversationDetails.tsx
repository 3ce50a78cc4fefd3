import { type FormEvent, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { useClient, useMutation } from "urql";
import { useMe } from "../context";
import type {
  ConversationChangeFragment,
  ConversationStatus,
  ConversationSummaryFragment,
} from "../gql/graphql";
import { useI18n } from "../i18n";
import { Problem, reasonOf } from "../Problem";
import {
  CONVERSATION_LABELS_SET,
  CONVERSATION_NOTE_ADD,
  CONVERSATION_NOTES,
  CONVERSATION_STATUS_UPDATE,
  USER_NAME,
} from "../operations";
import { freshReader, readFresh } from "../reads";
import { LabelSaves, MAX_LABEL_LENGTH } from "./labels";

const STATUSES: readonly ConversationStatus[] = ["OPEN", "PENDING", "RESOLVED", "CLOSED"];

interface Note {
  id: string;
  authorId: string;
  body: string;
  createdAt: string;
}

/** What agents change about a conversation besides messages: its status, its labels and the
 * internal notes customers never see. `changes` counts the conversation's change events, so
 * notes written elsewhere appear here too. */
export function ConversationDetails({
  conversation,
  changes,
  onChanged,
}: {
  conversation: ConversationSummaryFragment;
  changes: number;
  /** Called with PyTake's answer to each change made here, before the change's event arrives. */
  onChanged: (change: ConversationChangeFragment) => void;
}) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<string | null>(null);
  const [, updateStatus] = useMutation(CONVERSATION_STATUS_UPDATE);
  const [, setLabels] = useMutation(CONVERSATION_LABELS_SET);
  const [newLabel, setNewLabel] = useState("");
  const [choosing, setChoosing] = useState<ConversationStatus | null>(null);

  async function changeStatus(status: ConversationStatus) {
    setChoosing(status);
    const result = await updateStatus({ input: { id: conversation.id, status } });
    const payload = result.data?.conversationStatusUpdate;
    if (payload?.__typename === "ConversationChangeSuccess") {
      onChanged(payload);
      setProblem(null);
    } else {
      setProblem(t("details.failed", { reason: reasonOf(payload, result.error) }));
    }
    setChoosing(null);
  }

  const latest = useRef({ conversation, onChanged, setLabels, t });
  latest.current = { conversation, onChanged, setLabels, t };
  const [, redraw] = useReducer((count: number) => count + 1, 0);
  const labelSaves = useMemo(
    () =>
      new LabelSaves(
        () => latest.current.conversation.labels,
        async (labels) => {
          const { conversation, onChanged, setLabels, t } = latest.current;
          const result = await setLabels({ input: { id: conversation.id, labels } });
          const payload = result.data?.conversationLabelsSet;
          if (payload?.__typename !== "ConversationChangeSuccess") {
            return { problem: t("details.failed", { reason: reasonOf(payload, result.error) }) };
          }
          onChanged(payload);
          return { labels: payload.labels };
        },
        (problem) => {
          setProblem(problem);
          redraw();
        },
      ),
    [],
  );
  const labels = labelSaves.shown;

  function addLabel(event: FormEvent) {
    event.preventDefault();
    setNewLabel("");
    labelSaves.edit({ add: newLabel });
  }

  return (
    <div className="details">
      <label className="details__status">
        {t("details.status")}
        <select
          value={choosing ?? conversation.status}
          aria-busy={choosing !== null}
          onChange={(e) => void changeStatus(e.target.value as ConversationStatus)}
        >
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {t(`conversation.status.${status}`)}
            </option>
          ))}
        </select>
      </label>
      <ul className="details__labels" aria-label={t("details.labels")} aria-busy={labelSaves.saving}>
        {labels.map((label) => (
          <li key={label} className="label">
            <span className="label__name">{label}</span>
            <button
              type="button"
              aria-label={t("details.removeLabel", { label })}
              onClick={() => labelSaves.edit({ remove: label })}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form className="details__add-label" onSubmit={addLabel}>
        <label className="visually-hidden" htmlFor="new-label">
          {t("details.addLabel")}
        </label>
        <input
          id="new-label"
          value={newLabel}
          maxLength={MAX_LABEL_LENGTH}
          placeholder={t("details.addLabel")}
          onChange={(e) => setNewLabel(e.target.value)}
        />
      </form>
      <Notes conversationId={conversation.id} changes={changes} />
      <Problem text={problem} />
    </div>
  );
}

function Notes({ conversationId, changes }: { conversationId: string; changes: number }) {
  const { t, dateTime } = useI18n();
  const me = useMe();
  const client = useClient();
  const [notes, setNotes] = useState<Note[] | null>(null);
  const [authors, setAuthors] = useState<Map<string, string>>(new Map([[me.id, me.name]]));
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [, addNote] = useMutation(CONVERSATION_NOTE_ADD);

  const readNotes = useMemo(
    () =>
      freshReader(async () => {
        const result = await readFresh(client, CONVERSATION_NOTES, { conversationId });
        if (result.data) setNotes(result.data.conversationNotes);
      }),
    [client, conversationId],
  );
  useEffect(() => {
    void readNotes();
  }, [readNotes, changes]);

  useEffect(() => {
    const unknown = [...new Set((notes ?? []).map((note) => note.authorId))].filter((id) => !authors.has(id));
    for (const id of unknown) {
      void client
        .query(USER_NAME, { id })
        .toPromise()
        .then((result) => {
          const user = result.data?.user;
          if (user) setAuthors((known) => new Map(known).set(user.id, user.name));
        });
    }
  }, [client, notes, authors]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = draft.trim();
    if (!body) return;
    const result = await addNote({ input: { id: conversationId, body } });
    const payload = result.data?.conversationNoteAdd;
    if (payload?.__typename === "ConversationNoteAddSuccess") {
      setDraft("");
      setProblem(null);
      const added = payload.note;
      setNotes((current) => [...(current ?? []).filter((note) => note.id !== added.id), added]);
    } else {
      setProblem(t("details.failed", { reason: reasonOf(payload, result.error) }));
    }
  }

  return (
    <details className="notes">
      <summary>{t("notes.title", { count: notes?.length ?? 0 })}</summary>
      <ol className="notes__list">
        {(notes ?? []).map((note) => (
          <li key={note.id} className="note">
            <p className="note__body">{note.body}</p>
            <span className="note__meta">
              {authors.get(note.authorId) ?? t("queues.someone")} ·{" "}
              <time dateTime={note.createdAt}>{dateTime(note.createdAt)}</time>
            </span>
          </li>
        ))}
      </ol>
      <form className="notes__form" onSubmit={submit}>
        <label htmlFor="note-text">{t("notes.label")}</label>
        <textarea
          id="note-text"
          rows={2}
          maxLength={10_000}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" disabled={!draft.trim()}>
          {t("notes.add")}
        </button>
        <Problem text={problem} />
      </form>
    </details>
  );
}
