// Share a service user with regular users and tags. Access is always Owner (the only kind a
// service user can be shared with); service users are never offered.
import { Button, Group, Modal, MultiSelect, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { notifySuccess } from "../../../app/notify";
import { useNestedDialog } from "../../../components/ConfirmDialog";
import type { UsersQuery, UserView } from "../../../gen/bindings";
import { useBackendMutation, useBackendQuery } from "../../../ipc/queries";
import { AFTER } from "./invalidation";

export const OWNER_WHY =
  "Service users are shared with Owner access only: whoever can act as one can do everything it can, so there is no lesser access.";

/** Regular users matching `search` (the server never lets a service user own another). */
export function regularUsersQuery(search: string, enabledOnly = false): UsersQuery {
  return {
    kind: "regular",
    search: search.trim() || null,
    status: enabledOnly ? "enabled" : null,
    role: null,
    tag: null,
    assumable: false,
    offset: 0,
    limit: 50,
  };
}

export function userLabel(u: Pick<UserView, "userId" | "displayName">): string {
  return u.displayName && u.displayName !== u.userId ? `${u.displayName} (${u.userId})` : u.userId;
}

export function ShareDialog({
  user,
  opened,
  onClose,
}: {
  user: UserView;
  opened: boolean;
  onClose: () => void;
}) {
  useNestedDialog(opened);
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`Share ${user.userId}`}
      centered
      size="lg"
      closeButtonProps={{ "aria-label": "Close" }}
    >
      <ShareForm user={user} onClose={onClose} />
    </Modal>
  );
}

function ShareForm({ user, onClose }: { user: UserView; onClose: () => void }) {
  const [users, setUsers] = useState<string[]>([]);
  const [tags, setTags] = useState<string[]>([]);
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 150);
  const labels = useRef(new Map<string, string>());

  const shares = useBackendQuery("serviceUserShares", [user.userId]);
  const candidates = useBackendQuery("usersPage", [regularUsersQuery(debounced)], {
    placeholderData: keepPreviousData,
  });
  const tagList = useBackendQuery("tagsList", [], { staleTime: 5 * 60_000 });

  const sharedUsers = new Set(shares.data?.users.map((s) => s.userId) ?? []);
  const sharedTags = new Set(shares.data?.tags.map((t) => t.tagId) ?? []);
  for (const u of candidates.data?.users ?? []) labels.current.set(u.userId, userLabel(u));
  const userOptions = [
    ...users,
    ...(candidates.data?.users ?? [])
      .filter((u) => !u.isServiceUser && !sharedUsers.has(u.userId) && !users.includes(u.userId))
      .map((u) => u.userId),
  ].map((id) => ({ value: id, label: labels.current.get(id) ?? id }));
  const tagOptions = (tagList.data ?? [])
    .filter((t) => !sharedTags.has(t.tagId))
    .map((t) => ({ value: t.tagId, label: `${t.tagId} (${t.tagKey}: ${t.tagValue})` }));

  const share = useBackendMutation("serviceUserShare", {
    invalidates: AFTER.shares,
    onSuccess: (_s, [, u, t]) => {
      notifySuccess(`${user.userId} is now shared with ${[...u, ...t.map((x) => `tag ${x}`)].join(", ")}.`);
      onClose();
    },
  });

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (users.length + tags.length > 0) share.mutate([user.userId, users, tags]);
      }}
    >
      <Stack gap="sm">
        <MultiSelect
          label="Users"
          description="Regular users only: a service user cannot own another"
          placeholder="Search users by id or name"
          data={userOptions}
          value={users}
          onChange={setUsers}
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          // The backend already filtered by the search text.
          filter={({ options }) => options}
          nothingFoundMessage={candidates.isFetching ? "Searching…" : "No regular user matches"}
          comboboxProps={{ withinPortal: true }}
        />
        <MultiSelect
          label="Tags"
          description="Everyone carrying the tag can act as the service user"
          placeholder="Pick tags"
          data={tagOptions}
          value={tags}
          onChange={setTags}
          searchable
          nothingFoundMessage={tagList.error ? tagList.error.message : "No tag matches"}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput label="Access" value="Owner" readOnly description={OWNER_WHY} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={users.length + tags.length === 0} loading={share.isPending}>
            Share
          </Button>
        </Group>
        {users.length + tags.length === 0 && (
          <Text size="xs" c="dimmed" ta="right">
            Pick at least one user or tag.
          </Text>
        )}
      </Stack>
    </form>
  );
}
