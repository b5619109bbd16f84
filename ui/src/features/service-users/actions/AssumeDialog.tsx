// Assume a service user: one of its roles, for 1-180 minutes (60 preset; 15/60/180 shortcuts).
// The token goes to the OS keychain; the identity bar shows who the window acts as.
import { Button, Group, Modal, NumberInput, Select, Stack, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifyError, notifySuccess } from "../../../app/notify";
import { useNestedDialog } from "../../../components/ConfirmDialog";
import { CONTRACT, type UserView } from "../../../gen/bindings";
import { useBackendMutation } from "../../../ipc/queries";
import { roleOption, useRoleNames } from "../../identity/hooks";
import { AFTER } from "./invalidation";
import classes from "./readable.module.css";
import { EXPIRY_MAX, EXPIRY_MIN, validateMinutes } from "./validation";

const SHORTCUTS = [15, CONTRACT.defaultAssumeMinutes, EXPIRY_MAX];

type Values = { role: string | null; minutes: number | string };

function initialRole(user: UserView): string | null {
  return user.roles.includes(user.defaultRoleId) ? user.defaultRoleId : (user.roles[0] ?? null);
}

export function AssumeDialog({
  user,
  opened,
  onClose,
}: {
  user: UserView;
  opened: boolean;
  onClose: () => void;
}) {
  useNestedDialog(opened);
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`Assume ${user.userId}`}
      centered
      closeButtonProps={{ "aria-label": "Close" }}
    >
      <AssumeForm user={user} onClose={onClose} />
    </Modal>
  );
}

/** Mounted while the dialog is open, so each opening starts from the presets. */
function AssumeForm({ user, onClose }: { user: UserView; onClose: () => void }) {
  const roleName = useRoleNames();
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: { role: initialRole(user), minutes: CONTRACT.defaultAssumeMinutes },
    validate: {
      role: (v) => (v ? null : "Choose a role"),
      minutes: validateMinutes,
    },
  });

  const assume = useBackendMutation("assume", {
    invalidates: AFTER.assume,
    meta: { errorToast: false },
    onSuccess: (identity) => {
      notifySuccess(
        `Acting as ${identity.serviceUserId} with ${roleName(identity.roleId)} until ${new Date(identity.expiresAt).toLocaleTimeString()}.`,
        "Assumed",
      );
      onClose();
    },
    onError: (e) => {
      if (e.code === "INVALID_EXPIRY") form.setFieldError("minutes", e.message);
      else if (e.code === "ROLE_NOT_ATTACHED") form.setFieldError("role", e.message);
      else notifyError(e, `Could not assume ${user.userId}`);
    },
  });

  const minutes = form.values.minutes;
  return (
    <form
      className={classes.errors}
      onSubmit={form.onSubmit((v) => assume.mutate([user.userId, v.role, Number(v.minutes)]))}
    >
      <Stack gap="sm">
        <Text size="sm">
          The window will act as {user.userId} with the role you choose, until the token expires. The token
          stays in the OS keychain.
        </Text>
        <Select
          label="Role"
          description="One of the service user's roles"
          data={user.roles.map((r) => roleOption(r, roleName(r)))}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps("role")}
        />
        <NumberInput
          label="Expiry (minutes)"
          description={`From ${EXPIRY_MIN} to ${EXPIRY_MAX} minutes`}
          min={EXPIRY_MIN}
          max={EXPIRY_MAX}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="none"
          {...form.getInputProps("minutes")}
        />
        <Group gap="xs" role="group" aria-label="Expiry shortcuts">
          {SHORTCUTS.map((m) => (
            <Button
              key={m}
              size="compact-sm"
              variant={Number(minutes) === m ? "filled" : "default"}
              aria-pressed={Number(minutes) === m}
              onClick={() => form.setFieldValue("minutes", m)}
            >
              {m} min
            </Button>
          ))}
        </Group>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={assume.isPending}>
            Assume
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
