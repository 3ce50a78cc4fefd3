import { useEffect, useState } from "react";
import { ConversationList } from "./ConversationList";
import { ConversationView } from "./ConversationView";
import { useI18n } from "../i18n";

function selectedFromHash(): string | null {
  const match = /^#\/conversations\/([\w-]+)$/.exec(window.location.hash);
  return match?.[1] ?? null;
}

export function Inbox() {
  const { t } = useI18n();
  const [selected, setSelected] = useState<string | null>(selectedFromHash);
  useEffect(() => {
    const follow = () => setSelected(selectedFromHash());
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);
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
