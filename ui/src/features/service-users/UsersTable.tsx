import { Badge, Skeleton, Table, Text, UnstyledButton, VisuallyHidden } from "@mantine/core";
import { useElementSize, useMergedRef } from "@mantine/hooks";
import { useVirtualizer } from "@tanstack/react-virtual";
import {
  type KeyboardEvent,
  memo,
  type Ref,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
} from "react";
import { Time } from "../../app/Time";
import type { UserView } from "../../ipc";
import { SELECT_COLUMN_WIDTH, SelectHeaderCell, SelectRowCell } from "../bulk/SelectCells";
import type { RowSelection } from "../bulk/useRowSelection";
import {
  COLUMNS,
  type ColumnKey,
  type ColumnWants,
  layoutColumns,
  type PlacedColumn,
  SORT_MARK_WIDTH,
} from "./columns";
import { ROW_ACTIONS_WIDTH, RowActions } from "./RowActions";
import sortClasses from "./sortHeader.module.css";
import type { UserSort } from "./sorting";
import type { UserWindows } from "./useUserWindows";

/** Every row has this height (px): the virtualiser lays rows out without measuring them. */
export const ROW_HEIGHT = 36;
/** A User Timing mark, set once per page load when the first users are on screen (read by
 * the window benchmark, ui/tests/window/bench/window-bench.mjs). */
export const FIRST_ROWS_MARK = "users-first-rows";
/** Rows beyond the visible ones fetched ahead, so scrolling rarely shows a skeleton. */
const PREFETCH_ROWS = 60;

export type UsersTableHandle = {
  /** Selects and focuses the first row (ArrowDown from the search box). */
  focusFirstRow: () => void;
};

type Props = {
  label: string;
  /** The All users view: a Kind column tells people from service users. */
  showKind: boolean;
  /** The widths the columns' contents ask for (useColumnWants). */
  wants: ColumnWants;
  windows: UserWindows;
  /** Reports the rows around the viewport, for the windows to fetch. */
  onRangeChange: (firstRow: number, lastRow: number) => void;
  /** Row click or Enter. */
  onOpen: (user: UserView) => void;
  roleName: (roleId: string) => string;
  /** Changes when the filters change: selection and scroll go back to the top. */
  resetKey: string;
  handleRef?: Ref<UsersTableHandle>;
  /** The order shown; a header click asks for another one. */
  sort: UserSort;
  onSort: (column: ColumnKey) => void;
  /** Columns the column chooser hides. */
  hidden: readonly ColumnKey[];
  /** Ticks for a bulk change: a leading tick-box column when given. */
  selection?: RowSelection;
};

