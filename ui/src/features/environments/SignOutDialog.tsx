// Signing out of the current environment, after a confirmation: from the Environments page and
// the command palette alike. The session ends on the server first, best-effort: when it could
// not (offline, an older server), a warning that stays says until when it remains valid there.
import { Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
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
    onSuccess: async (out) => {
      onClose();
      await resetAll();
      if (out.server === "still_valid") {
        notifications.show({
          color: "yellow",
          title: "Signed out on this computer only",
          message: `The credential and assumed tokens left the keychain. ${out.message}`,
          autoClose: false,
          "data-sign-out": out.server,
        });
      } else {
        notifySuccess(`Signed out: the credential and assumed tokens left the keychain. ${out.message}`);
      }
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
