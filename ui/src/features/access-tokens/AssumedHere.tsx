// The service-user tokens assumed on this machine, beside the PATs: which service user, which
// role, its state (live, expiring, expired, refused) and when it ends.
import { Badge, Table, Text, Title } from "@mantine/core";
import { Time, useNow } from "../../app/Time";
import { useBackendQuery } from "../../ipc/queries";
import { stateNow } from "../identity/identityState";

const STATE_COLOUR: Record<string, string> = {
  live: "green",
  expiring: "yellow",
  expired: "gray",
  refused: "red",
};

export function AssumedHere() {
  const identities = useBackendQuery("identitiesList", []);
  const now = useNow();
  const list = identities.data ?? [];
  return (
    <>
      <Title order={3} size="h5">
        Assumed on this machine
      </Title>
      {list.length === 0 ? (
        <Text c="dimmed" size="sm">
          No service user is assumed on this machine.
        </Text>
      ) : (
        <Table aria-label="Assumed on this machine" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Service user</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Ends</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((i) => {
              const state = stateNow(i, now);
              return (
                <Table.Tr key={i.serviceUserId}>
                  <Table.Td>{i.serviceUserId}</Table.Td>
                  <Table.Td>{i.roleName ?? i.roleId}</Table.Td>
                  <Table.Td>
                    <Badge color={STATE_COLOUR[state] ?? "gray"} variant="light">
                      {state}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Time value={i.expiresAt} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
