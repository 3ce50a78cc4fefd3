import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useClient, useMutation } from "urql";
import { useLive } from "../context";
import type {
  ConversationChangeFragment,
  ConversationSummaryFragment,
  MessageFieldsFragment,
} from "../gql/graphql";
import { customerName } from "../contacts";
import { useI18n } from "../i18n";
import {
  CONVERSATION,
  CONVERSATION_MESSAGE_CHANGES,
  CONVERSATION_MESSAGE_STATUSES,
  CONVERSATION_MESSAGES_RECEIVED,
  CONVERSATION_MESSAGES_SENT,
  CONVERSATION_TYPING,
  INBOX_CHANGES,
  MARK_READ,
  MESSAGES,
} from "../operations";
import { freshReader, readFresh } from "../reads";
import { Composer } from "./Composer";
import { withAnswer } from "./conversation";
import { ConversationDetails } from "./ConversationDetails";
import { MessageBubble } from "./MessageBubble";
import { mergeMessages, withStatus } from "./messages";

const PAGE_SIZE = 30;

export function ConversationView({ conversationId }: { conversationId: string }) {
  const { t, dateTime } = useI18n();
  const client = useClient();
  const [conversation, setConversation] = useState<ConversationSummaryFragment | null>(null);
  const [messages, setMessages] = useState<MessageFieldsFragment[]>([]);
  // undefined until the newest page is read; null once there is nothing older.
  const [older, setOlder] = useState<string | null | undefined>(undefined);
  const [typing, setTyping] = useState<Map<string, number>>(new Map());
  const [replyingTo, setReplyingTo] = useState<MessageFieldsFragment | null>(null);
  const [changes, setChanges] = useState(0);
  const [, markRead] = useMutation(MARK_READ);
  const list = useRef<HTMLOListElement>(null);
  const following = useRef(true);

  // Counts PyTake's answers to changes made here: a read during which one arrived may predate
  // that change, so it is read again rather than shown over the answer.
  const answers = useRef(0);
  const readConversation = useMemo(
    () =>
      freshReader(async () => {
        for (;;) {
          const answered = answers.current;
          const result = await readFresh(client, CONVERSATION, { id: conversationId });
          if (answers.current !== answered) continue;
          // A read that failed keeps what is shown: only PyTake's answer can say it is gone.
          if (result.data) setConversation(result.data.conversation ?? null);
          return;
        }
      }),
    [client, conversationId],
  );
  const changed = useCallback((change: ConversationChangeFragment) => {
    answers.current += 1;
    setConversation((current) => withAnswer(current, change));
  }, []);

  /** Reads the page before a cursor (the newest without one); answers the cursor of the page
   * before it, null when there is none, undefined when the read failed. */
  const readPage = useCallback(
    async (before: string | null) => {
      const result = await readFresh(client, MESSAGES, { conversationId, last: PAGE_SIZE, before });
      const found = result.data?.messages;
      if (!found) return undefined;
      setMessages((current) => mergeMessages(current, found.edges.map((e) => e.node)));
      return found.pageInfo.hasPreviousPage ? (found.pageInfo.startCursor ?? null) : null;
    },
    [client, conversationId],
  );

  const readNewest = useMemo(
    () =>
      freshReader(async () => {
        const previous = await readPage(null);
        if (previous !== undefined) setOlder((cursor) => (cursor === undefined ? previous : cursor));
      }),
    [readPage],
  );

  const readOlder = async () => {
    if (!older) return;
    following.current = false;
    const previous = await readPage(older);
    if (previous !== undefined) setOlder(previous);
  };

  useEffect(() => {
    void readConversation();
    void readNewest();
    void markRead({ input: { id: conversationId } });
  }, [readConversation, readNewest, markRead, conversationId]);

  const scope = { conversationId };
  const arrived = {
    event: () => {
      following.current = nearBottom(list.current);
      void readNewest();
      if (document.visibilityState === "visible") void markRead({ input: { id: conversationId } });
    },
    gap: () => void readNewest(),
  };
  useLive(CONVERSATION_MESSAGES_RECEIVED, scope, "messageReceived", arrived, conversationId);
  useLive(CONVERSATION_MESSAGES_SENT, scope, "messageSent", arrived, conversationId);
  useLive(CONVERSATION_MESSAGE_CHANGES, scope, "messageChanged", { event: () => void readNewest() }, conversationId);
  useLive(
    CONVERSATION_MESSAGE_STATUSES,
    scope,
    "messageStatusUpdated",
    {
      event: (e) => {
        if (e.status) setMessages((current) => withStatus(current, e.messageId, e.status!));
      },
      gap: () => void readNewest(),
    },
    conversationId,
  );
  useLive(INBOX_CHANGES, {}, "conversationUpdated", {
    event: (e) => {
      if (e.conversationId !== conversationId) return;
      void readConversation();
      // The customer's texts were read: their sentiment shows on them.
      if (e.changed.includes("sentiment")) void readNewest();
      setChanges((count) => count + 1);
    },
  }, `conversation-${conversationId}`);
  useLive(
    CONVERSATION_TYPING,
    scope,
    "typing",
    {
      event: (e) =>
        setTyping((current) => {
          const next = new Map(current);
          if (e.typing) next.set(e.userId, Date.parse(e.expiresAt));
          else next.delete(e.userId);
          return next;
        }),
    },
    conversationId,
  );

  useLayoutEffect(() => {
    if (following.current && list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [messages]);

  const byId = new Map(messages.map((message) => [message.id, message]));
  const replyTo = (message: MessageFieldsFragment) => {
    setReplyingTo(message);
    document.getElementById("composer-text")?.focus();
  };
  const name = conversation ? (customerName(conversation) ?? t("conversation.unknownContact")) : "";
  const someoneTyping = [...typing.values()].some((until) => until > Date.now());
  return (
    <section className="conversation" aria-labelledby="conversation-title">
      <header className="conversation__header">
        <h2 id="conversation-title">{name}</h2>
        {conversation?.contact.waId && <span className="conversation__number">+{conversation.contact.waId}</span>}
        {conversation && (
          <p className={conversation.windowOpen ? "window window--open" : "window window--closed"} role="note">
            {conversation.windowOpen && conversation.windowExpiresAt
              ? t("conversation.windowOpen", { time: dateTime(conversation.windowExpiresAt) })
              : t("conversation.windowClosed")}
          </p>
        )}
        {conversation && <ConversationDetails conversation={conversation} changes={changes} onChanged={changed} />}
      </header>
      <ol
        className="messages"
        ref={list}
        aria-label={t("conversation.messages")}
        aria-live="polite"
        tabIndex={0}
        onScroll={() => {
          following.current = nearBottom(list.current);
        }}
      >
        {older && (
          <li className="messages__older">
            <button type="button" onClick={() => void readOlder()}>
              {t("conversation.older")}
            </button>
          </li>
        )}
        {messages.map((message) => (
          <MessageBubble
            key={message.id}
            message={message}
            quoted={message.replyToId ? byId.get(message.replyToId) : undefined}
            onReply={conversation?.windowOpen ? replyTo : undefined}
          />
        ))}
      </ol>
      {someoneTyping && <p className="typing">{t("conversation.typing")}</p>}
      {conversation && (
        <Composer
          conversationId={conversationId}
          windowOpen={conversation.windowOpen}
          replyingTo={replyingTo}
          onCancelReply={() => setReplyingTo(null)}
          latestCustomerMessageId={
            [...messages].reverse().find((message) => message.direction === "INBOUND")?.id ?? null
          }
          onSent={(sent) => {
            following.current = true;
            setMessages((current) => mergeMessages(current, [sent]));
          }}
        />
      )}
    </section>
  );
}

function nearBottom(element: HTMLElement | null): boolean {
  if (!element) return true;
  return element.scrollHeight - element.scrollTop - element.clientHeight < 80;
}
