// The dry run as a table: every selected service user, what would happen to it, and why not.
import { Badge, ScrollArea, Table, Text } from "@mantine/core";
import type { BulkPlanView, Verdict } from "../../ipc";

const VERDICT: Record<Verdict, { words: string; colour: string }> = {
  allowed: { words: "will change", colour: "blue" },
  no_op: { words: "no-op", colour: "gray" },
  refused: { words: "refused", colour: "red" },
};

export function PlanTable({ plan }: { plan: BulkPlanView }) {
  return (
    <ScrollArea.Autosize mah={320}>
      <Table stickyHeader striped aria-label="Dry run" data-testid="bulk-plan">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Service user</Table.Th>
            <Table.Th>Plan</Table.Th>
            <Table.Th>Reason</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plan.items.map((i) => (
            <Table.Tr key={i.userId} data-user-id={i.userId} data-verdict={i.verdict}>
              <Table.Td>
                <Text span ff="monospace" size="sm">
                  {i.userId}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge size="sm" variant="dot" color={VERDICT[i.verdict].colour}>
                  {VERDICT[i.verdict].words}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{i.reason ?? ""}</Text>
                {i.code && (
                  <Text size="xs" c="dimmed" ff="monospace" data-code={i.code}>
                    {i.code}
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
