// Enable / Disable, each after a confirmation (disabling is destructive: it ends the service
// user's tokens at once, so in production it asks for the id).
import { Text } from "@mantine/core";
import { useState } from "react";
import { notifySuccess } from "../../../app/notify";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import type { UserView } from "../../../gen/bindings";
import { useBackendMutation } from "../../../ipc/queries";
import { GuardedButton } from "./GuardedButton";
import { AFTER } from "./invalidation";
import { firstReason, noAccessReason, useOfflineReason } from "./policy";

export function StatusButton({ user }: { user: UserView }) {
  const [opened, setOpened] = useState(false);
  const reason = useStatusReason(user);
  return (
    <>
      <GuardedButton size="xs" variant="default" reason={reason} onClick={() => setOpened(true)}>
        {user.enabled ? "Disable" : "Enable"}
      </GuardedButton>
      <StatusDialog user={user} opened={opened} onClose={() => setOpened(false)} />
    </>
  );
}

/** Why enabling or disabling `user` is not allowed now (null: allowed). */
export function useStatusReason(user: UserView): string | null {
  const offline = useOfflineReason();
  return firstReason(noAccessReason(user, user.enabled ? "disable it" : "enable it"), offline);
}

/**
 * The confirmation and the request, for the button and the command palette alike: enables a
 * disabled service user, disables an enabled one.
 */
export function StatusDialog({
  user,
  opened,
  onClose,
}: {
  user: UserView;
  opened: boolean;
  onClose: () => void;
}) {
  const enable = !user.enabled;
  const command = enable ? "serviceUserEnable" : "serviceUserDisable";
  const mutation = useBackendMutation(command, {
    invalidates: AFTER.status,
    onSuccess: (u) => {
      onClose();
      notifySuccess(`${u.userId} is ${u.enabled ? "enabled" : "disabled"}.`);
    },
  });
  return (
    <ConfirmDialog
      opened={opened}
      onClose={onClose}
      title={enable ? `Enable ${user.userId}?` : `Disable ${user.userId}?`}
      confirmLabel={enable ? `Enable ${user.userId}` : `Disable ${user.userId}`}
      destructive={!enable}
      typeToConfirm={user.userId}
      loading={mutation.isPending}
      onConfirm={() => mutation.mutate([user.userId])}
    >
      <Text size="sm">
        {enable
          ? `Its owners can assume ${user.userId} again and its access tokens work again. Tokens assumed before it was disabled stay invalid.`
          : `Nobody can assume ${user.userId} while it is disabled: its assumed tokens and access tokens stop working at once. You can enable it again later.`}
      </Text>
    </ConfirmDialog>
  );
}
