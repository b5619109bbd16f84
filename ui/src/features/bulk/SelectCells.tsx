// The selection column of the service-users table: a tick box per row (shift-click ticks a
// range) and one in the header that clears the selection or selects every matching row.
import { Checkbox, Table, VisuallyHidden } from "@mantine/core";
import type { UserView } from "../../ipc";
import type { RowSelection } from "./useRowSelection";

/** The selection column's width (px). */
export const SELECT_COLUMN_WIDTH = 36;

const center = { padding: 0, textAlign: "center" } as const;

export function SelectHeaderCell({ selection, rows }: { selection: RowSelection; rows: number }) {
  const some = selection.allMatching || selection.ids.size > 0;
  return (
    <Table.Th style={center}>
      <VisuallyHidden>Select</VisuallyHidden>
      <Checkbox
        size="xs"
        aria-label={some ? "Clear the selection" : `Select all ${rows} matching`}
        checked={selection.allMatching}
        indeterminate={!selection.allMatching && some}
        onChange={() => (some ? selection.clear() : selection.selectAllMatching())}
        styles={{ body: { justifyContent: "center" } }}
      />
    </Table.Th>
  );
}

export function SelectRowCell({
  selection,
  user,
  index,
  rowAt,
}: {
  selection: RowSelection;
  user: UserView;
  index: number;
  rowAt: (i: number) => string | undefined;
}) {
  return (
    // The row opens its user on click: a tick must not.
    <Table.Td style={center} onClick={(e) => e.stopPropagation()}>
      <Checkbox
        size="xs"
        tabIndex={-1}
        aria-label={`Select ${user.userId}`}
        checked={selection.isSelected(user.userId)}
        disabled={!user.isServiceUser}
        onChange={() => {}}
        onClick={(e) => selection.toggle(user.userId, index, e.shiftKey, rowAt)}
        styles={{ body: { justifyContent: "center" } }}
      />
    </Table.Td>
  );
}