const cell = { whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" } as const;

/**
 * A virtualised table: only the rows in view (and a few around) are in the DOM, whatever the
 * number of users. Arrow keys, Home/End and PageUp/PageDown move the selected row; Enter opens it.
 * Memoised: typing in the search box re-renders the list around it, the rows only for new answers.
 */
export const UsersTable = memo(function UsersTable({
  label,
  showKind,
  wants,
  windows,
  onRangeChange,
  onOpen,
  roleName,
  resetKey,
  handleRef,
  sort,
  onSort,
  hidden,
  selection,
}: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const size = useElementSize<HTMLDivElement>();
  const fixed = selection ? SELECT_COLUMN_WIDTH : 0;
  const ref = useMergedRef(scrollRef, size.ref);
  const columns = useMemo(
    () =>
      layoutColumns(
        shownColumns(showKind, hidden),
        wants,
        // The row actions' (and tick boxes') columns have a fixed width; the others share the rest.
        size.width > 0 ? Math.max(1, Math.floor(size.width) - ROW_ACTIONS_WIDTH - fixed) : 0,
      ),
    [showKind, hidden, wants, size.width, fixed],
  );
  const [selected, setSelected] = useState(-1);
  const focusPending = useRef(false);
  const rows = windows.rows;

  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const range = virtualizer.range;
  const start = range?.startIndex ?? 0;
  const end = range?.endIndex ?? 0;
  useEffect(() => {
    onRangeChange(Math.max(0, start - PREFETCH_ROWS), end + PREFETCH_ROWS);
  }, [start, end, onRangeChange]);

  // New filters: back to the top, nothing selected.
  // biome-ignore lint/correctness/useExhaustiveDependencies: resetKey is the trigger
  useEffect(() => {
    setSelected(-1);
    scrollRef.current?.scrollTo?.({ top: 0 });
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [resetKey]);

  const select = useCallback(
    (index: number) => {
      const i = Math.max(0, Math.min(rows - 1, index));
      if (rows === 0) return;
      setSelected(i);
      focusPending.current = true;
      virtualizer.scrollToIndex(i, { align: "auto" });
    },
    [rows, virtualizer],
  );

  useImperativeHandle(handleRef, () => ({ focusFirstRow: () => select(0) }), [select]);

  const items = virtualizer.getVirtualItems();
  const rowIdAt = useCallback((i: number) => windows.rowAt(i)?.userId, [windows]);
  // Focus follows the selection once its row is rendered.
  useEffect(() => {
    if (!focusPending.current) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${selected}"]`);
    if (row) {
      focusPending.current = false;
      row.focus({ preventScroll: true });
    }
  });

  const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const current = selected < 0 ? -1 : selected;
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + pageRows,
      PageUp: current - pageRows,
      Home: 0,
      End: rows - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      select(moves[e.key]);
    } else if (e.key === "Enter" && current >= 0) {
      const user = windows.rowAt(current);
      if (user) {
        e.preventDefault();
        onOpen(user);
      }
    }
  };

  const showsUsers = items.length > 0 && windows.rowAt(items[0].index) !== undefined;
  useEffect(() => {
    if (showsUsers && performance.getEntriesByName(FIRST_ROWS_MARK).length === 0) {
      performance.mark(FIRST_ROWS_MARK);
    }
  }, [showsUsers]);

  const paddingTop = items.length > 0 ? items[0].start : 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const focusable = selected >= 0 ? selected : (items[0]?.index ?? 0);

  return (
    <div
      ref={ref}
      data-testid="users-scroll"
      style={{ flex: 1, minHeight: 240, overflow: "auto", contain: "strict" }}
    >
      <Table
        stickyHeader
        layout="fixed"
        highlightOnHover
        verticalSpacing={0}
        aria-label={label}
        aria-rowcount={rows + 1}
        aria-busy={windows.stale || undefined}
        style={{ opacity: windows.stale ? 0.7 : 1 }}
      >
        <colgroup>
          {selection && <col style={{ width: SELECT_COLUMN_WIDTH }} />}
          {columns.map((c) => (
            <col key={c.key} style={{ width: c.width }} />
          ))}
          <col style={{ width: ROW_ACTIONS_WIDTH }} />
        </colgroup>
        <Table.Thead>
          <Table.Tr aria-rowindex={1}>
            {selection && <SelectHeaderCell selection={selection} rows={rows} />}
            {columns.map((c) => (
              <SortableHeader key={c.key} column={c} sort={sort} onSort={onSort} />
            ))}
            <Table.Th style={cell}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody onKeyDown={onKeyDown}>
          {paddingTop > 0 && (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row, never focusable
            <tr aria-hidden="true" style={{ height: paddingTop }}>
              <td colSpan={columns.length + 1 + (selection ? 1 : 0)} />
            </tr>
          )}
          {items.map((item) => (
            <UserRow
              key={item.index}
              index={item.index}
              user={windows.rowAt(item.index)}
              columns={columns}
              selected={item.index === selected}
              focusable={item.index === focusable}
              roleName={roleName}
              onSelect={setSelected}
              onOpen={onOpen}
              selection={selection}
              rowAt={rowIdAt}
            />
          ))}
          {paddingBottom > 0 && (
            // biome-ignore lint/a11y/noAriaHiddenOnFocusable: a spacer row, never focusable
            <tr aria-hidden="true" style={{ height: paddingBottom }}>
              <td colSpan={columns.length + 1 + (selection ? 1 : 0)} />
            </tr>
          )}
        </Table.Tbody>
      </Table>
    </div>
  );
});

/** The columns in table order: the Kind column only in the All users view, minus the hidden ones. */
export function shownColumns(showKind: boolean, hidden: readonly ColumnKey[]) {
  return COLUMNS.filter((c) => (showKind || c.key !== "kind") && !hidden.includes(c.key));
}

