import { Text } from "@mantine/core";
import { useSession } from "../../app/session";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import type { IdentityView } from "../../gen/bindings";

/** "Forget etl-bot?": its token leaves the keychain; the window acts as you again. */
export function ForgetIdentityDialog({
  identity,
  opened,
  loading,
  canAssumeAgain,
  onConfirm,
  onClose,
}: {
  identity: IdentityView;
  opened: boolean;
  loading: boolean;
  /** Whether it can be assumed later (not when the service user was deleted or unshared). */
  canAssumeAgain: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { data: session } = useSession();
  const id = identity.serviceUserId;
  return (
    <ConfirmDialog
      opened={opened}
      title={`Forget ${id}?`}
      environment={session?.environment}
      confirmLabel="Forget"
      loading={loading}
      onConfirm={onConfirm}
      onClose={onClose}
    >
      <Text size="sm">
        Its token leaves the OS keychain
        {identity.active ? ` and the window acts as you (${session?.userId ?? "yourself"}) again` : ""}.
        {canAssumeAgain ? ` You can assume ${id} again later.` : ""}
      </Text>
    </ConfirmDialog>
  );
}
