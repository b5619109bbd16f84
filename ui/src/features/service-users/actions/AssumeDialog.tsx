// Assume a service user: one of its roles, for 1-180 minutes (60 preset; 15/60/180 shortcuts).
// The token goes to the OS keychain; the identity bar shows who the window acts as.
import { Alert, Button, Group, Modal, NumberInput, Select, Stack, Text } from "@mantine/core";
import { useForm } from "@mantine/form";
import { formatRelative, formatTimeOfDay } from "../../../app/dateTime";
import { notifyError, notifySuccess } from "../../../app/notify";
import { useSession } from "../../../app/session";
import { useNestedDialog } from "../../../components/ConfirmDialog";
import { CONTRACT, type UserView } from "../../../gen/bindings";
import { useBackendMutation } from "../../../ipc/queries";
import { roleOption, useNow, useRoleNames } from "../../identity/hooks";
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
        `Acting as ${identity.serviceUserId} with ${roleName(identity.roleId)} until ${formatTimeOfDay(identity.expiresAt)}.`,
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
        <TokenEnd userId={user.userId} minutes={minutes} />
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

/**
 * When the token will end, and a warning when the password session ends before it: the window
 * can no longer act as the service user once the session is over, until you sign in again.
 */
function TokenEnd({ userId, minutes }: { userId: string; minutes: number | string }) {
  const now = useNow(30_000);
  const { data: session } = useSession();
  const m = Number(minutes);
  if (!Number.isInteger(m) || m < EXPIRY_MIN || m > EXPIRY_MAX) return null;
  const endsAt = now + m * 60_000;
  const sessionEnd = session?.sessionExpiresAt ? Date.parse(session.sessionExpiresAt) : null;
  const sessionFirst = sessionEnd !== null && sessionEnd < endsAt;
  return (
    <Stack gap="xs">
      <Text size="sm" aria-label="token end">
        The token ends at {formatTimeOfDay(endsAt, { now })} ({formatRelative(endsAt, { now })}).
      </Text>
      {sessionFirst && (
        <Alert color="yellow" role="alert" title="Your session ends first" p="xs">
          Your session ends at {formatTimeOfDay(sessionEnd, { now })}, before this token. Then the window
          stops acting as {userId} until you sign in again.
        </Alert>
      )}
    </Stack>
  );
}
