import { ConversationList } from "./ConversationList";
import { ConversationView } from "./ConversationView";
import { useI18n } from "../i18n";
import { useRoute } from "../route";

export function Inbox() {
  const { t } = useI18n();
  const route = useRoute();
  const selected = route.page === "inbox" ? route.id : null;
  return (
    <main className="inbox">
      <ConversationList selected={selected} />
      {selected ? (
        <ConversationView key={selected} conversationId={selected} />
      ) : (
        <section className="conversation conversation--empty">
          <p>{t("inbox.pick")}</p>
        </section>
      )}
    </main>
  );
}
