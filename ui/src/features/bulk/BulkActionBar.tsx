// The bar over the service-users list while rows are ticked: how many, "select all N matching
// this filter", the bulk actions, and the dialog of the chosen one.
import { Button, Group, Menu, Paper, Text } from "@mantine/core";
import { Suspense, useState } from "react";
import { lazyNamed } from "../../app/lazy";
import type { BulkSelectionInput, UsersQuery } from "../../ipc";
import { BULK_ACTIONS, type BulkKind } from "./bulkActions";
import type { RowSelection } from "./useRowSelection";

// The dialog's code (plans, results, export) loads when an action is first chosen.
const BulkDialog = lazyNamed(() => import("./BulkDialog"), "BulkDialog");

type Props = {
  selection: RowSelection;
  /** The list's filters: "all N matching" sends them, not the ids. */
  query: UsersQuery;
  /** How many match the filters. */
  matching: number | undefined;
};

export function BulkActionBar({ selection, query, matching }: Props) {
  const [kind, setKind] = useState<BulkKind | null>(null);
  const count = selection.allMatching ? (matching ?? 0) : selection.ids.size;
  if (count === 0 && !selection.allMatching) return null;
  const input: BulkSelectionInput = selection.allMatching
    ? { kind: "matching", query: { ...query, kind: "service", offset: 0, limit: 0 } }
    : { kind: "ids", ids: [...selection.ids] };
  const words = selection.allMatching
    ? `all ${count.toLocaleString()} matching`
    : `${count} service user${count === 1 ? "" : "s"}`;
  return (
    <Paper withBorder p={6} px="sm" role="toolbar" aria-label="Bulk actions">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" fw={600} data-testid="bulk-selected">
            {words} selected
          </Text>
          {!selection.allMatching && matching !== undefined && matching > count && (
            <Button size="compact-sm" variant="subtle" onClick={selection.selectAllMatching}>
              Select all {matching.toLocaleString()} matching this filter
            </Button>
          )}
          <Button size="compact-sm" variant="subtle" color="gray" onClick={selection.clear}>
            Clear
          </Button>
        </Group>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <Button size="compact-sm">Bulk action</Button>
          </Menu.Target>
          <Menu.Dropdown>
            {BULK_ACTIONS.map((a) => (
              <Menu.Item
                key={a.kind}
                color={a.kind === "delete" ? "red" : undefined}
                onClick={() => setKind(a.kind)}
              >
                {a.label}...
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      </Group>
      {kind && (
        <Suspense fallback={null}>
          <BulkDialog
            kind={kind}
            selection={input}
            selected={words}
            onClose={(changed) => {
              setKind(null);
              if (changed) selection.clear();
            }}
          />
        </Suspense>
      )}
    </Paper>
  );
}
