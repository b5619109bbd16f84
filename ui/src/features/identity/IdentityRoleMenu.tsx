import { Button, Loader, Menu } from "@mantine/core";
import { useState } from "react";
import { notifySuccess } from "../../app/notify";
import { ellipsis, truncatedLabel } from "../../components/truncatedLabel";
import type { IdentityView } from "../../gen/bindings";
import { useBackendMutation, useBackendQuery } from "../../ipc/queries";
import { useRoleNames } from "./hooks";
import { arrowsIntoMenu } from "./menuKeyboard";

/** "Role: Data engineers": the identity's role; its menu assumes the service user again with another. */
export function IdentityRoleMenu({ identity }: { identity: IdentityView }) {
  const id = identity.serviceUserId;
  const roleName = useRoleNames();
  const [open, setOpen] = useState(false);
  // The service user's roles, asked for when the menu opens.
  const user = useBackendQuery("userGet", [id], { enabled: open });
  const switchRole = useBackendMutation("assume", {
    invalidates: ["identitiesList"],
    onSuccess: (i) => notifySuccess(`Acting as ${i.serviceUserId} with ${i.roleName ?? roleName(i.roleId)}.`),
  });
  const current = identity.roleName ?? roleName(identity.roleId);
  const roles = user.data?.user.roles ?? [];
  return (
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
          size="compact-sm"
          aria-label={`Role: ${current}, switch role`}
          title={`${current} (${identity.roleId})`}
          loading={switchRole.isPending}
          maw={220}
          styles={truncatedLabel}
        >
          <span style={ellipsis}>Role: {current}</span>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Act as {id} with</Menu.Label>
        {user.isPending && (
          <Menu.Item disabled leftSection={<Loader size={12} />}>
            Loading roles…
          </Menu.Item>
        )}
        {user.error && <Menu.Item disabled>{user.error.message}</Menu.Item>}
        {roles.map((r) => (
          <Menu.Item
            key={r}
            disabled={r === identity.roleId}
            onClick={() => switchRole.mutate([id, r, identity.minutes])}
          >
            {roleName(r)}
            {r === identity.roleId ? " (current)" : ""}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
