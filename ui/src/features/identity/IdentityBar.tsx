import { Button, Group, Loader, Menu, Text } from "@mantine/core";
import { useState } from "react";
import { notifySuccess } from "../../app/notify";
import { useSession } from "../../app/session";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import type { IdentityView } from "../../gen/bindings";
import { useBackendMutation, useBackendQuery } from "../../ipc/queries";
import { useRedText } from "../environments/environmentColour";
import { Countdown } from "./Countdown";
import { useIdentities, useRoleNames } from "./hooks";
import { arrowsIntoMenu } from "./menuKeyboard";

/**
 * Right of the top bar: the assumed identity the window acts as, with its role, a live
 * countdown, role switch, renew and stop. When acting as yourself it only offers the identities
 * assumed earlier (if any).
 */
export function IdentityBar() {
  const { data: session } = useSession();
  const signedIn = Boolean(session?.userId) && !session?.problem;
  const { identities, active } = useIdentities(signedIn);
  const activate = useBackendMutation("identityActivate", { invalidates: ["identitiesList"] });

  if (!signedIn || identities.length === 0) return null;
  if (!active) {
    return (
      <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
        <Menu.Target>
          <Button onKeyDown={arrowsIntoMenu} variant="subtle" size="compact-sm">
            Assumed identities ({identities.length})
          </Button>
        </Menu.Target>
        <IdentityItems identities={identities} onActivate={(id) => activate.mutate([id])} />
      </Menu>
    );
  }
  return (
    <ActiveIdentity
      identity={active}
      identities={identities}
      me={session?.userId ?? "yourself"}
      onActivate={(id) => activate.mutate([id])}
    />
  );
}

function IdentityItems({
  identities,
  onActivate,
  me,
}: {
  identities: IdentityView[];
  onActivate: (userId: string | null) => void;
  me?: string;
}) {
  const roleName = useRoleNames();
  const red = useRedText();
  return (
    <Menu.Dropdown>
      <Menu.Label>Assumed identities</Menu.Label>
      {identities.map((i) => (
        <Menu.Item key={i.serviceUserId} disabled={i.active} onClick={() => onActivate(i.serviceUserId)}>
          {i.active ? `${i.serviceUserId} (active)` : `Act as ${i.serviceUserId}`}{" "}
          <Text span size="xs" c={i.expired ? red : "dimmed"}>
            {i.expired ? "(expired)" : `(${roleName(i.roleId)})`}
          </Text>
        </Menu.Item>
      ))}
      {me && (
        <>
          <Menu.Divider />
          <Menu.Item onClick={() => onActivate(null)}>Act as yourself ({me})</Menu.Item>
        </>
      )}
    </Menu.Dropdown>
  );
}

function ActiveIdentity({
  identity,
  identities,
  me,
  onActivate,
}: {
  identity: IdentityView;
  identities: IdentityView[];
  me: string;
  onActivate: (userId: string | null) => void;
}) {
  const id = identity.serviceUserId;
  const roleName = useRoleNames();
  const { data: session } = useSession();
  const [rolesOpen, setRolesOpen] = useState(false);
  const [stopping, setStopping] = useState(false);
  // The service user's roles, asked for when the role menu opens.
  const user = useBackendQuery("userGet", [id], { enabled: rolesOpen });

  const switchRole = useBackendMutation("assume", {
    invalidates: ["identitiesList"],
    onSuccess: (i) => notifySuccess(`Acting as ${i.serviceUserId} with ${roleName(i.roleId)}.`),
  });
  const renew = useBackendMutation("identityReassume", {
    invalidates: ["identitiesList"],
    onSuccess: (i) =>
      notifySuccess(
        `Renewed ${i.serviceUserId} for ${i.minutes} minutes, until ${new Date(i.expiresAt).toLocaleTimeString()}.`,
      ),
  });
  const stop = useBackendMutation("identityForget", {
    invalidates: ["identitiesList"],
    onSuccess: () => {
      setStopping(false);
      notifySuccess(`Stopped acting as ${id}: its token left the keychain.`);
    },
  });

  const roles = user.data?.user.roles ?? [];
  return (
    <Group gap={6} wrap="nowrap" role="group" aria-label="Identity" data-identity={id}>
      <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
        <Menu.Target>
          <Button
            onKeyDown={arrowsIntoMenu}
            variant="light"
            color="grape"
            size="compact-sm"
            title="Switch identity"
          >
            Acting as {id}
          </Button>
        </Menu.Target>
        <IdentityItems identities={identities} onActivate={onActivate} me={me} />
      </Menu>
      <Menu
        position="bottom-end"
        withinPortal
        withInitialFocusPlaceholder={false}
        opened={rolesOpen}
        onChange={setRolesOpen}
      >
        <Menu.Target>
          <Button
            onKeyDown={arrowsIntoMenu}
            variant="subtle"
            size="compact-sm"
            aria-label={`Role: ${roleName(identity.roleId)}, switch role`}
            loading={switchRole.isPending}
          >
            Role: {roleName(identity.roleId)}
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
      <Countdown expiresAt={identity.expiresAt} />
      <Button
        size="compact-sm"
        variant={identity.expired ? "filled" : "default"}
        loading={renew.isPending}
        onClick={() => renew.mutate([id])}
        title={`A new token with the same role, for ${identity.minutes} minutes`}
      >
        Renew
      </Button>
      <Button size="compact-sm" variant="default" color="red" onClick={() => setStopping(true)}>
        Stop
      </Button>
      <ConfirmDialog
        opened={stopping}
        title={`Stop acting as ${id}?`}
        environment={session?.environment}
        confirmLabel="Stop"
        loading={stop.isPending}
        onConfirm={() => stop.mutate([id])}
        onClose={() => setStopping(false)}
      >
        <Text size="sm">
          Its token leaves the OS keychain and the window acts as you ({me}) again. You can assume {id} again
          later.
        </Text>
      </ConfirmDialog>
    </Group>
  );
}
