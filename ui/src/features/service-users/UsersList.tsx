import {
  Alert,
  Button,
  Checkbox,
  EmptyState,
  Group,
  Kbd,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useElementSize, useHotkeys } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useDeferredValue, useMemo, useRef, useState } from "react";
import { lazyOnFirstOpen } from "../../app/lazy";
import { usePreference } from "../../app/preferences";
import { useSync } from "../../app/sync";
import type { StatusFilter, UserKind, UserView } from "../../ipc";
import { useBackend } from "../../ipc/BackendContext";
import { useBackendQuery } from "../../ipc/queries";
import { BulkActionBar } from "../bulk/BulkActionBar";
import { SELECT_COLUMN_WIDTH } from "../bulk/SelectCells";
import { useRowSelection } from "../bulk/useRowSelection";
import { CreateServiceUserButton } from "./actions/CreateServiceUserButton";
import { ColumnChooser, useHiddenColumns } from "./ColumnChooser";
import { type ColumnKey, keyColumnsWidth } from "./columns";
import { DRAWER_MAX, DRAWER_MIN } from "./detail/drawerSize";
import { ROW_ACTIONS_WIDTH } from "./RowActions";
import { ID_ORDER, isIdOrder, isStoredSort, nextSort, type UserSort } from "./sorting";
import { shownColumns, UsersTable, type UsersTableHandle } from "./UsersTable";
import { useColumnWants } from "./useColumnWants";
import { isFiltered, NO_FILTERS, prefetchUsers, type UserFilters, usersQuery } from "./usersQuery";
import { useSortedUsers } from "./useSortedUsers";
import { useUserWindows } from "./useUserWindows";

// The detail drawer's code (its tabs and dialogs) loads when a row is first opened.
const ServiceUserDrawer = lazyOnFirstOpen(
  () => import("./detail/ServiceUserDrawer").then((m) => m.ServiceUserDrawer),
  (props) => props.userId !== null,
  (props) => ({ ...props, userId: null }),
);

const TEXT = {
  service: {
    title: "Service users",
    subtitle: "Non-human accounts for machine-to-machine automation.",
    search: "Search service users",
    noun: "service user",
  },
  all: {
    title: "All users",
    subtitle: "People and service users of this environment, as last synced.",
    search: "Search all users",
    noun: "user",
  },
  regular: {
    title: "People",
    subtitle: "Regular users of this environment, as last synced.",
    search: "Search people",
    noun: "user",
  },
} satisfies Record<UserKind, Record<string, string>>;

/** Room for the table's vertical scroll bar, which the key columns cannot use. */
const SCROLLBAR = 16;
/** Between the rows and the open drawer. */
const GAP = 16;

/**
 * Administration > Users and Access > Service Users (the home screen), and the All users view:
 * search (Ctrl+F), filters, a virtualised table fetched in windows (or whole, when sorted by
 * another column than the id), a column chooser, a detail drawer.
 */
