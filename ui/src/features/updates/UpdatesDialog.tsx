import { Alert, Box, Button, Group, Modal, Progress, ScrollArea, Stack, Switch, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { AvailableUpdate, UpdateProblem, UpdateProgress } from "../../gen/bindings";
import { useBackend } from "../../ipc/BackendContext";
import { useBackendMutation, useBackendQuery } from "../../ipc/queries";
import { closeUpdatesDialog, useUpdatesDialogOpen } from "./updatesDialogStore";
import { useUpdateProgress } from "./useUpdateEvents";

/** What the dialog shows under its settings. */
type Shown =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "upToDate"; currentVersion: string }
  | { kind: "available"; update: AvailableUpdate }
  | { kind: "installing"; update: AvailableUpdate }
  | { kind: "restarting"; version: string }
  | { kind: "failed"; problem: UpdateProblem; update?: AvailableUpdate };

/** The progress line of an install: the download's share, then installing and restarting. */
export function progressText(p: UpdateProgress | null): { label: string; value: number | null } {
  if (!p) return { label: "Starting the download…", value: null };
  if (p.phase === "installing") return { label: "Installing…", value: 100 };
  if (p.phase === "restarting") return { label: "Restarting…", value: 100 };
  const mib = (n: number) => (n / 1048576).toFixed(1);
  if (p.total && p.total > 0) {
    const value = Math.min(100, Math.round((p.downloaded / p.total) * 100));
    return { label: `Downloading… ${value}% (${mib(p.downloaded)} of ${mib(p.total)} MiB)`, value };
  }
  return { label: `Downloading… ${mib(p.downloaded)} MiB`, value: null };
}

/**
 * "Check for updates": the current version, the automatic-check setting (locked when the
 * environment decides), a check by hand that says "up to date" or shows the new version with its
 * release notes, and the install on consent with its progress; the app then restarts into it. A
 * refused download (its signature) is shown with the message naming what failed.
 */
export function UpdatesDialog() {
  const opened = useUpdatesDialogOpen();
  const backend = useBackend();
  const queryClient = useQueryClient();
  const status = useBackendQuery("updateStatus", [], { enabled: opened });
  const setAutomatic = useBackendMutation("updateSetAutomatic", {
    onSuccess: (data) => queryClient.setQueryData(["updateStatus"], data),
  });
  const progress = useUpdateProgress();
  const [shown, setShown] = useState<Shown>({ kind: "idle" });

  // A newer version a background check found is shown as soon as the dialog opens.
  const found = status.data?.available ?? null;
  useEffect(() => {
    if (opened && found) setShown((s) => (s.kind === "idle" ? { kind: "available", update: found } : s));
  }, [opened, found]);

  const busy = shown.kind === "checking" || shown.kind === "installing" || shown.kind === "restarting";

  const check = async () => {
    setShown({ kind: "checking" });
    const answer = await backend.updateCheck();
    void queryClient.invalidateQueries({ queryKey: ["updateStatus"] });
    setShown(
      answer.kind === "upToDate" ? { kind: "upToDate", currentVersion: answer.currentVersion } : answer,
    );
  };

  const install = async (update: AvailableUpdate) => {
    setShown({ kind: "installing", update });
    const answer = await backend.updateInstall();
    setShown(answer.kind === "restarting" ? answer : { kind: "failed", problem: answer.problem, update });
  };

  const s = status.data;
  return (
    <Modal
      opened={opened}
      onClose={() => {
        if (busy) return;
        closeUpdatesDialog();
        if (shown.kind !== "available") setShown({ kind: "idle" });
      }}
      title="Updates"
      size="lg"
      closeOnClickOutside={!busy}
      withCloseButton={!busy}
    >
      <Stack gap="md">
        <Text size="sm">
          You have version <b data-testid="current-version">{s?.currentVersion ?? "…"}</b>.
        </Text>
        {s && !s.enabled && (
          <Alert color="yellow" title="Updates are off" role="note" data-testid="updates-disabled">
            {s.disabledReason}
          </Alert>
        )}
        {s?.enabled && (
          <Switch
            label="Check for updates automatically (at start and daily)"
            description={
              s.managed
                ? "Set by your administrator (AMORPHIC_SU_UPDATES); it cannot be changed here."
                : "A check only asks whether there is a newer version; nothing is installed without you."
            }
            checked={s.automatic}
            disabled={s.managed || setAutomatic.isPending}
            onChange={(e) => setAutomatic.mutate([e.currentTarget.checked])}
          />
        )}
        <ShownPart shown={shown} progress={progress} onInstall={install} />
        <Group justify="flex-end">
          {s?.lastChecked && shown.kind === "idle" && (
            <Text size="xs" c="dimmed" mr="auto">
              Last checked {new Date(s.lastChecked).toLocaleString()}
            </Text>
          )}
          <Button
            variant="default"
            onClick={check}
            disabled={!s?.enabled || busy}
            loading={shown.kind === "checking"}
          >
            Check for updates
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ShownPart({
  shown,
  progress,
  onInstall,
}: {
  shown: Shown;
  progress: UpdateProgress | null;
  onInstall: (u: AvailableUpdate) => void;
}) {
  switch (shown.kind) {
    case "idle":
    case "checking":
      return null;
    case "upToDate":
      return (
        <Alert color="green" role="status" data-testid="update-result" data-kind="upToDate">
          Amorphic Service Users Desktop is up to date (version {shown.currentVersion}).
        </Alert>
      );
    case "available":
      return (
        <Box role="region" aria-label="available update" data-testid="update-result" data-kind="available">
          <Text fw={600}>
            Version <span data-testid="available-version">{shown.update.version}</span> is available (you have{" "}
            {shown.update.currentVersion}).
          </Text>
          <ReleaseNotes update={shown.update} />
          <Group justify="flex-end" mt="sm">
            <Button onClick={() => onInstall(shown.update)}>Install and restart</Button>
          </Group>
        </Box>
      );
    case "installing": {
      const p = progressText(progress);
      return (
        <Stack gap={4} role="status" aria-label="update progress" data-testid="update-progress">
          <Text size="sm">
            Installing version {shown.update.version}: {p.label}
          </Text>
          <Progress value={p.value ?? 100} animated={p.value === null} aria-label={p.label} />
        </Stack>
      );
    }
    case "restarting":
      return (
        <Alert color="green" role="status" data-testid="update-result" data-kind="restarting">
          Version {shown.version} is installed. Restarting…
        </Alert>
      );
    case "failed":
      return (
        <Alert
          color="red"
          role="alert"
          title={
            shown.problem.code === "signature_invalid" ? "Update refused: bad signature" : "Update failed"
          }
          data-testid="update-result"
          data-kind="failed"
          data-problem-code={shown.problem.code}
        >
          {shown.problem.message}
        </Alert>
      );
  }
}

function ReleaseNotes({ update }: { update: AvailableUpdate }) {
  return (
    <Box mt="xs">
      <Text size="sm" c="dimmed">
        Release notes{update.date ? ` (published ${new Date(update.date).toLocaleDateString()})` : ""}:
      </Text>
      <ScrollArea.Autosize mah={220} type="auto">
        <Text size="sm" style={{ whiteSpace: "pre-wrap" }} data-testid="release-notes">
          {update.notes ?? "No release notes were published with this version."}
        </Text>
      </ScrollArea.Autosize>
    </Box>
  );
}
