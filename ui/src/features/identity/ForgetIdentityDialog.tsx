import { Text } from "@mantine/core";
import { useSession } from "../../app/session";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import type { IdentityView } from "../../gen/bindings";
import { stateNow } from "./identityState";

/** "Forget etl-bot?": its token leaves the keychain; the window acts as you again. */
export function ForgetIdentityDialog({
  identity,
  opened,
  loading,
  onConfirm,
  onClose,
}: {
  identity: IdentityView;
  opened: boolean;
  loading: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { data: session } = useSession();
  const id = identity.serviceUserId;
  // Whether it can be assumed later: not when the server refuses it for a reason that rules that
  // out (the service user deleted, disabled or no longer shared).
  const canAssumeAgain = stateNow(identity, Date.now()) !== "refused" || identity.canAssumeAgain;
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
