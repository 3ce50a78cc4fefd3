import { useEffect, useMemo, useState } from "react";
import { useClient } from "urql";
import { useCoalesced, useLive } from "../context";
import type { OnboardingStateFragment } from "../gql/graphql";
import { useI18n } from "../i18n";
import { ONBOARDING, ONBOARDING_UPDATES } from "../operations";
import { freshReader, readFresh } from "../reads";

/** The guided setup's progress on every page, for owners and admins, until it is finished:
 * how many steps are done and a link to the next. Kept current live. */
export function OnboardingProgress({ enabled }: { enabled: boolean }) {
  return <div className="onboarding-progress-slot">{enabled && <Progress />}</div>;
}

function Progress() {
  const { t } = useI18n();
  const client = useClient();
  const [state, setState] = useState<OnboardingStateFragment | null>(null);
  const read = useMemo(
    () =>
      freshReader(async () => {
        const result = await readFresh(client, ONBOARDING, {});
        if (result.data) setState(result.data.onboarding);
      }),
    [client],
  );
  useEffect(() => {
    void read();
  }, [read]);
  const changed = useCoalesced(() => void read());
  useLive(ONBOARDING_UPDATES, {}, "onboardingUpdated", { event: (event) => setState(event.onboarding), gap: changed }, "onboarding");
  if (!state || state.finished) return null;
  const done = state.steps.filter((step) => step.status !== "TODO").length;
  return (
    <aside className="onboarding-progress" aria-label={t("onboarding.title")}>
      <progress max={state.steps.length} value={done} aria-hidden="true" />
      <span>{t("onboarding.progress", { done, total: state.steps.length })}</span>
      {state.nextStep && (
        <a href="#/onboarding">{t("onboarding.continue", { step: t(`step.${state.nextStep}`) })}</a>
      )}
    </aside>
  );
}
