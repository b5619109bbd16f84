// A run's per-item results: done, refused (with the server's message), skipped, cancelled.
import { Badge, ScrollArea, Table, Text } from "@mantine/core";
import type { BulkReportView, Outcome } from "../../ipc";

const OUTCOME: Record<Outcome, { words: string; colour: string }> = {
  done: { words: "done", colour: "green" },
  refused: { words: "refused", colour: "red" },
  skipped: { words: "skipped (no-op)", colour: "gray" },
  cancelled: { words: "cancelled", colour: "yellow" },
};

export function ResultTable({ report }: { report: BulkReportView }) {
  return (
    <ScrollArea.Autosize mah={320}>
      <Table stickyHeader striped aria-label="Results" data-testid="bulk-results">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Service user</Table.Th>
            <Table.Th>Result</Table.Th>
            <Table.Th>Message</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.results.map((r) => (
            <Table.Tr key={r.userId} data-user-id={r.userId} data-outcome={r.outcome}>
              <Table.Td>
                <Text span ff="monospace" size="sm">
                  {r.userId}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge size="sm" variant="dot" color={OUTCOME[r.outcome].colour}>
                  {OUTCOME[r.outcome].words}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{r.message ?? ""}</Text>
                {r.code && (
                  <Text size="xs" c="dimmed" ff="monospace" data-code={r.code}>
                    {r.code}
                    {r.sent ? "" : " (not sent)"}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
