// The journal's entries, newest first: when, what, to whom, as which role, how it ended.
import { Badge, Table, Text } from "@mantine/core";
import { Time } from "../../app/Time";
import type { JournalEntryView } from "../../ipc";
import { actionWords } from "./journalFilter";

export function JournalTable({ entries }: { entries: JournalEntryView[] }) {
  return (
    <Table aria-label="Journal" verticalSpacing={4} striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>#</Table.Th>
          <Table.Th>When</Table.Th>
          <Table.Th>Action</Table.Th>
          <Table.Th>Service user</Table.Th>
          <Table.Th>Role</Table.Th>
          <Table.Th>Result</Table.Th>
          <Table.Th>Detail</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map((e) => (
          <Table.Tr key={e.seq} data-seq={e.seq}>
            <Table.Td>{e.seq}</Table.Td>
            <Table.Td style={{ whiteSpace: "nowrap" }}>
              <Time value={e.at} />
            </Table.Td>
            <Table.Td>{actionWords(e.action)}</Table.Td>
            <Table.Td>
              {e.targetId ? (
                <Text size="sm" span title={e.targetName ?? undefined}>
                  {e.targetId}
                  {e.targetName && (
                    <Text size="xs" c="dimmed" span>
                      {" "}
                      {e.targetName}
                    </Text>
                  )}
                </Text>
              ) : (
                "—"
              )}
            </Table.Td>
            <Table.Td>{e.role ?? "—"}</Table.Td>
            <Table.Td>
              {e.result === "done" ? (
                <Badge color="green" variant="light">
                  done
                </Badge>
              ) : (
                <Badge color="red" variant="light" title={e.message ?? undefined}>
                  refused{e.errorCode ? ` (${e.errorCode})` : ""}
                </Badge>
              )}
            </Table.Td>
            <Table.Td>
              <Text size="sm">
                {e.detail}
                {e.endsAt && (
                  <>
                    {" "}
                    (ends <Time value={e.endsAt} />)
                  </>
                )}
                {e.message && (
                  <Text size="xs" c="dimmed" span>
                    {" "}
                    {e.message}
                  </Text>
                )}
              </Text>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
