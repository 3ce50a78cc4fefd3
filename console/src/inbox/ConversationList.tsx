import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useEffect, useRef, useState } from "react";
import { useClient, useQuery } from "urql";
import { useLive, useMe } from "../context";
import type { ConversationStatus, ConversationSummaryFragment } from "../gql/graphql";
import { customerName } from "../contacts";
import { useI18n } from "../i18n";
import {
  CONVERSATION,
  CONVERSATIONS,
  FILTER_CHOICES,
  INBOX_CHANGES,
  INBOX_MESSAGES,
} from "../operations";
import { readFresh } from "../reads";
import { SentimentMark } from "./sentiment";
import { assigneeOf, decodeAssigned, encodeAssigned, type InboxFilter, NO_FILTER, withChange } from "./list";

const PAGE_SIZE = 50;
const ROW_HEIGHT = 72;
const OVERSCAN_ROWS = 8;
// The next page is asked for this many rows before the end, so it usually arrives unseen.
const PREFETCH_ROWS = 10;
const STATUSES: readonly ConversationStatus[] = ["OPEN", "PENDING", "RESOLVED", "CLOSED"];

interface Page {
  endCursor: string | null;
  hasNextPage: boolean;
}

export function ConversationList({ selected }: { selected: string | null }) {
  const { t } = useI18n();
  const me = useMe();
  const client = useClient();
  const [filter, setFilter] = useState<InboxFilter>(NO_FILTER);
  const [search, setSearch] = useState("");
  const [conversations, setConversations] = useState<ConversationSummaryFragment[]>([]);
  const [page, setPage] = useState<Page>({ endCursor: null, hasNextPage: false });
  const [loading, setLoading] = useState(true);
  const [{ data: choices }] = useQuery({ query: FILTER_CHOICES });
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const generation = useRef(0);

  const variables = useCallback(
    (after: string | null) => ({
      filter: {
        status: filter.status,
        assigneeId: assigneeOf(filter.assigned, me.id),
        queueId: filter.queueId,
        unassigned: filter.assigned === "unassigned",
        unreadOnly: filter.unreadOnly,
        search: filter.search.trim() || null,
      },
      first: PAGE_SIZE,
      after,
    }),
    [filter, me.id],
  );

  const load = useCallback(
    async (after: string | null) => {
      const mine = ++generation.current;
      setLoading(true);
      const result = await readFresh(client, CONVERSATIONS, variables(after));
      if (mine !== generation.current || !result.data) return;
      const found = result.data.conversations;
      const nodes = found.edges.map((edge) => edge.node);
      setConversations((current) => (after ? [...current, ...nodes] : nodes));
      setPage({ endCursor: found.pageInfo.endCursor ?? null, hasNextPage: found.pageInfo.hasNextPage });
      setLoading(false);
    },
    [client, variables],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => (f.search === search ? f : { ...f, search })), 300);
    return () => clearTimeout(timer);
  }, [search]);

  // Events name a conversation; its new state is read once per burst of events.
  const pending = useRef(new Set<string>());
  const flush = useRef<ReturnType<typeof setTimeout> | null>(null);
  const changed = useCallback(
    (conversationId: string) => {
      pending.current.add(conversationId);
      if (flush.current) return;
      flush.current = setTimeout(async () => {
        flush.current = null;
        const ids = [...pending.current];
        pending.current.clear();
        const results = await Promise.all(
          ids.map((id) => readFresh(client, CONVERSATION, { id })),
        );
        setConversations((current) =>
          results.reduce(
            (list, result, index) =>
              withChange(list, ids[index]!, result.data?.conversation ?? null, filterRef.current, me.id),
            current,
          ),
        );
      }, 50);
    },
    [client, me.id],
  );
  const onEvent = {
    event: (e: { conversationId: string }) => changed(e.conversationId),
    gap: () => void load(null),
  };
  useLive(INBOX_CHANGES, {}, "conversationUpdated", onEvent, "inbox-changes");
  useLive(INBOX_MESSAGES, {}, "messageReceived", onEvent, "inbox-messages");

  const nearEnd = useCallback(() => {
    if (page.hasNextPage && !loading) void load(page.endCursor);
  }, [page, loading, load]);

  return (
    <section className="conversation-list" aria-labelledby="conversation-list-title">
      <h2 id="conversation-list-title">{t("inbox.conversations")}</h2>
      <div className="filters">
        <input
          type="search"
          aria-label={t("inbox.search")}
          placeholder={t("inbox.search")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label>
          {t("inbox.filter.status")}
          <select
            value={filter.status ?? ""}
            onChange={(e) =>
              setFilter({ ...filter, status: (e.target.value || null) as ConversationStatus | null })
            }
          >
            <option value="">{t("inbox.filter.all")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`conversation.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        {choices && choices.queues.length > 0 && (
          <label>
            {t("inbox.filter.queue")}
            <select
              value={filter.queueId ?? ""}
              onChange={(e) => setFilter({ ...filter, queueId: e.target.value || null })}
            >
              <option value="">{t("inbox.filter.all")}</option>
              {choices.queues.map((q) => (
                <option key={q.id} value={q.id}>
                  {q.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t("inbox.filter.assignee")}
          <select
            value={encodeAssigned(filter.assigned)}
            onChange={(e) => setFilter({ ...filter, assigned: decodeAssigned(e.target.value) })}
          >
            <option value="all">{t("inbox.filter.all")}</option>
            <option value="mine">{t("inbox.filter.mine")}</option>
            <option value="unassigned">{t("inbox.filter.unassigned")}</option>
            {choices?.agents
              .filter((a) => a.user.id !== me.id)
              .map((a) => (
                <option key={a.user.id} value={encodeAssigned({ agentId: a.user.id })}>
                  {a.user.name}
                </option>
              ))}
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={filter.unreadOnly}
            onChange={(e) => setFilter({ ...filter, unreadOnly: e.target.checked })}
          />
          {t("inbox.filter.unread")}
        </label>
      </div>
      {!loading && conversations.length === 0 && <p className="empty">{t("inbox.empty")}</p>}
      <Rows conversations={conversations} selected={selected} loading={loading} onNearEnd={nearEnd} />
    </section>
  );
}

/** The virtualized rows, apart from the filters: scrolling renders only this, and only the
 * rows coming into view (the others are memoized). React renders a scroll's rows in its own
 * time rather than inside the scroll event, so a fast fling is not held up waiting for them:
 * the overscan keeps rows ready beyond both edges meanwhile. */
const Rows = memo(function Rows({
  conversations,
  selected,
  loading,
  onNearEnd,
}: {
  conversations: ConversationSummaryFragment[];
  selected: string | null;
  loading: boolean;
  onNearEnd: () => void;
}) {
  const { t, time } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({
    count: conversations.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN_ROWS,
    useFlushSync: false,
  });
  const items = rows.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index;
  useEffect(() => {
    if (lastIndex !== undefined && lastIndex >= conversations.length - PREFETCH_ROWS) onNearEnd();
  }, [lastIndex, conversations.length, onNearEnd]);

  return (
    <div className="conversation-list__scroller" ref={scroller}>
      <ul
        className="conversation-list__rows"
        aria-busy={loading}
        style={{ height: `${rows.getTotalSize()}px` }}
      >
        {items.map((row) => {
          const conversation = conversations[row.index]!;
          return (
            <ConversationRow
              key={conversation.id}
              conversation={conversation}
              selected={conversation.id === selected}
              offset={row.start}
              time={time}
              t={t}
            />
          );
        })}
      </ul>
    </div>
  );
});

function preview(conversation: ConversationSummaryFragment): string {
  const content = conversation.lastMessage?.content;
  switch (content?.__typename) {
    case "TextContent":
      return content.body;
    case "MediaContent":
      return content.caption ?? `📎 ${content.mediaType}`;
    case "TemplateContent":
      return content.text ?? content.templateName;
    default:
      return "";
  }
}

/** Memoized: while the list scrolls, only the rows coming into view render; the others keep
 * their props (a row's offset is fixed by its place in the list). */
const ConversationRow = memo(function ConversationRow({
  conversation,
  selected,
  offset,
  time,
  t,
}: {
  conversation: ConversationSummaryFragment;
  selected: boolean;
  offset: number;
  time: (iso: string) => string;
  t: ReturnType<typeof useI18n>["t"];
}) {
  const name = customerName(conversation) ?? t("conversation.unknownContact");
  return (
    <li
      className="conversation-row"
      data-conversation-id={conversation.id}
      style={{ transform: `translateY(${offset}px)` }}
    >
      <a href={`#/conversations/${conversation.id}`} aria-current={selected ? "true" : undefined}>
        <span className="conversation-row__name">{name}</span>
        {conversation.lastMessageAt && (
          <time className="conversation-row__time" dateTime={conversation.lastMessageAt}>
            {time(conversation.lastMessageAt)}
          </time>
        )}
        <span className="conversation-row__preview">{preview(conversation)}</span>
        <span className="conversation-row__badges">
          {conversation.sentiment && <SentimentMark sentiment={conversation.sentiment} t={t} />}
          {conversation.unreadCount > 0 && (
            <span className="unread" aria-label={t("inbox.unread", { count: conversation.unreadCount })}>
              {conversation.unreadCount}
            </span>
          )}
        </span>
      </a>
    </li>
  );
});
