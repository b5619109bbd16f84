// The service user's roles: attach one the admin holds, detach one (after a confirmation); the
// default role stays and says why.
import { Badge, Group, MultiSelect, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { notifySuccess } from "../../../app/notify";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import type { UserView } from "../../../gen/bindings";
import { useBackendMutation, useBackendQuery } from "../../../ipc/queries";
import { roleOption } from "../../identity/hooks";
import { GuardedButton } from "../actions/GuardedButton";
import { AFTER } from "../actions/invalidation";
import { DEFAULT_ROLE, firstReason, noAccessReason, useOfflineReason } from "../actions/policy";

export function RolesTab({ user }: { user: UserView }) {
  const roles = useBackendQuery("rolesList", [], { staleTime: 5 * 60_000 });
  const access = useBackendQuery("myAccess", []);
  const offline = useOfflineReason();
  const [picked, setPicked] = useState<string[]>([]);
  const [detaching, setDetaching] = useState<string | null>(null);

  const names = new Map((roles.data ?? []).map((r) => [r.roleId, r.roleName]));
  const held = new Set(access.data?.roles ?? []);
  const attachable = (access.data?.roles ?? []).filter((r) => !user.roles.includes(r));
  const changeReason = firstReason(noAccessReason(user, "change its roles"), offline);

  const attach = useBackendMutation("serviceUserAttachRoles", {
    invalidates: AFTER.roles,
    onSuccess: (_u, [, attached]) => {
      setPicked([]);
      notifySuccess(`Attached ${attached.join(", ")} to ${user.userId}.`);
    },
  });
  const detach = useBackendMutation("serviceUserDetachRole", {
    invalidates: AFTER.roles,
    onSuccess: (_u, [, role]) => {
      setDetaching(null);
      notifySuccess(`Detached ${role} from ${user.userId}.`);
    },
  });

  const detachReason = (role: string) =>
    firstReason(
      (role === user.defaultRoleId || role === DEFAULT_ROLE) &&
        `${role} is the default role: every service user keeps it, so it cannot be detached.`,
      changeReason,
      access.data &&
        !held.has(role) &&
        `You do not hold ${role}: only roles you hold can be attached or detached.`,
    );

  return (
    <Stack gap="sm">
      <Table aria-label="Roles" verticalSpacing={4}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Role</Table.Th>
            <Table.Th>Id</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {user.roles.map((role) => (
            <Table.Tr key={role} data-role-id={role}>
              {/* The name first (role names everywhere); the id beside it, for the CLI and the API. */}
              <Table.Td>
                <Group gap={6}>
                  <Text size="sm">{names.get(role) ?? role}</Text>
                  {role === user.defaultRoleId && (
                    <Badge size="xs" variant="light" color="gray">
                      default
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed" ff="monospace" style={{ wordBreak: "break-all" }}>
                  {role}
                </Text>
              </Table.Td>
              <Table.Td>
                <GuardedButton
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  aria-label={`Detach ${role}`}
                  reason={detachReason(role)}
                  onClick={() => setDetaching(role)}
                >
                  Detach
                </GuardedButton>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Group align="flex-end" gap="xs" wrap="nowrap">
        <MultiSelect
          label="Roles to attach"
          description="Only roles you hold can be attached"
          placeholder={attachable.length ? "Pick roles" : undefined}
          data={attachable.map((r) => roleOption(r, names.get(r)))}
          value={picked}
          onChange={setPicked}
          disabled={Boolean(changeReason) || attachable.length === 0}
          nothingFoundMessage="No role matches"
          searchable
          comboboxProps={{ withinPortal: true }}
          style={{ flex: 1 }}
        />
        <GuardedButton
          reason={firstReason(changeReason, picked.length === 0 && "Pick a role to attach first.")}
          loading={attach.isPending}
          onClick={() => attach.mutate([user.userId, picked])}
        >
          Attach role
        </GuardedButton>
      </Group>
      {access.data && attachable.length === 0 && (
        <Text size="xs" c="dimmed">
          {user.userId} already has every role you hold.
        </Text>
      )}

      <ConfirmDialog
        opened={detaching !== null}
        onClose={() => setDetaching(null)}
        title={`Detach ${detaching ?? ""}?`}
        confirmLabel={`Detach ${detaching ?? ""}`}
        typeToConfirm={user.userId}
        loading={detach.isPending}
        onConfirm={() => detaching && detach.mutate([user.userId, detaching])}
      >
        <Text size="sm">
          {user.userId} loses the role {detaching}: identities assumed with it stop working with that role,
          and anyone acting as {user.userId} can no longer pick it.
        </Text>
      </ConfirmDialog>
    </Stack>
  );
}
