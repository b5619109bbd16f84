import { Badge, Box, Button, Group, Loader, Menu, Text, VisuallyHidden } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { notifyError, notifySuccess } from "../../app/notify";
import { useSession } from "../../app/session";
import { ellipsis, truncatedLabel } from "../../components/truncatedLabel";
import type { RoleChoiceView } from "../../gen/bindings";
import type { CommandName } from "../../ipc";
import { commandKey, useBackendMutation, useBackendQuery } from "../../ipc/queries";
import { useRoleNames } from "../identity/hooks";
import { arrowsIntoMenu } from "../identity/menuKeyboard";
import { SessionEndLine } from "./SessionEndLine";
import { SignInAgainModal } from "./SignInAgainModal";

/** What the active role decides: refetched at once after a switch, so buttons follow (create...). */
const AFTER_ROLE_SWITCH: CommandName[] = ["myAccess", "roleList", "sessionStored"];

/** Acting with another of your roles (the role menu and the command palette): `mutate([roleId])`. */
export function useRoleSwitch() {
  const queryClient = useQueryClient();
  return useBackendMutation("roleUse", {
    meta: { errorToast: false },
    onSuccess: async (next) => {
      queryClient.setQueryData(commandKey("sessionStatus", []), next);
      await Promise.all(AFTER_ROLE_SWITCH.map((c) => queryClient.invalidateQueries({ queryKey: [c] })));
      notifySuccess(
        `You act with ${next.roleName ?? next.roleId} in ${next.environment?.name ?? "this environment"}.`,
      );
    },
    onError: (e) => notifyError(e, "Could not switch role"),
  });
}

/**
 * "alice as Super admin" in the top bar. Its menu says when the session ends and lists the roles
 * attached to you by name (the id on hover, the super-admin and default marked); choosing one
 * sends every later request with it (kept for this environment). A PAT is bound to its role: the
 * menu says so and offers to sign in with another credential.
 */
export function RoleMenu() {
  const { data: session } = useSession();
  const roleName = useRoleNames();
  const [open, setOpen] = useState(false);
  const [signingIn, setSigningIn] = useState(false);
  const roles = useBackendQuery("roleList", [], { enabled: open });
  const use = useRoleSwitch();
  if (!session?.userId) return null;
  const role = session.roleName ?? (session.roleId ? roleName(session.roleId) : null);
  const data = roles.data;
  const active = data?.roles.find((r) => r.active);
  return (
    // The group's label names who is signed in for tests (`[aria-label="signed in as"]`).
    <Box role="group" aria-label="signed in as" style={{ display: "flex", minWidth: 0, flexShrink: 1 }}>
      <Menu
        position="bottom-end"
        withinPortal
        withInitialFocusPlaceholder={false}
        opened={open}
        onChange={setOpen}
      >
        <Menu.Target>
          <Button
            onKeyDown={arrowsIntoMenu}
            variant="subtle"
            color="gray"
            size="compact-sm"
            title={`${session.userId}${role ? ` as ${role}` : ""}${session.roleId ? ` (${session.roleId})` : ""}: switch role`}
            loading={use.isPending}
            maw={260}
            styles={truncatedLabel}
          >
            {/* One inline run: the button's label is a flex box, which would drop the space. */}
            <span style={ellipsis}>
              <Text span fw={600} size="sm">
                {session.userId}
              </Text>
              {role && (
                <>
                  {" "}
                  <Text span size="sm" c="dimmed">
                    as {role}
                  </Text>
                </>
              )}
            </span>
          </Button>
        </Menu.Target>
        <Menu.Dropdown maw={360}>
          <Menu.Label>
            Signed in to {session.environment?.name} as {session.userId}
          </Menu.Label>
          <SessionEndLine />
          <Menu.Divider />
          <Menu.Label>
            {data && !data.switchable ? "Your role, fixed by the access token" : "Act with role"}
          </Menu.Label>
          {roles.isPending && (
            <Menu.Item disabled leftSection={<Loader size={12} />}>
              Loading your roles…
            </Menu.Item>
          )}
          {roles.error && <Menu.Item disabled>{roles.error.message}</Menu.Item>}
          {data && !data.switchable && (
            <Text size="xs" px="sm" pb={6} data-testid="role-bound">
              You signed in with a personal access token, which is bound to its role
              {active ? ` (${active.roleName})` : ""}. To act with another role, sign in with a password or
              with a token of that role.
            </Text>
          )}
          {data?.roles.map((r) => (
            <RoleItem
              key={r.roleId}
              role={r}
              disabled={!r.active && !data.switchable}
              onUse={() => !r.active && use.mutate([r.roleId])}
            />
          ))}
          {active && <CopyRoleId roleId={active.roleId} />}
          <Menu.Divider />
          <Menu.Item onClick={() => setSigningIn(true)}>Sign in with another credential…</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {session.environment && (
        <SignInAgainModal
          environment={session.environment}
          opened={signingIn}
          onClose={() => setSigningIn(false)}
          title={`Sign in to ${session.environment.name}`}
          initialMethod="password"
        />
      )}
    </Box>
  );
}

/** One of your roles: its name (the id on hover), marked super-admin, default, active (in bold). */
function RoleItem({ role, disabled, onUse }: { role: RoleChoiceView; disabled: boolean; onUse: () => void }) {
  return (
    <Menu.Item
      disabled={disabled}
      onClick={onUse}
      title={role.roleId}
      data-role-id={role.roleId}
      leftSection={
        <Text span size="sm" w={12} aria-hidden>
          {role.active ? "✓" : ""}
        </Text>
      }
      rightSection={
        <Group gap={4} wrap="nowrap">
          {role.isSuperAdmin && (
            <Badge size="xs" color="red" variant="light" tt="none">
              super-admin
            </Badge>
          )}
          {role.isDefault && (
            <Badge size="xs" color="gray" variant="light" tt="none">
              default
            </Badge>
          )}
        </Group>
      }
    >
      <Text span size="sm" fw={role.active ? 700 : undefined}>
        {role.roleName}
      </Text>
      {role.active && (
        <>
          {" "}
          <VisuallyHidden component="span">(active)</VisuallyHidden>
        </>
      )}
    </Menu.Item>
  );
}

/** Copies the active role's id (for the CLI's `--as-role`, a ticket, a policy). */
function CopyRoleId({ roleId }: { roleId: string }) {
  return (
    <Menu.Item
      onClick={() =>
        navigator.clipboard.writeText(roleId).then(
          () => notifySuccess(`Copied the role id ${roleId}.`),
          (e: unknown) =>
            notifyError({ code: "clipboard_unavailable", message: String(e) }, "Could not copy"),
        )
      }
    >
      <Text span size="sm">
        Copy role id{" "}
        <Text span ff="monospace" size="xs">
          {roleId}
        </Text>
      </Text>
    </Menu.Item>
  );
}
