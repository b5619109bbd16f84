// The one confirmation every destructive action goes through: it names the environment and, in
// a production environment, asks for the target's name (a service user's id, an environment's or
// a token's name) before the button works.
import { Alert, Badge, Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import {
  closeButtonProps,
  environmentColour,
  environmentLabel,
} from "../features/environments/environmentColour";
import type { EnvironmentView } from "../ipc";
import { useBackendQuery } from "../ipc/queries";

/** What a confirmation shows of an environment. */
export type ConfirmedEnvironment = Pick<EnvironmentView, "name" | "production" | "colour">;

/** The environment the app acts on, as a confirmation names it. */
export function useEnvironmentInfo(): ConfirmedEnvironment {
  const { data } = useBackendQuery("sessionStatus", []);
  const env = data?.environment;
  return { name: env?.name ?? "unknown", production: env?.production ?? false, colour: env?.colour ?? null };
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

/** "demo" or "prod-eu (production)" in the environment's colour (red in production); the current one by default. */
export function EnvironmentBadge({ environment }: { environment?: ConfirmedEnvironment }) {
  const current = useEnvironmentInfo();
  const env = environment ?? current;
  return (
    <Badge color={environmentColour(env)} variant={env.production ? "filled" : "light"} tt="none">
      {environmentLabel(env)}
    </Badge>
  );
}

/**
 * The environment line every destructive confirmation shows and, in production, the field asking
 * for the service user's id. `onReady` says whether the confirm button may work.
 */
export function ConfirmEnvironment({
  typeToConfirm,
  environment,
  destructive = true,
  typed,
  onTyped,
}: {
  /** What to type in production; none: nothing to type. */
  typeToConfirm?: string;
  /** The environment acted on: the current one when not given, none shown when null. */
  environment?: ConfirmedEnvironment | null;
  destructive?: boolean;
  typed: string;
  onTyped: (value: string) => void;
}) {
  const current = useEnvironmentInfo();
  const env = environment === undefined ? current : environment;
  if (!env) return null;
  return (
    <>
      <Group gap="xs">
        <Text size="sm">Environment:</Text>
        <EnvironmentBadge environment={env} />
      </Group>
      {destructive && env.production && (
        <Alert color="red" variant="light" title="Production environment">
          This changes the production environment {env.name}.
        </Alert>
      )}
      {destructive && env.production && typeToConfirm !== undefined && (
        <TextInput
          label={`Type ${typeToConfirm} to confirm`}
          value={typed}
          onChange={(e) => onTyped(e.currentTarget.value)}
          autoComplete="off"
          spellCheck={false}
          data-autofocus
        />
      )}
    </>
  );
}

/** Whether a confirmation may go ahead: outside production always; in production once the name is typed. */
export function useConfirmReady(
  typeToConfirm: string | undefined,
  typed: string,
  destructive = true,
  environment?: ConfirmedEnvironment | null,
): boolean {
  const current = useEnvironmentInfo();
  const env = environment === undefined ? current : environment;
  return !(destructive && env?.production && typeToConfirm !== undefined) || typed.trim() === typeToConfirm;
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
  /** Destructive: red button, and in production `typeToConfirm` must be typed. */
  destructive?: boolean;
  /** What to type in production (a service user's id, an environment's or a token's name). */
  typeToConfirm?: string;
  /** The environment acted on: the current one when not given, none shown when null. */
  environment?: ConfirmedEnvironment | null;
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
  typeToConfirm,
  environment,
}: ConfirmDialogProps) {
  useNestedDialog(opened);
  const [typed, setTyped] = useState("");
  useEffect(() => {
    if (!opened) setTyped("");
  }, [opened]);
  const ready = useConfirmReady(typeToConfirm, typed, destructive, environment);

  return (
    <Modal opened={opened} onClose={onClose} title={title} centered closeButtonProps={closeButtonProps}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && !loading) onConfirm();
        }}
      >
        <Stack gap="sm">
          {children}
          <ConfirmEnvironment
            typeToConfirm={typeToConfirm}
            environment={environment}
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
