// The "New service user" dialog: the form checks the server's rules before sending; roles come
// from those the admin holds. Loaded the first time the button is pressed.
import { Button, Group, Modal, MultiSelect, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useQueryClient } from "@tanstack/react-query";
import { notifyError, notifySuccess } from "../../../app/notify";
import { EnvironmentBadge } from "../../../components/ConfirmDialog";
import type { NewServiceUserInput } from "../../../gen/bindings";
import { useBackendMutation, useBackendQuery } from "../../../ipc/queries";
import { AFTER } from "./invalidation";
import { DEFAULT_ROLE } from "./policy";
import classes from "./readable.module.css";
import {
  DESCRIPTION_MAX,
  DISPLAY_NAME_MAX,
  validateDescription,
  validateDisplayName,
  validateUserId,
} from "./validation";

export type CreateServiceUserDialogProps = { opened: boolean; onClose: () => void };

export function CreateServiceUserDialog({ opened, onClose }: CreateServiceUserDialogProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="New service user"
      centered
      size="lg"
      closeButtonProps={{ "aria-label": "Close" }}
    >
      <CreateForm onDone={onClose} />
    </Modal>
  );
}

type Values = { userId: string; displayName: string; description: string; roles: string[] };

function CreateForm({ onDone }: { onDone: () => void }) {
  const access = useBackendQuery("myAccess", []);
  const roles = useBackendQuery("rolesList", [], { staleTime: 5 * 60_000 });
  const names = new Map((roles.data ?? []).map((r) => [r.roleId, r.roleName]));
  const attachable = (access.data?.roles ?? []).filter((r) => r !== DEFAULT_ROLE);

  const queryClient = useQueryClient();
  const form = useForm<Values>({
    mode: "controlled",
    initialValues: { userId: "", displayName: "", description: "", roles: [] },
    validate: {
      userId: validateUserId,
      displayName: validateDisplayName,
      description: validateDescription,
    },
  });

  const create = useBackendMutation("serviceUserCreate", {
    invalidates: AFTER.create,
    meta: { errorToast: false },
    onSuccess: (u) => {
      const roleNames = u.roles.map((r) => names.get(r) ?? r).join(", ");
      notifySuccess(`${u.userId} was created with ${roleNames}.`, "Service user created");
      onDone();
    },
    onError: (e) => {
      // Creating may have worked with attaching the roles failing (the message says so): the
      // list is asked again either way.
      for (const c of AFTER.create) void queryClient.invalidateQueries({ queryKey: [c] });
      if (e.code === "ALREADY_EXISTS") form.setFieldError("userId", e.message);
      else notifyError(e, "Could not create the service user");
    },
  });

  const submit = (v: Values) => {
    const input: NewServiceUserInput = {
      userId: v.userId.trim(),
      displayName: v.displayName.trim(),
      description: v.description.trim() || null,
      roles: v.roles,
    };
    create.mutate([input]);
  };

  return (
    <form className={classes.errors} onSubmit={form.onSubmit(submit)} noValidate>
      <Stack gap="sm">
        <TextInput
          label="User id"
          description="3-64 characters: letters, digits, dot, underscore, hyphen. It cannot change later."
          required
          autoComplete="off"
          spellCheck={false}
          data-autofocus
          {...form.getInputProps("userId")}
        />
        <TextInput
          label="Display name"
          required
          maxLength={DISPLAY_NAME_MAX}
          {...form.getInputProps("displayName")}
        />
        <TextInput label="Description" maxLength={DESCRIPTION_MAX} {...form.getInputProps("description")} />
        <MultiSelect
          label="Roles"
          description={`${DEFAULT_ROLE} is attached automatically; add roles you hold.`}
          placeholder={attachable.length ? "Pick roles" : "You hold no other role"}
          data={attachable.map((r) => ({ value: r, label: names.get(r) ? `${r} (${names.get(r)})` : r }))}
          searchable
          disabled={attachable.length === 0}
          comboboxProps={{ withinPortal: true }}
          {...form.getInputProps("roles")}
        />
        <Group gap="xs">
          <Text size="sm">Environment:</Text>
          <EnvironmentBadge />
        </Group>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
