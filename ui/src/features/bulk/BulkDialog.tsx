// One bulk change, step by step: what it needs (a role, people, a transfer user), the dry run's
// plan before anything is sent, the environment's name typed in production for a destructive
// change, the run with its progress and Cancel, then the results with their export.
import { Alert, Button, Group, Modal, Progress, Stack, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { notifyError, notifySuccess } from "../../app/notify";
import {
  ConfirmEnvironment,
  useConfirmReady,
  useEnvironmentInfo,
  useNestedDialog,
} from "../../components/ConfirmDialog";
import { type BulkPlanView, type BulkReportView, type BulkSelectionInput, toBackendError } from "../../ipc";
import { useBackend } from "../../ipc/BackendContext";
import { AFTER } from "../service-users/actions/invalidation";
import { ActionParams } from "./ActionParams";
import { actionInput, actionLabel, type BulkKind, NO_PARAMS } from "./bulkActions";
import { resultsCsv, resultsJson } from "./exportResults";
import { PlanTable } from "./PlanTable";
import { ResultTable } from "./ResultTable";
import { useBulkProgress } from "./useBulkProgress";

type Props = {
  kind: BulkKind;
  selection: BulkSelectionInput;
  /** How many are selected, in words ("3 service users", "all 40 matching"). */
  selected: string;
  onClose: (changed: boolean) => void;
};

type Step = "params" | "plan" | "running" | "done";

let runs = 0;

export function BulkDialog({ kind, selection, selected, onClose }: Props) {
  useNestedDialog(true);
  const backend = useBackend();
  const queryClient = useQueryClient();
  const env = useEnvironmentInfo();
  const [params, setParams] = useState(NO_PARAMS);
  /** Saves an export of the results as a new file; says where. */
  const save = async (fileName: string, contents: string) => {
    try {
      notifySuccess(`Saved to ${await backend.saveDownload(fileName, contents)}`, "Results exported");
    } catch (e) {
      notifyError(e, "Results not exported");
    }
  };
  const [step, setStep] = useState<Step>("params");
  const [plan, setPlan] = useState<BulkPlanView | null>(null);
  const [report, setReport] = useState<BulkReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [typed, setTyped] = useState("");
  const [runId, setRunId] = useState<string | null>(null);
  const progress = useBulkProgress(runId);
  const input = actionInput(kind, params);
  const ready = useConfirmReady(env.name, typed, plan?.destructive ?? false);

  const dryRun = async () => {
    if (typeof input === "string") return;
    setBusy(true);
    setError(null);
    try {
      setPlan(await backend.bulkPlan(input, selection));
      setStep("plan");
    } catch (e) {
      setError(toBackendError(e).message);
    } finally {
      setBusy(false);
    }
  };

  const run = async () => {
    if (typeof input === "string" || !plan) return;
    runs += 1;
    const id = `bulk-${Date.now()}-${runs}`;
    setRunId(id);
    setStep("running");
    setError(null);
    try {
      const ids = plan.items.map((i) => i.userId);
      const confirm = plan.production && plan.destructive ? typed.trim() : null;
      setReport(await backend.bulkRun(id, input, ids, confirm));
      setStep("done");
    } catch (e) {
      setError(toBackendError(e).message);
      setStep("plan");
    } finally {
      const stale = kind === "delete" ? AFTER.delete : [...AFTER.status, ...AFTER.shares, ...AFTER.roles];
      await Promise.all([...new Set(stale)].map((c) => queryClient.invalidateQueries({ queryKey: [c] })));
    }
  };

  const title = `${actionLabel(kind)}: ${selected}`;
  return (
    <Modal
      opened
      onClose={() => step !== "running" && onClose(step === "done")}
      title={title}
      size="xl"
      closeOnClickOutside={false}
      withCloseButton={step !== "running"}
      closeButtonProps={{ "aria-label": "Close" }}
    >
      <Stack gap="sm">
        {error && (
          <Alert color="red" role="alert" title="Nothing more was sent">
            {error}
          </Alert>
        )}
        {step === "params" && (
          <>
            <ActionParams kind={kind} params={params} onChange={setParams} />
            <Text size="sm" c="dimmed">
              The dry run decides every service user here, with the permission rules and the cache; it sends
              nothing.
            </Text>
            <Group justify="flex-end">
              <Button variant="default" onClick={() => onClose(false)}>
                Cancel
              </Button>
              <Button
                onClick={() => void dryRun()}
                loading={busy}
                disabled={typeof input === "string"}
                title={typeof input === "string" ? input : undefined}
              >
                Dry run
              </Button>
            </Group>
          </>
        )}
        {step === "plan" && plan && (
          <>
            <Text size="sm" aria-live="polite" data-testid="bulk-plan-summary">
              {plan.title}: {plan.allowed} to send, {plan.noOp} no-op, {plan.refused} refused. Nothing has
              been sent yet.
            </Text>
            <PlanTable plan={plan} />
            {plan.allowed > 0 && (
              <ConfirmEnvironment
                typeToConfirm={env.name}
                destructive={plan.destructive}
                typed={typed}
                onTyped={setTyped}
              />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setStep("params")}>
                Back
              </Button>
              <Button
                color={plan.destructive ? "red" : undefined}
                onClick={() => void run()}
                disabled={plan.allowed === 0 || !ready}
              >
                {plan.allowed === 0
                  ? "Nothing to send"
                  : `Send ${plan.allowed} change${plan.allowed === 1 ? "" : "s"}`}
              </Button>
            </Group>
          </>
        )}
        {step === "running" && plan && (
          <>
            <Text size="sm" aria-live="polite">
              {progress
                ? `${progress.finished} of ${progress.total} done`
                : `Sending ${plan.allowed} change(s)...`}
            </Text>
            <Progress
              aria-label="Bulk progress"
              value={progress && progress.total > 0 ? (100 * progress.finished) / progress.total : 0}
              animated={!progress}
              striped={!progress}
            />
            <Group justify="flex-end">
              <Button
                variant="default"
                onClick={() => runId && void backend.bulkCancel(runId)}
                title="Items not started yet are not sent"
              >
                Cancel
              </Button>
            </Group>
          </>
        )}
        {step === "done" && report && (
          <>
            <Text size="sm" aria-live="polite" data-testid="bulk-report-summary">
              {report.title}: {report.done} done, {report.refused} refused, {report.skipped} skipped,{" "}
              {report.cancelled} cancelled.
            </Text>
            <ResultTable report={report} />
            <Group justify="space-between">
              <Group gap="xs">
                <Button variant="default" onClick={() => void save("bulk-results.csv", resultsCsv(report))}>
                  Export CSV
                </Button>
                <Button variant="default" onClick={() => void save("bulk-results.json", resultsJson(report))}>
                  Export JSON
                </Button>
              </Group>
              <Button onClick={() => onClose(true)}>Done</Button>
            </Group>
          </>
        )}
      </Stack>
    </Modal>
  );
}
