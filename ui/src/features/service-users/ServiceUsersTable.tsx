import { Alert, Badge, Group, Skeleton, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useEffect, useState } from "react";
import { type Backend, BackendError, type UsersPage } from "../../ipc";

function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : "never";
}

export function ServiceUsersTable({ backend }: { backend: Backend }) {
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 150);
  const [page, setPage] = useState<UsersPage | null>(null);
  const [error, setError] = useState<BackendError | null>(null);

  useEffect(() => {
    let current = true;
    backend.serviceUsersList(debounced || null).then(
      (p) => {
        if (!current) return;
        setPage(p);
        setError(null);
      },
      (e: unknown) => {
        if (!current) return;
        setError(e instanceof BackendError ? e : new BackendError({ code: "internal", message: String(e) }));
      },
    );
    return () => {
      current = false;
    };
  }, [backend, debounced]);

  return (
    <>
      <Group justify="space-between" mb="sm">
        <Text fw={600} aria-live="polite">
          {page ? `Service users (${page.users.length.toLocaleString()})` : "Service users"}
        </Text>
        <TextInput
          aria-label="Search service users"
          placeholder="Search by id, name, role, tag..."
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={320}
        />
      </Group>
      {page?.stale && (
        <Alert color="yellow" mb="sm" role="status" title="Offline">
          Showing the cache as of {formatTime(page.asOf)}. Changes are disabled until the server is back.
        </Alert>
      )}
      {error && (
        <Alert color="red" mb="sm" role="alert" title="Could not load service users">
          {error.message}
        </Alert>
      )}
      {!page && !error && (
        <div role="status" aria-label="Loading service users">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} height={28} mb={6} />
          ))}
        </div>
      )}
      {page && page.users.length === 0 && (
        <Text c="dimmed" py="lg">
          {search ? `No service user matches "${search}".` : "No service users yet."}
        </Text>
      )}
      {page && page.users.length > 0 && (
        <Table striped highlightOnHover verticalSpacing={6} aria-label="Service users">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Id</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Roles</Table.Th>
              <Table.Th>Shared with</Table.Th>
              <Table.Th>Created by</Table.Th>
              <Table.Th>Last modified</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.users.map((u) => (
              <Table.Tr key={u.userId} data-user-id={u.userId}>
                <Table.Td ff="monospace">{u.userId}</Table.Td>
                <Table.Td>{u.displayName}</Table.Td>
                <Table.Td>
                  <Badge variant="dot" color={u.enabled ? "green" : "gray"}>
                    {u.enabled ? "enabled" : "disabled"}
                  </Badge>
                </Table.Td>
                <Table.Td>{u.roles.length}</Table.Td>
                <Table.Td>{u.sharedWith.join(", ")}</Table.Td>
                <Table.Td>{u.createdBy ?? ""}</Table.Td>
                <Table.Td>{formatTime(u.lastModified)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
