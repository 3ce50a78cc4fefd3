import { useEffect, useState } from "react";
import type { MessageFieldsFragment } from "../gql/graphql";
import { useI18n } from "../i18n";
import { useAccessToken } from "./media";
import { excerpt } from "./messages";

type Content = MessageFieldsFragment["content"];

const TICKS: Record<MessageFieldsFragment["status"], string> = {
  PENDING: "🕓",
  SENT: "✓",
  DELIVERED: "✓✓",
  READ: "✓✓",
  PLAYED: "✓✓",
  FAILED: "⚠",
};

/** Content a reply can quote: what the customer sees as a message. */
const QUOTABLE = (content: Content) => content.__typename !== "DeletedContent" && content.__typename !== "SystemContent";

export function MessageBubble({
  message,
  quoted,
  onReply,
}: {
  message: MessageFieldsFragment;
  /** The message this one replies to, when it is loaded. */
  quoted?: MessageFieldsFragment;
  onReply?: (message: MessageFieldsFragment) => void;
}) {
  const { t, time } = useI18n();
  const outbound = message.direction === "OUTBOUND";
  return (
    <li
      className={`message message--${outbound ? "outbound" : "inbound"}`}
      data-message-id={message.id}
      data-status={message.status}
    >
      {message.forwarded && <span className="message__forwarded">{t("message.forwarded")}</span>}
      {message.sender.kind === "AUTOMATION" && (
        <span className="message__automation">{t("message.automation")}</span>
      )}
      {message.replyToId && (
        <blockquote className="message__quote">
          {quoted ? (excerpt(quoted.content) ?? t("message.media")) : t("message.quoteEarlier")}
        </blockquote>
      )}
      <MessageContent messageId={message.id} content={message.content} />
      {message.reactions.length > 0 && (
        <span className="message__reactions">{message.reactions.map((r) => r.emoji).join(" ")}</span>
      )}
      <span className="message__meta">
        <time dateTime={message.sentAt}>{time(message.sentAt)}</time>
        {message.editedAt && <span> · {t("message.edited")}</span>}
        {message.sentiment && (
          <span
            className={`message__sentiment sentiment--${message.sentiment.label.toLowerCase()}`}
            title={t("sentiment.score", { score: message.sentiment.score.toFixed(2) })}
          >
            {t(`sentiment.${message.sentiment.label}`)}
          </span>
        )}
        {outbound && (
          <span
            className={`ticks ticks--${message.status.toLowerCase()}`}
            title={t(`message.status.${message.status}`)}
            aria-label={t(`message.status.${message.status}`)}
          >
            {TICKS[message.status]}
          </span>
        )}
      </span>
      {message.error && <span className="message__error">{message.error.message}</span>}
      {onReply && QUOTABLE(message.content) && (
        <button type="button" className="message__reply" aria-label={t("message.reply")} onClick={() => onReply(message)}>
          ↩
        </button>
      )}
    </li>
  );
}

const LINK = /(https?:\/\/[^\s<]+[^\s<.,;:!?)\]'"])/g;

