// What this app did to the service user (created, roles, shares, assumed, ...), newest first.
import { Table, Text } from "@mantine/core";
import { Time } from "../../../app/Time";
import type { UserView } from "../../../gen/bindings";
import { useBackendQuery } from "../../../ipc/queries";
import { Empty, LoadError, LoadingRows } from "./states";

export function HistoryTab({ user }: { user: UserView }) {
  // Always fresh on opening: other screens (identity bar, acting as it) add to it.
  const history = useBackendQuery("serviceUserHistory", [user.userId], { staleTime: 0 });
  if (history.isPending) return <LoadingRows label="Loading history" />;
  if (history.error) return <LoadError title="Could not load the history" error={history.error} />;
  if (history.data.length === 0) {
    return (
      <Empty>
        Nothing yet. This app records here what it does to {user.userId}: roles, shares, status, assuming it.
      </Empty>
    );
  }
  return (
    <Table aria-label="History" verticalSpacing={4}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>When</Table.Th>
          <Table.Th>What</Table.Th>
          <Table.Th>Who</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {history.data.map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: entries have no id; the order is fixed (newest first)
          <Table.Tr key={`${a.at}-${i}`}>
            <Table.Td>
              <Text size="sm" style={{ whiteSpace: "nowrap" }}>
                <Time value={a.at} />
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" fw={600} span>
                {a.action}
              </Text>
              {a.detail && (
                <Text size="sm" span>
                  {" "}
                  {a.detail}
                </Text>
              )}
            </Table.Td>
            <Table.Td>{a.actor ?? "—"}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
