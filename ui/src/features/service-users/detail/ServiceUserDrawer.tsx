// The detail drawer: who a service user is, who can act as it, and every change to it. It opens
// inside its parent (which must be positioned), beside the list rather than over a page: no
// overlay, the list keeps its place; Esc closes the drawer unless a dialog is open on it.
import { Badge, Drawer, Group, Skeleton, Stack, Tabs, Text, Title } from "@mantine/core";
import { useCallback, useEffect, useState } from "react";
import { RIGHT_PANEL_VAR } from "../../../app/notify";
import { Time } from "../../../app/Time";
import { NestedDialogContext } from "../../../components/ConfirmDialog";
import type { UserView } from "../../../gen/bindings";
import { useBackendQuery } from "../../../ipc/queries";
import { useRoleNames } from "../../identity/hooks";
import { AssumeDialog } from "../actions/AssumeDialog";
import { DeleteWizard } from "../actions/DeleteWizard";
import { GuardedButton } from "../actions/GuardedButton";
import { assumeReason, firstReason, noAccessReason, useOfflineReason } from "../actions/policy";
import { StatusButton } from "../actions/StatusButton";
import { DRAWER_MAX } from "./drawerSize";
import { HistoryTab } from "./HistoryTab";
import { ResourcesTab } from "./ResourcesTab";
import { RolesTab } from "./RolesTab";
import { LoadError, StaleNote } from "./states";
import { WhoCanActTab } from "./WhoCanActTab";

/** Between the drawer's right edge and the window's (the page's padding). */
const EDGE = 16;

export type ServiceUserDrawerProps = {
  /** The user shown; null: the drawer is closed. */
  userId: string | null;
  onClose: () => void;
  /** Width in px (default DRAWER_MAX): the list beside it chooses, to keep its key columns. */
  size?: number;
};

export function ServiceUserDrawer({ userId, onClose, size = DRAWER_MAX }: ServiceUserDrawerProps) {
  const [nestedDialogs, setNestedDialogs] = useState(0);
  const report = useCallback((delta: 1 | -1) => setNestedDialogs((n) => Math.max(0, n + delta)), []);
  const opened = userId !== null;
  // Toasts keep clear of the drawer (and of its buttons) while it is open.
  useEffect(() => {
    if (!opened) return;
    const root = document.documentElement.style;
    root.setProperty(RIGHT_PANEL_VAR, `${size + EDGE}px`);
    return () => {
      root.removeProperty(RIGHT_PANEL_VAR);
    };
  }, [opened, size]);
  return (
    <NestedDialogContext.Provider value={report}>
      <Drawer
        opened={opened}
        onClose={onClose}
        position="right"
        size={size}
        withOverlay={false}
        withinPortal={false}
        lockScroll={false}
        shadow="xl"
        closeOnEscape={nestedDialogs === 0}
        title={userId ?? ""}
        closeButtonProps={{ "aria-label": "Close details" }}
        styles={{
          // In its parent's box, not the window's: the list's title and filters stay in view.
          inner: { position: "absolute", inset: 0 },
          title: { fontWeight: 700, fontSize: "var(--mantine-font-size-lg)" },
          content: {
            border: "1px solid var(--mantine-color-default-border)",
            borderRadius: "var(--mantine-radius-sm)",
          },
        }}
      >
        {userId && <DrawerBody key={userId} userId={userId} onClose={onClose} />}
      </Drawer>
    </NestedDialogContext.Provider>
  );
}

function DrawerBody({ userId, onClose }: { userId: string; onClose: () => void }) {
  const { data, error, isPending } = useBackendQuery("userGet", [userId]);
  const roleName = useRoleNames();
  const [tab, setTab] = useState<string | null>("roles");

  if (isPending) {
    return (
      <Stack gap="sm" aria-busy="true" aria-label="Loading the service user">
        <Skeleton height={28} width="60%" />
        <Skeleton height={18} width="40%" />
        <Skeleton height={34} />
        <Skeleton height={120} />
      </Stack>
    );
  }
  if (error) return <LoadError title={`Could not load ${userId}`} error={error} />;
  const { user, freshness } = data;

  return (
    <Stack gap="md">
      <Header user={user} onDeleted={onClose} />
      <StaleNote stale={freshness.stale} asOf={freshness.asOf} />
      {user.isServiceUser ? (
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="roles">Roles</Tabs.Tab>
            <Tabs.Tab value="access">Who can act</Tabs.Tab>
            <Tabs.Tab value="resources">Resources</Tabs.Tab>
            <Tabs.Tab value="history">History</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="roles" pt="sm">
            <RolesTab user={user} />
          </Tabs.Panel>
          <Tabs.Panel value="access" pt="sm">
            <WhoCanActTab user={user} />
          </Tabs.Panel>
          <Tabs.Panel value="resources" pt="sm">
            <ResourcesTab user={user} />
          </Tabs.Panel>
          <Tabs.Panel value="history" pt="sm">
            <HistoryTab user={user} />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <Stack gap={4}>
          <Text size="sm">Roles: {user.roles.map(roleName).join(", ") || "none"}</Text>
          <Text size="sm">Tags: {user.tags.join(", ") || "none"}</Text>
          <Text size="sm" c="dimmed">
            A regular user: the identity provider manages it, this window only shows it.
          </Text>
        </Stack>
      )}
    </Stack>
  );
}

function Header({ user, onDeleted }: { user: UserView; onDeleted: () => void }) {
  const [dialog, setDialog] = useState<"assume" | "delete" | null>(null);
  const offline = useOfflineReason();
  const cannotAssume = assumeReason(user, offline);
  const deleteReason = firstReason(noAccessReason(user, "delete it"), offline);

  return (
    <Stack gap="xs">
      {/* A narrow drawer puts the badges under the title rather than cutting them. */}
      <Group justify="space-between" align="flex-start" gap="xs">
        <Stack gap={2}>
          <Title order={3} size="h4">
            {user.displayName}
          </Title>
          {user.description && (
            <Text size="sm" c="dimmed">
              {user.description}
            </Text>
          )}
        </Stack>
        <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
          {user.isServiceUser && (
            <Badge variant="light" color="grape" aria-label="kind">
              service user
            </Badge>
          )}
          <Badge
            variant="dot"
            color={user.enabled ? "green" : "gray.6"}
            aria-label="status"
            data-status={user.enabled ? "enabled" : "disabled"}
          >
            {user.enabled ? "enabled" : "disabled"}
          </Badge>
        </Group>
      </Group>
      <Text size="xs" c="dimmed">
        Created by {user.createdBy ?? "unknown"} on <Time value={user.creationTime} format="date" /> · last
        modified <Time value={user.lastModified} />
      </Text>
      {user.isServiceUser && (
        <Group gap="xs">
          <GuardedButton size="xs" reason={cannotAssume} onClick={() => setDialog("assume")}>
            Assume
          </GuardedButton>
          <StatusButton user={user} />
          <GuardedButton
            size="xs"
            color="red"
            variant="light"
            reason={deleteReason}
            onClick={() => setDialog("delete")}
          >
            Delete…
          </GuardedButton>
        </Group>
      )}
      <AssumeDialog user={user} opened={dialog === "assume"} onClose={() => setDialog(null)} />
      <DeleteWizard
        user={user}
        opened={dialog === "delete"}
        onClose={() => setDialog(null)}
        onDeleted={() => {
          setDialog(null);
          onDeleted();
        }}
      />
    </Stack>
  );
}
