import { type FormEvent, type ReactNode, useEffect, useMemo, useState } from "react";
import { useClient, useMutation } from "urql";
import { useCoalesced, useLive } from "../context";
import type {
  BusinessSegment,
  ConsoleSegmentLibraryQuery,
  ConsoleSetupQuery,
  Language,
  OnboardingStateFragment,
  OnboardingStepName,
  UserRole,
} from "../gql/graphql";
import { useI18n } from "../i18n";
import {
  CONVERSATION_MESSAGES_RECEIVED,
  CONVERSATION_MESSAGES_SENT,
  MESSAGES,
  ONBOARDING,
  ONBOARDING_UPDATES,
} from "../operations";
import { Problem, reasonOf } from "../Problem";
import { freshReader, readFresh } from "../reads";
import { useSetupText } from "./messages";
import {
  INVITATION_CREATE,
  NUMBER_CHECK,
  NUMBER_CREATE,
  ORGANIZATION_UPDATE,
  QUEUE_CREATE,
  READY_FLOW_CREATE,
  READY_FLOW_PUBLISH,
  SEGMENT_LIBRARY,
  SETUP,
  STEP_COMPLETE,
  STEP_SKIP,
  TEMPLATE_SYNC,
  TEST_CONVERSATION,
  TRIAL_SAY,
  TRIAL_START,
} from "./operations";

type Setup = ConsoleSetupQuery;
const SEGMENTS: readonly BusinessSegment[] = ["RETAIL", "SERVICES", "HEALTH", "EDUCATION", "RESTAURANTS"];
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
const TEST_CUSTOMER = "5511900000000";

/** One action of a step: runs, shows PyTake's refusal if any, and re-reads the setup. */
function useAction(after: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function run(action: () => Promise<string | null>) {
    setBusy(true);
    setProblem(null);
    const refused = await action().catch((error: Error) => error.message);
    setBusy(false);
    setProblem(refused);
    await after();
  }
  return { busy, problem, run };
}

function refusal(result: { data?: object | null; error?: { message: string } }, field: string): string | null {
  const payload = (result.data as Record<string, { __typename?: string; message?: string }> | undefined)?.[field];
  if (payload && !("message" in payload && payload.message)) return null;
  return reasonOf(payload, result.error);
}

/** The guided onboarding: seven steps from nothing to a working automated number, each shown
 * with what it still needs, resumable on any device (the state is PyTake's). */
export default function OnboardingPage() {
  const t = useSetupText();
  const { t: tt } = useI18n();
  const client = useClient();
  const [state, setState] = useState<OnboardingStateFragment | null>(null);
  const [setup, setSetup] = useState<Setup | null>(null);
  const [chosen, setChosen] = useState<OnboardingStepName | null>(null);
  // An invitation link is shown once: it stays on the page when the step it came from is done.
  const [invitationLink, setInvitationLink] = useState<string | null>(null);
  const read = useMemo(
    () =>
      freshReader(async () => {
        const [onboarding, organization] = await Promise.all([
          readFresh(client, ONBOARDING, {}),
          readFresh(client, SETUP, {}),
        ]);
        if (onboarding.data) setState(onboarding.data.onboarding);
        if (organization.data) setSetup(organization.data);
      }),
    [client],
  );
  useEffect(() => {
    void read();
  }, [read]);
  const changed = useCoalesced(() => void read());
  useLive(ONBOARDING_UPDATES, {}, "onboardingUpdated", { event: changed, gap: changed }, "onboarding-page");

  if (!state || !setup) return <p className="loading">{tt("inbox.loading")}</p>;
  const current = chosen ?? state.nextStep;
  const reread = () => read();
  return (
    <main className="setup-page onboarding">
      <h1>{tt("onboarding.title")}</h1>
      <div className="onboarding__layout">
        <nav aria-label={tt("onboarding.steps")}>
          <ol className="onboarding__steps">
            {state.steps.map((step) => (
              <li key={step.step} data-step={step.step} data-status={step.status}>
                <button
                  type="button"
                  className="link"
                  aria-current={current === step.step ? "step" : undefined}
                  onClick={() => setChosen(step.step)}
                >
                  {tt(`step.${step.step}`)}
                </button>{" "}
                <span className="onboarding__status">{tt(`stepStatus.${step.status}`)}</span>
              </li>
            ))}
          </ol>
        </nav>
        <section className="onboarding__panel" aria-labelledby="onboarding-step-title">
          {invitationLink && (
            <label className="issued">
              {tt("team.link")}
              <input readOnly value={invitationLink} onFocus={(e) => e.target.select()} />
            </label>
          )}
          {current === null || current === undefined ? (
            <>
              <h2 id="onboarding-step-title">{tt("onboarding.finished")}</h2>
              <a href="#/">{tt("onboarding.toInbox")}</a>
            </>
          ) : (
            <Step
              step={current}
              missing={state.steps.find((s) => s.step === current)?.missing ?? null}
              onDone={() => setChosen(null)}
            >
              {current === "PROFILE" && <ProfileStep setup={setup} after={reread} />}
              {current === "NUMBER" && <NumberStep after={reread} />}
              {current === "CONNECTIVITY" && <ConnectivityStep setup={setup} after={reread} />}
              {current === "TEMPLATES" && <TemplatesStep setup={setup} after={reread} />}
              {current === "FLOW" && <FlowStep setup={setup} after={reread} />}
              {current === "TEAM" && <TeamStep setup={setup} after={reread} onLink={setInvitationLink} />}
              {current === "TEST_CONVERSATION" && <TestStep setup={setup} />}
            </Step>
          )}
          <p className="hint">{t("resume")}</p>
        </section>
      </div>
    </main>
  );
}