export function UsersList({ kind }: { kind: UserKind }) {
  const text = TEXT[kind];
  const [search, setSearch] = useState("");
  // No debounce: a cached search answers in milliseconds, so each keystroke queries at once;
  // React renders the typed text first and the list as soon as it can (deferred value).
  const debounced = useDeferredValue(search);
  const [status, setStatus] = useState<StatusFilter | null>(null);
  // All users only: people, service users, or both (null).
  const [only, setOnly] = useState<Exclude<UserKind, "all"> | null>(null);
  const [role, setRole] = useState<string | null>(null);
  const [assumable, setAssumable] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [range, setRange] = useState<[number, number]>([0, 60]);
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<UsersTableHandle>(null);
  const queryClient = useQueryClient();
  const backend = useBackend();
  const onSearch = (value: string) => {
    setSearch(value);
    // The answer is asked for now; the deferred render finds it in flight (or done).
    prefetchUsers(queryClient, backend, { kind: queryKind, search: value, status, role, assumable });
  };

  const queryKind: UserKind = kind === "all" ? (only ?? "all") : kind;
  const filters: UserFilters = useMemo(
    () => ({ kind: queryKind, search: debounced, status, role, assumable }),
    [queryKind, debounced, status, role, assumable],
  );
  const [storedSort, setSort] = usePreference<UserSort | null>("users.sort", null, isStoredSort);
  const sort = storedSort ?? ID_ORDER;
  const sorted = !isIdOrder(sort);
  const [hidden] = useHiddenColumns();
  const resetKey = JSON.stringify([filters, sort]);
  // New filters start at the top: forget the old scroll range at once (no fetch at its offset).
  const [rangeKey, setRangeKey] = useState(resetKey);
  if (rangeKey !== resetKey) {
    setRangeKey(resetKey);
    setRange([0, 60]);
  }
  const roles = useBackendQuery("rolesList", [], { staleTime: 5 * 60_000 });
  const sync = useSync({ enabled: false });

  const onRangeChange = useCallback((first: number, last: number) => {
    setRange((r) => (r[0] === first && r[1] === last ? r : [first, last]));
  }, []);
  const onOpen = useCallback((u: UserView) => setOpenId(u.userId), []);
  const roleNames = useMemo(
    () => new Map((roles.data ?? []).map((r) => [r.roleId, r.roleName])),
    [roles.data],
  );
  const roleName = useCallback((id: string) => roleNames.get(id) ?? id, [roleNames]);
  const windowed = useUserWindows(filters, range[0], range[1], !sorted);
  const whole = useSortedUsers(filters, sort, roleName, sorted);
  const windows = sorted ? whole : windowed;
  const onSort = useCallback(
    (column: ColumnKey) => setSort(nextSort(storedSort ?? ID_ORDER, column)),
    [storedSort, setSort],
  );
  const wants = useColumnWants(windows.pages, roleName);
  const showKind = kind === "all";

  // The drawer sits beside the rows, not over them: the rows give it room but keep at least the
  // key columns (id, kind, name, status) in view; the drawer narrows before it hides them.
  const outer = useElementSize<HTMLDivElement>();
  // The row actions' column (and the service users' tick boxes) stay beside the key columns.
  const keyWidth =
    keyColumnsWidth(shownColumns(showKind, hidden), wants) +
    ROW_ACTIONS_WIDTH +
    (kind === "service" ? SELECT_COLUMN_WIDTH : 0);
  const drawerWidth = Math.round(
    Math.max(
      DRAWER_MIN,
      Math.min(DRAWER_MAX, outer.width > 0 ? outer.width - keyWidth - SCROLLBAR - GAP : DRAWER_MAX),
    ),
  );

  useHotkeys([
    [
      "mod+F",
      () => {
        searchRef.current?.focus();
        searchRef.current?.select();
      },
    ],
  ]);

  const clearFilters = () => {
    setSearch(NO_FILTERS.search);
    setStatus(NO_FILTERS.status);
    setRole(NO_FILTERS.role);
    setAssumable(NO_FILTERS.assumable);
    setOnly(null);
  };

  const count = windows.total;
  // Bulk changes apply to service users: the ticks are in the service users' list only.
  const selection = useRowSelection(JSON.stringify(filters));
  const bulk = kind === "service" ? selection : undefined;
  const filtered = isFiltered(filters) || only !== null;
  const empty = !windows.loading && !windows.error && !windows.stale && windows.rows === 0;

  return (
    <Stack ref={outer.ref} gap="xs" style={{ flex: 1, minHeight: 0 }}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div>
          <Title order={2} size="h3" aria-live="polite">
            {text.title}
            {count !== undefined && ` (${count.toLocaleString()})`}
          </Title>
          <Text c="dimmed" size="sm">
            {text.subtitle}
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          <ColumnChooser showKind={showKind} />
          <Button variant="default" size="sm" onClick={() => void sync.refresh()} loading={sync.isFetching}>
            Refresh
          </Button>
          <CreateServiceUserButton />
        </Group>
      </Group>

      <Group gap="xs" role="search" aria-label={`Filter ${text.title.toLowerCase()}`}>
        <TextInput
          ref={searchRef}
          aria-label={text.search}
          placeholder='Search words, "phrases", role: status: tag: owner: created-by:'
          value={search}
          onChange={(e) => onSearch(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              tableRef.current?.focusFirstRow();
            } else if (e.key === "Escape" && search) {
              setSearch("");
            }
          }}
          rightSection={
            <Kbd size="xs" aria-hidden="true">
              Ctrl F
            </Kbd>
          }
          rightSectionWidth={58}
          style={{ flex: 1, minWidth: 200, maxWidth: 380 }}
        />
        {kind === "all" && (
          <Select
            aria-label="Kind"
            placeholder="Any kind"
            data={[
              { value: "regular", label: "People" },
              { value: "service", label: "Service users" },
            ]}
            value={only}
            onChange={(v) => setOnly(v as Exclude<UserKind, "all"> | null)}
            clearable
            w={150}
          />
        )}
        <Select
          aria-label="Status"
          placeholder="Any status"
          data={[
            { value: "enabled", label: "Enabled" },
            { value: "disabled", label: "Disabled" },
          ]}
          value={status}
          onChange={(v) => setStatus(v as StatusFilter | null)}
          clearable
          w={140}
        />
        <Select
          aria-label="Role"
          placeholder="Any role"
          data={(roles.data ?? []).map((r) => ({ value: r.roleId, label: r.roleName }))}
          value={role}
          onChange={setRole}
          clearable
          searchable
          w={200}
        />
        <Checkbox
          label="I can assume"
          checked={assumable}
          onChange={(e) => setAssumable(e.currentTarget.checked)}
        />
      </Group>

      {/* The drawer opens in here, beside the rows: the title and the filters stay whole above. */}
      <div style={{ position: "relative", flex: 1, minHeight: 0, display: "flex" }}>
        <Stack
          gap="xs"
          data-testid="users-list"
          style={{
            flex: 1,
            minWidth: 0,
            minHeight: 0,
            paddingRight: openId !== null ? drawerWidth + GAP : 0,
          }}
        >
          {bulk && <BulkActionBar selection={bulk} query={usersQuery(filters, 0)} matching={count} />}
          {windows.error && (
            <Alert color="red" role="alert" title={`Could not load ${text.title.toLowerCase()}`}>
              <Stack gap="xs" align="flex-start">
                <Text size="sm">{windows.error.message}</Text>
                <Button size="xs" variant="default" onClick={windows.refetch}>
                  Try again
                </Button>
              </Stack>
            </Alert>
          )}
          {windows.loading && !windows.error && (
            <div role="status" aria-label={`Loading ${text.title.toLowerCase()}`}>
              {Array.from({ length: 8 }, (_, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have nothing else
                <Skeleton key={i} height={28} mb={8} />
              ))}
            </div>
          )}
          {empty &&
            (filtered ? (
              <EmptyState
                py="xl"
                title={`No ${text.noun} matches`}
                description={
                  debounced.trim()
                    ? `Nothing matches "${debounced.trim()}" with these filters. Try other words or clear the filters.`
                    : "Nothing matches these filters. Clear them to see every one."
                }
              >
                <EmptyState.Actions>
                  <Button variant="default" onClick={clearFilters}>
                    Clear search and filters
                  </Button>
                </EmptyState.Actions>
              </EmptyState>
            ) : (
              <EmptyState
                py="xl"
                title={kind === "service" ? "No service users yet" : "No users in the cache yet"}
                description={
                  kind === "service"
                    ? "Create the first one with + New (a super-admin role is needed), or refresh to fetch the ones created elsewhere."
                    : "Refresh to fetch the users of this environment from the server."
                }
              >
                <EmptyState.Actions>
                  <Button variant="default" onClick={() => void sync.refresh()}>
                    Refresh now
                  </Button>
                </EmptyState.Actions>
              </EmptyState>
            ))}
          {!windows.loading && !windows.error && !empty && (
            <UsersTable
              label={text.title}
              showKind={showKind}
              wants={wants}
              windows={windows}
              onRangeChange={onRangeChange}
              onOpen={onOpen}
              roleName={roleName}
              resetKey={resetKey}
              handleRef={tableRef}
              sort={sort}
              onSort={onSort}
              hidden={hidden}
              selection={bulk}
            />
          )}
        </Stack>
        <ServiceUserDrawer userId={openId} onClose={() => setOpenId(null)} size={drawerWidth} />
      </div>
    </Stack>
  );
}