/** A header that sorts by its column: a click (or Enter, Space) sorts, again reverses. */
function SortableHeader({
  column,
  sort,
  onSort,
}: {
  column: PlacedColumn;
  sort: UserSort;
  onSort: (column: ColumnKey) => void;
}) {
  const active = sort.column === column.key;
  return (
    <Table.Th style={cell} data-column={column.key} aria-sort={active ? sort.direction : "none"}>
      <UnstyledButton
        onClick={() => onSort(column.key)}
        title={`Sort by ${column.label.toLowerCase()}`}
        // The header cell's own size (a button defaults to a larger one), as the widths are measured in.
        style={{
          ...cell,
          display: "flex",
          alignItems: "center",
          gap: 4,
          width: "100%",
          fontWeight: 700,
          fontSize: "inherit",
        }}
      >
        <span style={cell}>{column.label}</span>
        <span
          aria-hidden="true"
          className={sortClasses.mark}
          data-direction={active ? sort.direction : undefined}
          style={{ width: SORT_MARK_WIDTH }}
        />
      </UnstyledButton>
    </Table.Th>
  );
}

type RowProps = {
  index: number;
  user: UserView | undefined;
  columns: PlacedColumn[];
  selected: boolean;
  focusable: boolean;
  roleName: (roleId: string) => string;
  onSelect: (index: number) => void;
  onOpen: (user: UserView) => void;
  selection: RowSelection | undefined;
  rowAt: (index: number) => string | undefined;
};

const UserRow = memo(function UserRow({
  index,
  user,
  columns,
  selected,
  focusable,
  roleName,
  onSelect,
  onOpen,
  selection,
  rowAt,
}: RowProps) {
  if (!user) {
    return (
      <tr style={{ height: ROW_HEIGHT }} aria-rowindex={index + 2} data-index={index} aria-busy="true">
        {selection && <td />}
        {columns.map((c) => (
          <td key={c.key} style={{ padding: "0 var(--mantine-spacing-xs)" }}>
            <Skeleton height={12} radius="sm" />
          </td>
        ))}
        <td />
      </tr>
    );
  }
  return (
    <Table.Tr
      data-index={index}
      data-user-id={user.userId}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      onClick={() => {
        onSelect(index);
        onOpen(user);
      }}
      style={{
        height: ROW_HEIGHT,
        cursor: "pointer",
        background: selected ? "var(--mantine-primary-color-light)" : undefined,
      }}
    >
      {selection && <SelectRowCell selection={selection} user={user} index={index} rowAt={rowAt} />}
      {columns.map((c) => (
        <UserCell key={c.key} column={c.key} user={user} roleName={roleName} />
      ))}
      <Table.Td style={{ padding: 0, textAlign: "center" }}>
        <RowActions user={user} focusable={focusable} />
      </Table.Td>
    </Table.Tr>
  );
});

function UserCell({
  column,
  user,
  roleName,
}: {
  column: ColumnKey;
  user: UserView;
  roleName: (roleId: string) => string;
}) {
  switch (column) {
    case "id":
      return (
        <Table.Td style={cell} title={user.userId} data-column="id">
          <Text span ff="monospace" size="sm">
            {user.userId}
          </Text>
        </Table.Td>
      );
    case "kind":
      return (
        <Table.Td style={cell} data-column="kind">
          {user.isServiceUser ? (
            <Badge size="xs" variant="light" color="grape" data-kind="service">
              service user
            </Badge>
          ) : (
            <Text span size="xs" c="dimmed" data-kind="person">
              person
            </Text>
          )}
        </Table.Td>
      );
    case "name":
      return (
        <Table.Td style={cell} title={user.displayName} data-column="name">
          {user.displayName}
        </Table.Td>
      );
    case "status":
      return (
        <Table.Td style={cell} data-column="status">
          <Badge variant="dot" color={user.enabled ? "green" : "gray.6"}>
            {user.enabled ? "enabled" : "disabled"}
          </Badge>
        </Table.Td>
      );
    case "roles": {
      const roles = user.roles.map(roleName).join(", ");
      return (
        <Table.Td style={cell} title={roles} data-column="roles">
          {roles}
        </Table.Td>
      );
    }
    case "shared": {
      const shared = user.sharedWith.join(", ");
      return (
        <Table.Td style={cell} title={shared} data-column="shared">
          {shared}
        </Table.Td>
      );
    }
    case "createdBy":
      return (
        <Table.Td style={cell} data-column="createdBy">
          {user.createdBy ?? ""}
        </Table.Td>
      );
    case "modified":
      return (
        <Table.Td style={cell} data-column="modified">
          <Time value={user.lastModified} empty="never" />
        </Table.Td>
      );
  }
}