function Step({
  step,
  missing,
  onDone,
  children,
}: {
  step: OnboardingStepName;
  missing: string | null;
  onDone: () => void;
  children: ReactNode;
}) {
  const t = useSetupText();
  const { t: tt } = useI18n();
  const [, skip] = useMutation(STEP_SKIP);
  return (
    <>
      <h2 id="onboarding-step-title">{tt(`step.${step}`)}</h2>
      <p>{t(`explain.${step}`)}</p>
      {missing && <p className="onboarding__missing">{missing}</p>}
      {children}
      <button
        type="button"
        className="onboarding__skip"
        onClick={() => void skip({ input: { step } }).then(onDone)}
      >
        {tt("onboarding.skip")}
      </button>
    </>
  );
}

function ProfileStep({ setup, after }: { setup: Setup; after: () => Promise<void> }) {
  const t = useSetupText();
  const organization = setup.organization;
  const hours = (organization.businessHours ?? {}) as { weekly?: Record<string, string[][]> };
  const [name, setName] = useState(organization.name);
  const [language, setLanguage] = useState<Language>(organization.language);
  const [timeZone, setTimeZone] = useState(organization.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [segment, setSegment] = useState<BusinessSegment>(organization.segment ?? "RETAIL");
  const [weekly, setWeekly] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      WEEKDAYS.map((day) => [
        day,
        (hours.weekly?.[day] ?? (day === "saturday" || day === "sunday" ? [] : [["09:00", "18:00"]]))
          .map((pair) => pair.join("-"))
          .join(", "),
      ]),
    ),
  );
  const [, update] = useMutation(ORGANIZATION_UPDATE);
  const { busy, problem, run } = useAction(after);
  const zones = useMemo(() => Intl.supportedValuesOf("timeZone"), []);
  function submit(event: FormEvent) {
    event.preventDefault();
    const intervals = Object.fromEntries(
      Object.entries(weekly)
        .filter(([, text]) => text.trim())
        .map(([day, text]) => [day, text.split(",").map((part) => part.trim().split("-").map((p) => p.trim()))]),
    );
    void run(async () =>
      refusal(
        await update({
          input: {
            name,
            language,
            timeZone,
            segment,
            businessHours: { timeZone, weekly: intervals, holidays: [] },
          },
        }),
        "organizationUpdate",
      ),
    );
  }
  return (
    <form className="setup-form setup-form--column" onSubmit={submit}>
      <label>
        {t("businessName")}
        <input value={name} required onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t("customerLanguage")}
        <select value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
          <option value="PT_BR">Português (Brasil)</option>
          <option value="EN">English</option>
        </select>
      </label>
      <label>
        {t("timeZone")}
        <input list="time-zones" value={timeZone} required onChange={(e) => setTimeZone(e.target.value)} />
        <datalist id="time-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </label>
      <label>
        {t("segment")}
        <select value={segment} onChange={(e) => setSegment(e.target.value as BusinessSegment)}>
          {SEGMENTS.map((s) => (
            <option key={s} value={s}>
              {t(`segment.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t("hours")}</legend>
        {WEEKDAYS.map((day) => (
          <label key={day}>
            {t(`day.${day}`)}
            <input
              value={weekly[day] ?? ""}
              placeholder={t("closed")}
              onChange={(e) => setWeekly({ ...weekly, [day]: e.target.value })}
            />
          </label>
        ))}
      </fieldset>
      <Problem text={problem} />
      <button type="submit" disabled={busy}>
        {t("save")}
      </button>
    </form>
  );
}

function NumberStep({ after }: { after: () => Promise<void> }) {
  const t = useSetupText();
  const [, trial] = useMutation(TRIAL_START);
  const [, create] = useMutation(NUMBER_CREATE);
  const { busy, problem, run } = useAction(after);
  const [phoneNumberId, setPhoneNumberId] = useState("");
  const [wabaId, setWabaId] = useState("");
  const [accessToken, setAccessToken] = useState("");
  function connect(event: FormEvent) {
    event.preventDefault();
    void run(async () =>
      refusal(await create({ input: { phoneNumberId, wabaId, accessToken } }), "whatsappNumberCreate"),
    );
  }
  return (
    <>
      <div className="onboarding__choice">
        <h3>{t("trialTitle")}</h3>
        <p>{t("trialExplain")}</p>
        <button type="button" disabled={busy} onClick={() => void run(async () => refusal(await trial({}), "whatsappTrialStart"))}>
          {t("trialStart")}
        </button>
      </div>
      <form className="setup-form setup-form--column onboarding__choice" onSubmit={connect}>
        <h3>{t("connectTitle")}</h3>
        <label>
          {t("phoneNumberId")}
          <input required inputMode="numeric" value={phoneNumberId} onChange={(e) => setPhoneNumberId(e.target.value)} />
        </label>
        <label>
          {t("wabaId")}
          <input required inputMode="numeric" value={wabaId} onChange={(e) => setWabaId(e.target.value)} />
        </label>
        <label>
          {t("accessToken")}
          <input required type="password" autoComplete="off" value={accessToken} onChange={(e) => setAccessToken(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          {t("connect")}
        </button>
      </form>
      <Problem text={problem} />
    </>
  );
}

function ConnectivityStep({ setup, after }: { setup: Setup; after: () => Promise<void> }) {
  const t = useSetupText();
  const client = useClient();
  const [, complete] = useMutation(STEP_COMPLETE);
  const { busy, problem, run } = useAction(after);
  const [checks, setChecks] = useState<{ number: string; name: string; ok: boolean; message: string }[]>([]);
  async function test(): Promise<string | null> {
    const found = [];
    for (const number of setup.whatsappNumbers) {
      const result = await readFresh(client, NUMBER_CHECK, { id: number.id });
      for (const check of result.data?.whatsappNumberCheck?.checks ?? []) {
        found.push({ number: number.displayPhoneNumber, ...check });
      }
    }
    setChecks(found);
    if (found.some((check) => !check.ok)) return t("testFailed");
    return refusal(await complete({ input: { step: "CONNECTIVITY" } }), "onboardingStepComplete");
  }
  return (
    <>
      <button type="button" disabled={busy} onClick={() => void run(test)}>
        {t("runTest")}
      </button>
      <ul className="onboarding__checks" aria-label={t("testResults")}>
        {checks.map((check) => (
          <li key={check.number + check.name} data-ok={check.ok}>
            {check.ok ? "✓" : "✗"} {check.number}: {check.message}
          </li>
        ))}
      </ul>
      <Problem text={problem} />
    </>
  );
}

function TemplatesStep({ setup, after }: { setup: Setup; after: () => Promise<void> }) {
  const t = useSetupText();
  const [, sync] = useMutation(TEMPLATE_SYNC);
  const [, complete] = useMutation(STEP_COMPLETE);
  const { busy, problem, run } = useAction(after);
  const [count, setCount] = useState<number | null>(null);
  async function syncAll(): Promise<string | null> {
    let total = 0;
    for (const number of setup.whatsappNumbers) {
      const result = await sync({ input: { numberId: number.id } });
      const payload = result.data?.whatsappTemplateSync;
      if (payload?.__typename !== "WhatsAppTemplateSyncSuccess") return reasonOf(payload, result.error);
      total += payload.templates.length;
    }
    setCount(total);
    return refusal(await complete({ input: { step: "TEMPLATES" } }), "onboardingStepComplete");
  }
  return (
    <>
      <button type="button" disabled={busy} onClick={() => void run(syncAll)}>
        {t("syncTemplates")}
      </button>
      {count !== null && <p role="status">{t("templatesSynced", { count })}</p>}
      <Problem text={problem} />
    </>
  );
}

type LibraryEntry = ConsoleSegmentLibraryQuery["flowLibrary"][number];

function FlowStep({ setup, after }: { setup: Setup; after: () => Promise<void> }) {
  const t = useSetupText();
  const client = useClient();
  const [, create] = useMutation(READY_FLOW_CREATE);
  const [, publish] = useMutation(READY_FLOW_PUBLISH);
  const [, createQueue] = useMutation(QUEUE_CREATE);
  const { busy, problem, run } = useAction(after);
  const segment = setup.organization.segment ?? null;
  const [entries, setEntries] = useState<LibraryEntry[]>([]);
  useEffect(() => {
    void readFresh(client, SEGMENT_LIBRARY, { segment }).then((result) => {
      const all = result.data?.flowLibrary ?? [];
      // The business's own first, then the ones for every business.
      setEntries([...all.filter((e) => e.segments.length > 0), ...all.filter((e) => e.segments.length === 0)]);
    });
  }, [client, segment]);
  async function use(entry: LibraryEntry): Promise<string | null> {
    // A ready-made flow hands customers to a queue: with none yet, the team's first is made
    // now (the next step invites people to it).
    if (setup.queues.length === 0) {
      const refused = refusal(await createQueue({ input: { name: t("defaultQueue") } }), "queueCreate");
      if (refused) return refused;
    }
    const fresh = await readFresh(client, SEGMENT_LIBRARY, { segment });
    const ready = fresh.data?.flowLibrary.find((e) => e.key === entry.key) ?? entry;
    const created = await create({
      input: {
        name: ready.name,
        kind: ready.kind,
        graph: ready.graph,
        numberIds: setup.whatsappNumbers.map((n) => n.id),
      },
    });
    const payload = created.data?.flowCreate;
    if (payload?.__typename !== "FlowSaveSuccess") return reasonOf(payload, created.error);
    return refusal(await publish({ input: { id: payload.flow.id } }), "flowPublish");
  }
  return (
    <>
      <ul className="onboarding__library">
        {entries.map((entry) => (
          <li key={entry.key}>
            <h3>{entry.name}</h3>
            <p>{entry.description}</p>
            <button type="button" disabled={busy} onClick={() => void run(() => use(entry))}>
              {t("usePublish", { name: entry.name })}
            </button>
          </li>
        ))}
      </ul>
      <Problem text={problem} />
    </>
  );
}

function TeamStep({
  setup,
  after,
  onLink,
}: {
  setup: Setup;
  after: () => Promise<void>;
  onLink: (link: string) => void;
}) {
  const t = useSetupText();
  const { t: tt } = useI18n();
  const [, createQueue] = useMutation(QUEUE_CREATE);
  const [, invite] = useMutation(INVITATION_CREATE);
  const { busy, problem, run } = useAction(after);
  const [queueName, setQueueName] = useState(t("defaultQueue"));
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<UserRole>("AGENT");
  return (
    <>
      {setup.queues.length === 0 ? (
        <form
          className="setup-form"
          onSubmit={(event) => {
            event.preventDefault();
            void run(async () => refusal(await createQueue({ input: { name: queueName } }), "queueCreate"));
          }}
        >
          <label>
            {t("queueName")}
            <input required value={queueName} onChange={(e) => setQueueName(e.target.value)} />
          </label>
          <button type="submit" disabled={busy}>
            {t("createQueue")}
          </button>
        </form>
      ) : (
        <p>{t("queuesReady", { names: setup.queues.map((q) => q.name).join(", ") })}</p>
      )}
      <form
        className="setup-form"
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            const result = await invite({
              input: { email: email.trim(), role, queueIds: setup.queues.map((q) => q.id) },
            });
            const payload = result.data?.invitationCreate;
            if (payload?.__typename !== "InvitationIssueSuccess") return reasonOf(payload, result.error);
            onLink(payload.link);
            setEmail("");
            return null;
          });
        }}
      >
        <label>
          {tt("signIn.email")}
          <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {tt("team.role")}
          <select value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
            {(["AGENT", "SUPERVISOR"] as const).map((r) => (
              <option key={r} value={r}>
                {tt(`role.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy}>
          {tt("team.send")}
        </button>
      </form>
      <Problem text={problem} />
    </>
  );
}

interface ShownMessage {
  id: string;
  direction: string;
  text: string;
  buttons: { id: string; title: string }[];
}

function TestStep({ setup }: { setup: Setup }) {
  const t = useSetupText();
  const client = useClient();
  const [, say] = useMutation(TRIAL_SAY);
  const { busy, problem, run } = useAction(async () => {});
  const trial = setup.whatsappNumbers.some((number) => number.trial);
  const [text, setText] = useState("");
  const [conversation, setConversation] = useState<{ id: string; queue: string | null } | null>(null);
  const [messages, setMessages] = useState<ShownMessage[]>([]);
  const read = useMemo(
    () =>
      freshReader(async () => {
        const found = await readFresh(client, TEST_CONVERSATION, { search: TEST_CUSTOMER });
        const node = found.data?.conversations.edges[0]?.node;
        if (!node) return;
        setConversation({ id: node.id, queue: node.queue?.name ?? null });
        const result = await readFresh(client, MESSAGES, { conversationId: node.id, last: 20 });
        setMessages(
          (result.data?.messages.edges ?? []).map(({ node: message }) => {
            const content = message.content as Record<string, unknown> & { __typename: string };
            return {
              id: message.id,
              direction: message.direction,
              text: String(content.body ?? content.title ?? content.text ?? ""),
              buttons: (content.buttons as { id: string; title: string }[] | undefined) ?? [],
            };
          }),
        );
      }),
    [client],
  );
  useEffect(() => {
    void read();
  }, [read]);
  const changed = useCoalesced(() => void read(), 150);
  useLive(CONVERSATION_MESSAGES_RECEIVED, {}, "messageReceived", { event: changed, gap: changed }, "test-received");
  useLive(CONVERSATION_MESSAGES_SENT, {}, "messageSent", { event: changed, gap: changed }, "test-sent");
  if (!trial) return <p>{t("testOnPhone")}</p>;
  const lastButtons = [...messages].reverse().find((m) => m.direction === "OUTBOUND")?.buttons ?? [];
  return (
    <div className="onboarding__test">
      <ol className="onboarding__chat" aria-label={t("testChat")}>
        {messages.map((message) => (
          <li key={message.id} className={`onboarding__bubble onboarding__bubble--${message.direction.toLowerCase()}`}>
            {message.text}
          </li>
        ))}
      </ol>
      {lastButtons.length > 0 && (
        <div role="group" aria-label={t("tapAsCustomer")} className="onboarding__replies">
          {lastButtons.map((button) => (
            <button
              key={button.id}
              type="button"
              disabled={busy}
              onClick={() =>
                void run(async () =>
                  refusal(await say({ input: { text: button.title, replyId: button.id } }), "whatsappTrialCustomerSay"),
                )
              }
            >
              {button.title}
            </button>
          ))}
        </div>
      )}
      <form
        className="setup-form"
        onSubmit={(event) => {
          event.preventDefault();
          const message = text.trim();
          if (!message) return;
          setText("");
          void run(async () => refusal(await say({ input: { text: message } }), "whatsappTrialCustomerSay"));
        }}
      >
        <label>
          {t("asCustomer")}
          <input value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          {t("send")}
        </button>
      </form>
      {conversation?.queue && (
        <p role="status">
          {t("handedOff", { queue: conversation.queue })}{" "}
          <a href={`#/conversations/${conversation.id}`}>{t("openConversation")}</a>
        </p>
      )}
      <Problem text={problem} />
    </div>
  );
}
