import { lazy, Suspense, useEffect, useState } from "react";
import { useMutation, useQuery } from "urql";
import { signOut } from "./api";
import { MeContext, type Me, useLiveUpdates } from "./context";
import { useRoute } from "./route";
import type { AgentStatus } from "./gql/graphql";
import { useI18n } from "./i18n";
import { Inbox } from "./inbox/Inbox";
import { QueueMonitor } from "./queues/QueueMonitor";
import { LanguagePicker } from "./LanguagePicker";
import type { ConnectionState } from "./live";
import { AGENT_STATUS_UPDATE, MY_AGENT, WHO_AM_I } from "./operations";
import { OnboardingProgress } from "./setup/progress";
import { DoNotDisturb } from "./notifications/DoNotDisturb";
import { NotificationBell } from "./notifications/NotificationBell";
import type { Session } from "./session";

// The flow editor (React Flow and its forms) loads when first opened.
const FlowsPage = lazy(() => import("./flows/FlowsPage"));
const TeamPage = lazy(() => import("./setup/TeamPage"));
const OnboardingPage = lazy(() => import("./setup/OnboardingPage"));
const SettingsPage = lazy(() => import("./setup/SettingsPage"));
const AiPage = lazy(() => import("./ai/AiPage"));
const NotificationPreferencesPage = lazy(() => import("./notifications/PreferencesPage"));

const STATUSES: readonly AgentStatus[] = ["ONLINE", "BUSY", "AWAY", "BREAK", "OFFLINE"];

export function Shell({ session }: { session: Session }) {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: WHO_AM_I });
  if (!data) return <p className="loading">{t("inbox.loading")}</p>;
  const me: Me = data.me;
  return (
    <MeContext.Provider value={me}>
      <div className="shell">
        <header className="shell__header">
          <span className="shell__brand">{t("app.name")}</span>
          <span className="shell__organization">{data.organization.name}</span>
          <Navigation me={me} />
          <ConnectionIndicator />
          <StatusSwitch userId={me.id} />
          <DoNotDisturb />
          <NotificationBell />
          <span className="shell__user">
            {me.name} · {t(`role.${me.role}`)}
          </span>
          <LanguagePicker />
          <button type="button" onClick={() => void signOut(session)}>
            {t("shell.signOut")}
          </button>
        </header>
        <OnboardingProgress enabled={MANAGING.includes(me.role)} />
        <Page me={me} />
      </div>
    </MeContext.Provider>
  );
}

const SUPERVISING: readonly Me["role"][] = ["OWNER", "ADMIN", "SUPERVISOR"];
const MANAGING: readonly Me["role"][] = ["OWNER", "ADMIN"];

function Navigation({ me }: { me: Me }) {
  const { t } = useI18n();
  const route = useRoute();
  return (
    <nav aria-label={t("shell.navigation")}>
      <a href="#/" aria-current={route.page === "inbox" ? "page" : undefined}>
        {t("shell.inbox")}
      </a>
      {SUPERVISING.includes(me.role) && (
        <>
          <a href="#/queues" aria-current={route.page === "queues" ? "page" : undefined}>
            {t("shell.queues")}
          </a>
          <a href="#/flows" aria-current={route.page === "flows" ? "page" : undefined}>
            {t("shell.flows")}
          </a>
          <a href="#/ai/insights" aria-current={route.page === "ai" ? "page" : undefined}>
            {t("shell.ai")}
          </a>
        </>
      )}
      {MANAGING.includes(me.role) && (
        <>
          <a href="#/team" aria-current={route.page === "team" ? "page" : undefined}>
            {t("shell.team")}
          </a>
          <a href="#/settings/numbers" aria-current={route.page === "settings" ? "page" : undefined}>
            {t("shell.settings")}
          </a>
        </>
      )}
    </nav>
  );
}

function Page({ me }: { me: Me }) {
  const route = useRoute();
  const { t } = useI18n();
  if (route.page === "queues" && SUPERVISING.includes(me.role)) {
    return <QueueMonitor selected={route.id} />;
  }
  const loading = <p className="loading">{t("inbox.loading")}</p>;
  if (route.page === "notifications") {
    return (
      <Suspense fallback={loading}>
        <NotificationPreferencesPage />
      </Suspense>
    );
  }
  if (route.page === "flows" && SUPERVISING.includes(me.role)) {
    return (
      <Suspense fallback={loading}>
        <FlowsPage selected={route.id} />
      </Suspense>
    );
  }
  if (route.page === "ai" && SUPERVISING.includes(me.role)) {
    return (
      <Suspense fallback={loading}>
        <AiPage section={route.id} />
      </Suspense>
    );
  }
  if (route.page === "onboarding" && MANAGING.includes(me.role)) {
    return (
      <Suspense fallback={loading}>
        <OnboardingPage />
      </Suspense>
    );
  }
  if (route.page === "settings" && MANAGING.includes(me.role)) {
    return (
      <Suspense fallback={loading}>
        <SettingsPage section={route.id} />
      </Suspense>
    );
  }
  if (route.page === "team" && MANAGING.includes(me.role)) {
    return (
      <Suspense fallback={loading}>
        <TeamPage />
      </Suspense>
    );
  }
  return <Inbox />;
}

function ConnectionIndicator() {
  const { t } = useI18n();
  const live = useLiveUpdates();
  const [state, setState] = useState<ConnectionState>(live.connectionState);
  useEffect(() => {
    const stop = live.onState(setState);
    // The socket may have connected between this component's render and this effect.
    setState(live.connectionState);
    return stop;
  }, [live]);
  return (
    <span className={`connection connection--${state}`} role="status" data-state={state}>
      {t(`connection.${state}`)}
    </span>
  );
}

function StatusSwitch({ userId }: { userId: string }) {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: MY_AGENT, variables: { userId } });
  const [, update] = useMutation(AGENT_STATUS_UPDATE);
  const [status, setStatus] = useState<AgentStatus>("OFFLINE");
  useEffect(() => {
    if (data?.agent) setStatus(data.agent.status);
  }, [data]);
  async function choose(next: AgentStatus) {
    const previous = status;
    setStatus(next);
    const result = await update({ input: { status: next } });
    if (result.data?.agentStatusUpdate.__typename !== "AgentSuccess") setStatus(previous);
  }
  return (
    <label className="status-switch">
      {t("shell.status")}
      <select
        value={status}
        data-status={status}
        onChange={(e) => void choose(e.target.value as AgentStatus)}
      >
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
