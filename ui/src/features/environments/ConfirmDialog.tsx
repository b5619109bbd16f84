import { Badge, Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { type ReactNode, useState } from "react";
import type { EnvironmentView } from "../../gen/bindings";
import { closeButtonProps, environmentColour, environmentLabel } from "./environmentColour";

/**
 * A destructive action's confirmation. It names the environment; in production it asks to type
 * `typeToConfirm` (an id or the environment's name) first.
 */
export function ConfirmDialog({
  opened,
  title,
  children,
  environment,
  typeToConfirm,
  confirmLabel,
  loading,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  title: string;
  children: ReactNode;
  environment?: Pick<EnvironmentView, "name" | "production" | "colour"> | null;
  /** Asked for in production only. */
  typeToConfirm?: string;
  confirmLabel: string;
  loading?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const [typed, setTyped] = useState("");
  const mustType = Boolean(environment?.production && typeToConfirm);
  const ready = !mustType || typed.trim() === typeToConfirm;
  const close = () => {
    setTyped("");
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={title} centered closeButtonProps={closeButtonProps}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) onConfirm();
        }}
      >
        <Stack gap="sm">
          {environment && (
            <Group gap={6}>
              <Text size="sm">Environment:</Text>
              <Badge color={environmentColour(environment)} tt="none">
                {environmentLabel(environment)}
              </Badge>
            </Group>
          )}
          <div>{children}</div>
          {mustType && (
            <TextInput
              label={`Type ${typeToConfirm} to confirm`}
              description="This is a production environment."
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              data-autofocus
              autoComplete="off"
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!ready} loading={loading}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
