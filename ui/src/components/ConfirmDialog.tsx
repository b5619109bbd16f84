// The confirmation every destructive action goes through: it names the environment and, in a
// production environment, asks for the service user's id before the button works.
import { Alert, Badge, Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { useBackendQuery } from "../ipc/queries";

/** The environment the app acts on, as a confirmation names it. */
export function useEnvironmentInfo(): { name: string; production: boolean } {
  const { data } = useBackendQuery("sessionStatus", []);
  const env = data?.environment;
  return { name: env?.name ?? "unknown", production: env?.production ?? false };
}

/**
 * Every open Mantine modal closes on Escape (each listens on the window), so a drawer under a
 * dialog would close with it. Dialogs report themselves here; the drawer ignores Escape meanwhile.
 */
export const NestedDialogContext = createContext<(delta: 1 | -1) => void>(() => {});

export function useNestedDialog(opened: boolean): void {
  const report = useContext(NestedDialogContext);
  useEffect(() => {
    if (!opened) return;
    report(1);
    return () => report(-1);
  }, [opened, report]);
}

/** "demo" or "prod-eu (production)", red in production. */
export function EnvironmentBadge() {
  const env = useEnvironmentInfo();
  return (
    <Badge color={env.production ? "red" : "gray"} variant={env.production ? "filled" : "light"} tt="none">
      {env.production ? `${env.name} (production)` : env.name}
    </Badge>
  );
}

/**
 * The environment line every destructive confirmation shows and, in production, the field asking
 * for the service user's id. `onReady` says whether the confirm button may work.
 */
export function ConfirmEnvironment({
  serviceUserId,
  destructive = true,
  typed,
  onTyped,
}: {
  serviceUserId: string;
  destructive?: boolean;
  typed: string;
  onTyped: (value: string) => void;
}) {
  const env = useEnvironmentInfo();
  return (
    <>
      <Group gap="xs">
        <Text size="sm">Environment:</Text>
        <EnvironmentBadge />
      </Group>
      {destructive && env.production && (
        <>
          <Alert color="red" variant="light" title="Production environment">
            This changes the production environment {env.name}.
          </Alert>
          <TextInput
            label={`Type ${serviceUserId} to confirm`}
            value={typed}
            onChange={(e) => onTyped(e.currentTarget.value)}
            autoComplete="off"
            spellCheck={false}
            data-autofocus
          />
        </>
      )}
    </>
  );
}

/** Whether a confirmation may go ahead: outside production always; in production once the id is typed. */
export function useConfirmReady(serviceUserId: string, typed: string, destructive = true): boolean {
  const env = useEnvironmentInfo();
  return !(destructive && env.production) || typed.trim() === serviceUserId;
}

export type ConfirmDialogProps = {
  opened: boolean;
  onClose: () => void;
  title: string;
  /** What will happen, in a sentence or two. */
  children: ReactNode;
  /** The confirm button's text ("Disable etl-bot"). */
  confirmLabel: string;
  onConfirm: () => void;
  loading?: boolean;
  /** Destructive: red button, and in production the service user's id must be typed. */
  destructive?: boolean;
  /** The id to type in production. */
  serviceUserId: string;
};

export function ConfirmDialog({
  opened,
  onClose,
  title,
  children,
  confirmLabel,
  onConfirm,
  loading = false,
  destructive = true,
  serviceUserId,
}: ConfirmDialogProps) {
  useNestedDialog(opened);
  const [typed, setTyped] = useState("");
  useEffect(() => {
    if (!opened) setTyped("");
  }, [opened]);
  const ready = useConfirmReady(serviceUserId, typed, destructive);

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={title}
      centered
      closeButtonProps={{ "aria-label": "Close" }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && !loading) onConfirm();
        }}
      >
        <Stack gap="sm">
          {children}
          <ConfirmEnvironment
            serviceUserId={serviceUserId}
            destructive={destructive}
            typed={typed}
            onTyped={setTyped}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" color={destructive ? "red" : undefined} disabled={!ready} loading={loading}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
