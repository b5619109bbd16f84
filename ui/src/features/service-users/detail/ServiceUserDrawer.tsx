// The detail drawer: who a service user is, who can act as it, and every change to it. The list
// stays where it was underneath (no overlay); Esc closes the drawer unless a dialog is open on it.
import { Badge, Drawer, Group, Skeleton, Stack, Tabs, Text, Title } from "@mantine/core";
import { useCallback, useState } from "react";
import { Time } from "../../../app/Time";
import { NestedDialogContext } from "../../../components/ConfirmDialog";
import { useTopBarHeight } from "../../../components/TopBar";
import type { UserView } from "../../../gen/bindings";
import { useBackendQuery } from "../../../ipc/queries";
import { AssumeDialog } from "../actions/AssumeDialog";
import { DeleteWizard } from "../actions/DeleteWizard";
import { GuardedButton } from "../actions/GuardedButton";
import { firstReason, noAccessReason, useOfflineReason } from "../actions/policy";
import { StatusButton } from "../actions/StatusButton";
import { HistoryTab } from "./HistoryTab";
import { ResourcesTab } from "./ResourcesTab";
import { RolesTab } from "./RolesTab";
import { LoadError, StaleNote } from "./states";
import { WhoCanActTab } from "./WhoCanActTab";

export type ServiceUserDrawerProps = {
  /** The user shown; null: the drawer is closed. */
  userId: string | null;
  onClose: () => void;
};

export function ServiceUserDrawer({ userId, onClose }: ServiceUserDrawerProps) {
  const [nestedDialogs, setNestedDialogs] = useState(0);
  const report = useCallback((delta: 1 | -1) => setNestedDialogs((n) => Math.max(0, n + delta)), []);
  // Under the top bar, which stays visible: who the window acts as, the environment.
  const topBar = useTopBarHeight();
  return (
    <NestedDialogContext.Provider value={report}>
      <Drawer
        opened={userId !== null}
        onClose={onClose}
        position="right"
        size={580}
        withOverlay={false}
        lockScroll={false}
        shadow="xl"
        closeOnEscape={nestedDialogs === 0}
        title={userId ?? ""}
        closeButtonProps={{ "aria-label": "Close details" }}
        styles={{
          inner: { top: topBar },
          title: { fontWeight: 700, fontSize: "var(--mantine-font-size-lg)" },
          content: { borderLeft: "1px solid var(--mantine-color-default-border)" },
        }}
      >
        {userId && <DrawerBody key={userId} userId={userId} onClose={onClose} />}
      </Drawer>
    </NestedDialogContext.Provider>
  );
}

function DrawerBody({ userId, onClose }: { userId: string; onClose: () => void }) {
  const { data, error, isPending } = useBackendQuery("userGet", [userId]);
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
          <Text size="sm">Roles: {user.roles.join(", ") || "none"}</Text>
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
  const assumeReason = firstReason(
    noAccessReason(user, "assume it"),
    !user.enabled && `${user.userId} is disabled: enable it before assuming it.`,
    offline,
  );
  const deleteReason = firstReason(noAccessReason(user, "delete it"), offline);

  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
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
        <Group gap={6} wrap="nowrap">
          {user.isServiceUser && (
            <Badge variant="light" color="grape" aria-label="kind">
              service user
            </Badge>
          )}
          <Badge
            variant="dot"
            color={user.enabled ? "green" : "gray"}
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
          <GuardedButton size="xs" reason={assumeReason} onClick={() => setDialog("assume")}>
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
