// What the service user owns: what a delete will transfer.
import { Stack, Table } from "@mantine/core";
import type { UserView } from "../../../gen/bindings";
import { useBackendQuery } from "../../../ipc/queries";
import { Empty, LoadError, LoadingRows, StaleNote } from "./states";

export function ResourcesTab({ user }: { user: UserView }) {
  // Always fresh on opening: acting as the service user (another screen) creates resources.
  const owned = useBackendQuery("serviceUserOwnedResources", [user.userId], {
    enabled: user.callerHasAccess,
    staleTime: 0,
  });
  if (!user.callerHasAccess) return <Empty>Only the owners of {user.userId} can see what it owns.</Empty>;
  if (owned.isPending) return <LoadingRows label="Loading owned resources" />;
  if (owned.error) return <LoadError title="Could not load the owned resources" error={owned.error} />;
  const { resources, freshness } = owned.data;
  return (
    <Stack gap="sm">
      <StaleNote stale={freshness.stale} asOf={freshness.asOf} />
      {resources.length === 0 ? (
        <Empty>
          {user.userId} owns nothing yet. Resources it creates while assumed appear here; deleting it
          transfers them to a user you choose.
        </Empty>
      ) : (
        <ResourceTable label="Owned resources" resources={resources} />
      )}
    </Stack>
  );
}

export function ResourceTable({
  label,
  resources,
}: {
  label: string;
  resources: { resourceType: string; resourceId: string; name: string }[];
}) {
  return (
    <Table aria-label={label} verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Type</Table.Th>
          <Table.Th>Name</Table.Th>
          <Table.Th>Id</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {resources.map((r) => (
          <Table.Tr key={`${r.resourceType}/${r.resourceId}`} data-resource-id={r.resourceId}>
            <Table.Td>{r.resourceType}</Table.Td>
            <Table.Td>{r.name}</Table.Td>
            <Table.Td>{r.resourceId}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
