// What a bulk action needs besides the selection: a role, people and tags, or a transfer user.
import { MultiSelect, Select, Stack } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData } from "@tanstack/react-query";
import { useState } from "react";
import { useBackendQuery } from "../../ipc/queries";
import { regularUsersQuery, userLabel } from "../service-users/actions/ShareDialog";
import type { BulkKind, BulkParams } from "./bulkActions";

type Props = { kind: BulkKind; params: BulkParams; onChange: (p: BulkParams) => void };

export function ActionParams({ kind, params, onChange }: Props) {
  const needsRole = kind === "attachRole" || kind === "detachRole";
  const needsUsers = kind === "share" || kind === "unshareUser";
  const needsTags = kind === "share" || kind === "unshareTag";
  const roles = useBackendQuery("rolesList", [], { enabled: needsRole, staleTime: 5 * 60_000 });
  const tags = useBackendQuery("tagsList", [], { enabled: needsTags, staleTime: 5 * 60_000 });
  if (!needsRole && !needsUsers && !needsTags && kind !== "delete") return null;
  return (
    <Stack gap="sm">
      {needsRole && (
        <Select
          label="Role"
          placeholder="Choose a role"
          data={(roles.data ?? []).map((r) => ({ value: r.roleId, label: `${r.roleName} (${r.roleId})` }))}
          value={params.role || null}
          onChange={(v) => onChange({ ...params, role: v ?? "" })}
          searchable
          data-autofocus
        />
      )}
      {needsUsers && (
        <UserPicker
          label={kind === "share" ? "People" : "Person"}
          multiple={kind === "share"}
          enabledOnly={false}
          value={params.users}
          onChange={(users) => onChange({ ...params, users })}
        />
      )}
      {needsTags &&
        (kind === "share" ? (
          <MultiSelect
            label="Tags"
            placeholder="Tags whose people become owners"
            data={(tags.data ?? []).map((t) => t.tagId)}
            value={params.tags}
            onChange={(v) => onChange({ ...params, tags: v })}
            searchable
          />
        ) : (
          <Select
            label="Tag"
            placeholder="Choose a tag"
            data={(tags.data ?? []).map((t) => t.tagId)}
            value={params.tags[0] ?? null}
            onChange={(v) => onChange({ ...params, tags: v ? [v] : [] })}
            searchable
          />
        ))}
      {kind === "delete" && (
        <UserPicker
          label="Transfer what they own to"
          multiple={false}
          enabledOnly
          value={params.transferTo ? [params.transferTo] : []}
          onChange={(v) => onChange({ ...params, transferTo: v[0] ?? "" })}
        />
      )}
    </Stack>
  );
}

/** Regular users (enabled ones only for a transfer), searched on the cache. */
function UserPicker({
  label,
  multiple,
  enabledOnly,
  value,
  onChange,
}: {
  label: string;
  multiple: boolean;
  enabledOnly: boolean;
  value: string[];
  onChange: (v: string[]) => void;
}) {
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 150);
  const found = useBackendQuery("usersPage", [regularUsersQuery(debounced, enabledOnly)], {
    placeholderData: keepPreviousData,
  });
  const ids = new Set(value);
  const data = [
    ...value.map((id) => ({ value: id, label: id })),
    ...(found.data?.users ?? [])
      .filter((u) => !u.isServiceUser && !ids.has(u.userId))
      .map((u) => ({ value: u.userId, label: userLabel(u) })),
  ];
  return multiple ? (
    <MultiSelect
      label={label}
      placeholder="Search people"
      data={data}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      searchable
    />
  ) : (
    <Select
      label={label}
      placeholder="Search people"
      data={data}
      value={value[0] ?? null}
      onChange={(v) => onChange(v ? [v] : [])}
      searchValue={search}
      onSearchChange={setSearch}
      searchable
    />
  );
}