/** Text with its web addresses as links that open apart from the console. */
export function Linkified({ text }: { text: string }) {
  const parts = text.split(LINK);
  return (
    <>
      {parts.map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part} target="_blank" rel="noopener noreferrer nofollow">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}

function MessageContent({ messageId, content }: { messageId: string; content: Content }) {
  const { t } = useI18n();
  switch (content.__typename) {
    case "TextContent":
      return (
        <p className="message__text">
          <Linkified text={content.body} />
        </p>
      );
    case "MediaContent":
      return <Media messageId={messageId} content={content} />;
    case "LocationContent":
      return (
        <p className="message__text">
          📍 {content.placeName ?? t("message.location")}
          {content.address && <span> · {content.address}</span>}
          {content.latitude != null && content.longitude != null && (
            <span className="message__coordinates">
              {" "}
              ({content.latitude.toFixed(5)}, {content.longitude.toFixed(5)})
            </span>
          )}
        </p>
      );
    case "ContactsContent":
      return <p className="message__text">👤 {t("message.contacts")}: {contactNames(content.contacts)}</p>;
    case "ReactionContent":
      return <p className="message__text">{t("message.reacted", { emoji: content.emoji })}</p>;
    case "InteractiveReplyContent":
      return (
        <p className="message__text message__choice">
          {content.title}
          {content.description && <span> — {content.description}</span>}
        </p>
      );
    case "QuickReplyContent":
      return <p className="message__text message__choice">{content.text}</p>;
    case "FlowReplyContent":
      return <p className="message__text">{content.text ?? content.flowName}</p>;
    case "OrderContent":
      return (
        <p className="message__text">
          🛒 {t("message.order")}: {content.items.map((i) => `${i.quantity}× ${i.productRetailerId}`).join(", ")}
          {content.text && <span> — {content.text}</span>}
        </p>
      );
    case "InteractiveContent":
      return (
        <div className="message__text">
          {content.header && <strong>{content.header}</strong>}
          <p>
            <Linkified text={content.body} />
          </p>
          {content.footer && <small>{content.footer}</small>}
          {content.buttons.length > 0 && (
            <ul className="message__buttons">
              {content.buttons.map((b) => (
                <li key={b.id}>{b.title}</li>
              ))}
            </ul>
          )}
          {content.listButton && <span className="message__list-button">{content.listButton}</span>}
        </div>
      );
    case "TemplateContent":
      return (
        <div className="message__text message__template">
          <small>{t("message.template", { name: content.templateName })}</small>
          <p>{content.text ?? content.parameters.join(" · ")}</p>
        </div>
      );
    case "SystemContent":
      return <p className="message__system">{content.text}</p>;
    case "DeletedContent":
      return <p className="message__deleted">{t("message.deleted")}</p>;
    case "CallPermissionReplyContent":
      return (
        <p className="message__text">
          {t("message.callPermission", { answer: t(content.accepted ? "message.yes" : "message.no") })}
        </p>
      );
    case "UnsupportedContent":
      return <p className="message__unsupported">{t("message.unsupported", { type: content.unsupportedType ?? "?" })}</p>;
  }
}

function contactNames(contacts: unknown): string {
  if (!Array.isArray(contacts)) return "";
  return contacts
    .map((c: { name?: { formatted_name?: string } }) => c?.name?.formatted_name ?? "")
    .filter(Boolean)
    .join(", ");
}

type MediaFields = Extract<Content, { __typename: "MediaContent" }>;

/** Media comes through PyTake's media route, which takes the bearer token as a header: the file
 * is fetched and shown from a blob URL that lives as long as the message is on screen. */
function Media({ messageId, content }: { messageId: string; content: MediaFields }) {
  const { t } = useI18n();
  const accessToken = useAccessToken();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let objectUrl: string | null = null;
    let cancelled = false;
    void (async () => {
      const token = await accessToken();
      const response = await fetch(`/api/v1/media/${messageId}`, {
        headers: { authorization: `Bearer ${token ?? ""}` },
      }).catch(() => null);
      if (!response?.ok) {
        if (!cancelled) setFailed(true);
        return;
      }
      const blob = await response.blob();
      if (cancelled) return;
      objectUrl = URL.createObjectURL(blob);
      setUrl(objectUrl);
    })();
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [messageId, accessToken]);
  const label = content.caption ?? content.filename ?? t("message.media");
  const body = (() => {
    if (failed || !url) return <span className="message__media-placeholder">📎 {label}</span>;
    switch (content.mediaType) {
      case "image":
      case "sticker":
        return <img src={url} alt={content.caption ?? t("message.media")} className="message__image" />;
      case "video":
        return <video src={url} controls className="message__video" />;
      case "audio":
        return <audio src={url} controls />;
      default:
        return (
          <a href={url} download={content.filename ?? "file"}>
            {t("message.download", { name: content.filename ?? label })}
          </a>
        );
    }
  })();
  return (
    <div className="message__media">
      {body}
      {content.caption && (
        <p className="message__text">
          <Linkified text={content.caption} />
        </p>
      )}
    </div>
  );
}
