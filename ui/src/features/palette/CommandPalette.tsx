// The command palette (Ctrl+K): type to find a service user, an environment or an action, move
// with the arrows, run with Enter, close with Esc. Built on Mantine's Spotlight (a modal: focus
// stays inside while open and goes back where it was after). Entries call the handlers below,
// which open the very dialogs the buttons open (assume, enable/disable, sign out) and send the
// same commands.
import { Kbd, Modal, Text, VisuallyHidden } from "@mantine/core";
import { Spotlight, useSpotlight } from "@mantine/spotlight";
import { keepPreviousData } from "@tanstack/react-query";
import { useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { notifySuccess } from "../../app/notify";
import { useSession } from "../../app/session";
import { useSync } from "../../app/sync";
import type { UserView } from "../../ipc";
import { useBackendQuery } from "../../ipc/queries";
import { SignOutDialog } from "../environments/SignOutDialog";
import { useEnvironmentSwitch } from "../environments/useEnvironmentSwitch";
import { AssumeDialog } from "../service-users/actions/AssumeDialog";
import { useOfflineReason } from "../service-users/actions/policy";
import { StatusDialog } from "../service-users/actions/StatusButton";
import { copyCommand, copyId } from "../service-users/RowActions";
import { NO_FILTERS, usersQuery } from "../service-users/usersQuery";
import { useRoleSwitch } from "../session/RoleMenu";
import { buildEntries, type PaletteHandlers, type PalettePage, SWITCH_ROLE } from "./entries";
import classes from "./palette.module.css";
import { type PaletteEntry, rankEntries, searchTerm } from "./ranking";
import { PALETTE_LIST_ID, paletteMounted, paletteStore } from "./store";

/** Service users the palette holds whole; a longer list is completed by the cache's search. */
const PALETTE_USERS = 5000;
/** Service users the cache's search adds for the typed word. */
const SEARCHED_USERS = 500;

type Pending = { kind: "assume" | "status"; user: UserView } | { kind: "signOut" } | null;

export type CommandPaletteProps = {
  /** The pages the palette can open (the app shell's navigation); a new page adds itself there. */
  pages: readonly PalettePage[];
  onOpenPage: (pageId: string) => void;
};

export function CommandPalette({ pages, onOpenPage }: CommandPaletteProps) {
  const { opened, selected } = useSpotlight(paletteStore);
  const [query, setQuery] = useState("");
  const [pending, setPending] = useState<Pending>(null);
  const { data: session } = useSession();
  const signedIn = Boolean(session?.userId);
  // The cached service users, read when the palette opens (a local read, not a server request):
  // all of them up to PALETTE_USERS; past that, the cache's own search adds those matching the
  // typed word, so the fuzzy ranking still sees them.
  const users = useBackendQuery(
    "usersPage",
    [usersQuery({ kind: "service", ...NO_FILTERS }, 0, PALETTE_USERS)],
    { enabled: opened },
  );
  const term = useDeferredValue(searchTerm(query));
  const searched = useBackendQuery(
    "usersPage",
    [usersQuery({ kind: "service", ...NO_FILTERS, search: term ?? "" }, 0, SEARCHED_USERS)],
    { enabled: opened && Boolean(users.data?.hasMore) && term !== null, placeholderData: keepPreviousData },
  );
  const serviceUsers = useMemo(() => {
    const all = users.data?.users ?? [];
    const more = users.data?.hasMore ? (searched.data?.users ?? []) : [];
    if (more.length === 0) return all;
    const seen = new Set(all.map((u) => u.userId));
    return [...all, ...more.filter((u) => !seen.has(u.userId))];
  }, [users.data, searched.data]);
  const environments = useBackendQuery("environmentsList", [], { enabled: opened });
  const roles = useBackendQuery("roleList", [], { enabled: opened && signedIn });
  const offline = useOfflineReason();
  const sync = useSync({ enabled: false });
  const switchEnvironment = useEnvironmentSwitch();
  const switchRole = useRoleSwitch();
  const [selectFirst, setSelectFirst] = useState(0);
  const handledSelectFirst = useRef(0);
  // Mounted closed: the open that loaded this code happens now (focus then comes back on close).
  useEffect(() => paletteMounted(), []);

  // The handlers read the latest hooks through a ref: the entries (thousands) are built again
  // only when what they list changes.
  const now: PaletteHandlers = {
    assume: (user) => setPending({ kind: "assume", user }),
    setStatus: (user) => setPending({ kind: "status", user }),
    copyId: (user) => void copyId(user),
    copyCommand: (user) => void copyCommand(user),
    switchEnvironment: (name) =>
      switchEnvironment.mutate([name], { onSuccess: () => notifySuccess(`Now working in ${name}.`) }),
    listRoles: () => {
      setQuery(`${SWITCH_ROLE} to `);
      setSelectFirst((n) => n + 1);
    },
    actWithRole: (roleId) => switchRole.mutate([roleId]),
    signOut: () => setPending({ kind: "signOut" }),
    refresh: () => void sync.refresh(),
    open: onOpenPage,
  };
  const latest = useRef(now);
  latest.current = now;
  const entries = useMemo(() => {
    const h = () => latest.current;
    const handlers: PaletteHandlers = {
      assume: (u) => h().assume(u),
      setStatus: (u) => h().setStatus(u),
      copyId: (u) => h().copyId(u),
      copyCommand: (u) => h().copyCommand(u),
      switchEnvironment: (name) => h().switchEnvironment(name),
      listRoles: () => h().listRoles(),
      actWithRole: (roleId) => h().actWithRole(roleId),
      signOut: () => h().signOut(),
      refresh: () => h().refresh(),
      open: (page) => h().open(page),
    };
    return buildEntries(
      {
        serviceUsers,
        environments: environments.data ?? [],
        currentEnvironment: session?.environment?.name ?? null,
        roles: roles.data?.roles ?? null,
        rolesSwitchable: roles.data?.switchable ?? true,
        signedIn,
        offline,
        pages,
      },
      handlers,
    );
  }, [serviceUsers, environments.data, session?.environment?.name, roles.data, signedIn, offline, pages]);
  const shown = useMemo(() => rankEntries(query, entries), [query, entries]);
  const active = selected >= 0 ? shown[selected] : undefined;

  // Typing selects the first result (Spotlight does); a query set by an entry, or results that
  // arrive after the typing (the cache's search), would leave nothing selected: select the first.
  // biome-ignore lint/correctness/useExhaustiveDependencies: shown and selectFirst are the triggers
  useEffect(() => {
    if (!opened) return;
    const list = document.getElementById(PALETTE_LIST_ID);
    const force = selectFirst !== handledSelectFirst.current;
    handledSelectFirst.current = selectFirst;
    if (!list || (!force && list.querySelector("[data-selected]"))) return;
    list.querySelector("[data-selected]")?.removeAttribute("data-selected");
    const first = list.querySelector("[data-action]");
    if (!first) return;
    first.setAttribute("data-selected", "true");
    paletteStore.updateState((s) => ({ ...s, selected: 0 }));
  }, [shown, selectFirst, opened]);

  return (
    <>
      <Spotlight.Root
        store={paletteStore}
        query={query}
        onQueryChange={setQuery}
        // Ctrl+K is LazyCommandPalette's, which is mounted before this code is loaded.
        shortcut={null}
        tagsToIgnore={[]}
        scrollable
        maxHeight={420}
        classNames={{ action: classes.action }}
      >
        {/* The dialog's accessible name (Spotlight shows no title). */}
        <VisuallyHidden>
          <Modal.Title>Command palette</Modal.Title>
        </VisuallyHidden>
        <Spotlight.Search
          aria-label="Search service users, environments and actions"
          placeholder="Assume etl-bot, disable…, switch to…, switch role, sign out"
          role="combobox"
          aria-expanded
          aria-controls={PALETTE_LIST_ID}
          aria-autocomplete="list"
          aria-activedescendant={active ? optionId(active) : undefined}
          rightSection={<Kbd size="xs">Esc</Kbd>}
          rightSectionWidth={44}
        />
        <Spotlight.ActionsList id={PALETTE_LIST_ID} role="listbox" aria-label="Matching commands">
          {users.isPending && opened && !users.data && (
            <Text size="xs" c="dimmed" px="sm" py={4}>
              Reading the service users…
            </Text>
          )}
          {shown.map((entry, i) => (
            <PaletteOption key={entry.id} entry={entry} selected={i === selected} />
          ))}
          {shown.length === 0 && (
            <Spotlight.Empty>
              {query.trim() ? `Nothing matches "${query.trim()}".` : "Type to search."}
            </Spotlight.Empty>
          )}
        </Spotlight.ActionsList>
        <Spotlight.Footer>
          <Text size="xs" c="dimmed">
            <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> to move, <Kbd size="xs">Enter</Kbd> to run,{" "}
            <Kbd size="xs">Esc</Kbd> to close
          </Text>
        </Spotlight.Footer>
      </Spotlight.Root>
      {pending?.kind === "assume" && (
        <AssumeDialog user={pending.user} opened onClose={() => setPending(null)} />
      )}
      {pending?.kind === "status" && (
        <StatusDialog user={pending.user} opened onClose={() => setPending(null)} />
      )}
      <SignOutDialog
        opened={pending?.kind === "signOut"}
        environment={session?.environment ?? null}
        onClose={() => setPending(null)}
      />
    </>
  );
}

const optionId = (entry: PaletteEntry) => `palette-${entry.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;

function PaletteOption({ entry, selected }: { entry: PaletteEntry; selected: boolean }) {
  const inert = Boolean(entry.reason);
  return (
    <Spotlight.Action
      // Spotlight.Action keeps an `id` prop to itself; the search box's aria-activedescendant
      // needs it on the element.
      ref={(el: HTMLButtonElement | null) => el?.setAttribute("id", optionId(entry))}
      role="option"
      aria-selected={selected}
      aria-disabled={inert || undefined}
      data-entry={entry.id}
      label={entry.label}
      description={entry.description}
      closeSpotlightOnTrigger={!entry.keepOpen && !inert}
      onClick={() => {
        if (!inert) entry.run();
      }}
      rightSection={
        <Text span size="xs" c="inherit">
          {entry.group}
        </Text>
      }
      style={inert ? { opacity: 0.6, cursor: "not-allowed" } : undefined}
    />
  );
}
