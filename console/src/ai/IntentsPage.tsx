import { type FormEvent, useEffect, useState } from "react";
import { useMutation, useQuery } from "urql";
import { useI18n } from "../i18n";
import { Problem, reasonOf } from "../Problem";
import { stageKey, useAiText } from "./messages";
import {
  INTENT_CREATE,
  INTENT_DELETE,
  INTENT_MODEL_TRAIN,
  INTENT_STARTER_IMPORT,
  INTENT_UPDATE,
  INTENTS,
} from "./operations";

const POLL_MS = 1_000;

/** The organization's intents with their examples, and its intent model: trained on demand in
 * the intents worker, its progress followed until it is ready, then its held-out figures. */
export default function IntentsPage() {
  const t = useAiText();
  const { locale } = useI18n();
  const [{ data }, reread] = useQuery({ query: INTENTS, requestPolicy: "network-only" });
  const [, create] = useMutation(INTENT_CREATE);
  const [, change] = useMutation(INTENT_UPDATE);
  const [editing, setEditing] = useState<string | null>(null);
  const [, remove] = useMutation(INTENT_DELETE);
  const [, importStarter] = useMutation(INTENT_STARTER_IMPORT);
  const [, train] = useMutation(INTENT_MODEL_TRAIN);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [examples, setExamples] = useState("");
  const refresh = () => reread({ requestPolicy: "network-only" });
  const model = data?.intentModels[0];
  const training = model?.status === "QUEUED" || model?.status === "TRAINING";

  useEffect(() => {
    if (!training) return;
    const timer = window.setInterval(() => reread({ requestPolicy: "network-only" }), POLL_MS);
    return () => window.clearInterval(timer);
  }, [training, reread]);

  function edit(intent: { id: string; name: string; description: string; examples: string[] } | null) {
    setEditing(intent?.id ?? null);
    setName(intent?.name ?? "");
    setDescription(intent?.description ?? "");
    setExamples(intent?.examples.join("\n") ?? "");
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const input = {
      name: name.trim(),
      description,
      examples: examples
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    };
    const result = editing
      ? await change({ input: { id: editing, ...input } })
      : await create({ input });
    const payload = result.data && ("intentUpdate" in result.data ? result.data.intentUpdate : result.data.intentCreate);
    if (payload?.__typename === "IntentSaveSuccess") {
      edit(null);
      refresh();
    } else setProblem(reasonOf(payload, result.error));
  }

  async function starter() {
    setProblem(null);
    const result = await importStarter({});
    const payload = result.data?.intentStarterSetImport;
    if (payload?.__typename === "IntentStarterSetImportSuccess") {
      setNotice(t("intents.imported", { count: payload.created.length }));
      refresh();
    } else setProblem(reasonOf(payload, result.error));
  }

  async function startTraining() {
    setProblem(null);
    const result = await train({});
    const payload = result.data?.intentModelTrain;
    if (payload?.__typename === "IntentModelTrainSuccess") refresh();
    else setProblem(reasonOf(payload, result.error));
  }

  async function drop(id: string) {
    const result = await remove({ input: { id } });
    const payload = result.data?.intentDelete;
    if (payload?.__typename === "IntentDeleteSuccess") refresh();
    else setProblem(reasonOf(payload, result.error));
  }

  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  return (
    <main className="setup-page">
      <h1>{t("intents.title")}</h1>
      <p className="hint">{t("intents.explain")}</p>
      {notice && <p role="status">{notice}</p>}
      <Problem text={problem} />
      <section aria-labelledby="intent-model">
        <h2 id="intent-model">{t("intents.model")}</h2>
        {!model && <p>{t("intents.noModel")}</p>}
        {model && (
          <p data-model-status={model.status}>{t("intents.status", { version: model.version, status: t(stageKey(model.stage)) })}</p>
        )}
        {training && model && (
          <progress aria-label={t("intents.progress")} max={1} value={model.progress} />
        )}
        {model?.status === "FAILED" && <p className="problem">{t("intents.failed", { error: model.error ?? "" })}</p>}
        {model?.status === "READY" && model.accuracy !== null && model.accuracy !== undefined && (
          <>
            <p data-accuracy={model.accuracy}>
              {t("intents.accuracy", {
                accuracy: percent.format(model.accuracy),
                f1: (model.macroF1 ?? 0).toFixed(2),
                held: model.heldOutCount ?? 0,
                total: model.exampleCount ?? 0,
                seconds: (model.trainingSeconds ?? 0).toFixed(2),
              })}
            </p>
            {model.confusionMatrix && (
              // Scrolls sideways with many intents: focusable so the keyboard can scroll it too.
              <div className="confusion" role="region" aria-label={t("intents.confusion")} tabIndex={0}>
                <table className="setup-table">
                  <caption>{t("intents.confusion")}</caption>
                  <thead>
                    <tr>
                      <td />
                      {model.confusionMatrix.labels.map((label) => (
                        <th key={label} scope="col">
                          {label}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {model.confusionMatrix.counts.map((row, index) => (
                      <tr key={model.confusionMatrix?.labels[index]}>
                        <th scope="row">{model.confusionMatrix?.labels[index]}</th>
                        {row.map((count, column) => (
                          <td key={column} className={column === index ? "confusion__right" : undefined}>
                            {count}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
        <button type="button" disabled={training} onClick={() => void startTraining()}>
          {t("intents.train")}
        </button>
      </section>
      <section aria-labelledby="intent-list">
        <h2 id="intent-list">{t("intents.title")}</h2>
        <button type="button" onClick={() => void starter()}>
          {t("intents.importStarter")}
        </button>
        {data && data.intents.length === 0 && <p className="hint">{t("intents.none")}</p>}
        {data && data.intents.length > 0 && (
          <table className="setup-table">
            <thead>
              <tr>
                <th scope="col">{t("intents.name")}</th>
                <th scope="col">{t("intents.description")}</th>
                <th scope="col">{t("intents.examples")}</th>
                <td />
              </tr>
            </thead>
            <tbody>
              {data.intents.map((intent) => (
                <tr key={intent.id} data-intent={intent.name}>
                  <th scope="row">{intent.name}</th>
                  <td>{intent.description}</td>
                  <td title={intent.examples.join("\n")}>{intent.examples.length}</td>
                  <td>
                    <button type="button" onClick={() => edit(intent)}>
                      {t("intents.edit", { name: intent.name })}
                    </button>{" "}
                    <button type="button" onClick={() => void drop(intent.id)}>
                      {t("intents.delete", { name: intent.name })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form className="setup-form setup-form--column" onSubmit={(e) => void save(e)}>
          <label>
            {t("intents.name")}
            <input required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            {t("intents.description")}
            <input value={description} onChange={(e) => setDescription(e.target.value)} />
          </label>
          <label>
            {t("intents.examplesHint")}
            <textarea rows={5} value={examples} onChange={(e) => setExamples(e.target.value)} />
          </label>
          <button type="submit">{editing ? t("intents.save") : t("intents.add")}</button>
          {editing && (
            <button type="button" onClick={() => edit(null)}>
              {t("intents.cancel")}
            </button>
          )}
        </form>
      </section>
    </main>
  );
}
