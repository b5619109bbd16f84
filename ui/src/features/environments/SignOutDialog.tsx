// Signing out of the current environment, after a confirmation: from the Environments page and
// the command palette alike.
import { Text } from "@mantine/core";
import { notifySuccess } from "../../app/notify";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import type { EnvironmentView } from "../../ipc";
import { useBackendMutation } from "../../ipc/queries";
import { useResetAfterSwitch } from "./useResetAfterSwitch";

export function SignOutDialog({
  environment,
  opened,
  onClose,
}: {
  /** The environment signed out of (the current one: `signOut` acts on it). */
  environment: EnvironmentView | null;
  opened: boolean;
  onClose: () => void;
}) {
  const resetAll = useResetAfterSwitch();
  const signOut = useBackendMutation("signOut", {
    onSuccess: async () => {
      onClose();
      await resetAll();
      notifySuccess("Signed out: the credential and assumed tokens left the keychain.");
    },
  });
  return (
    <ConfirmDialog
      opened={opened}
      title="Sign out?"
      environment={environment}
      confirmLabel="Sign out"
      loading={signOut.isPending}
      onConfirm={() => signOut.mutate([])}
      onClose={onClose}
    >
      <Text size="sm">
        Your credential and the tokens of every service user you assumed here leave the OS keychain.
      </Text>
    </ConfirmDialog>
  );
}
