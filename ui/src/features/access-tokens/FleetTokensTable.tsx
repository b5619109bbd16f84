// The dashboard's table: one row per PAT with its service user, name, role (high privilege
// marked), created, expires and days left; a tick box per row (and for all) to revoke many, and
// a Revoke button per row.
import { Badge, Button, Checkbox, Table, Text, VisuallyHidden } from "@mantine/core";
import { Time } from "../../app/Time";
import type { FleetTokenView } from "../../gen/bindings";

/** A row's key: a token id is unique only within its service user. */
export const tokenKey = (t: Pick<FleetTokenView, "serviceUserId" | "tokenId">) =>
  `${t.serviceUserId}/${t.tokenId}`;

export function FleetTokensTable({
  tokens,
  selected,
  onSelect,
  onRevoke,
}: {
  tokens: FleetTokenView[];
  selected: ReadonlySet<string>;
  onSelect: (keys: string[], on: boolean) => void;
  onRevoke: (token: FleetTokenView) => void;
}) {
  const all = tokens.length > 0 && tokens.every((t) => selected.has(tokenKey(t)));
  const some = tokens.some((t) => selected.has(tokenKey(t)));
  return (
    <Table aria-label="Access tokens" verticalSpacing={4} striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={36}>
            <Checkbox
              aria-label="Select every token shown"
              checked={all}
              indeterminate={some && !all}
              onChange={(e) => onSelect(tokens.map(tokenKey), e.currentTarget.checked)}
            />
          </Table.Th>
          <Table.Th>Service user</Table.Th>
          <Table.Th>Token</Table.Th>
          <Table.Th>Role</Table.Th>
          <Table.Th>Created</Table.Th>
          <Table.Th>Expires</Table.Th>
          <Table.Th>Days left</Table.Th>
          <Table.Th>
            <VisuallyHidden>Actions</VisuallyHidden>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {tokens.map((t) => (
          <Table.Tr key={tokenKey(t)} data-token-id={t.tokenId}>
            <Table.Td>
              <Checkbox
                aria-label={`Select ${t.tokenName} of ${t.serviceUserId}`}
                checked={selected.has(tokenKey(t))}
                onChange={(e) => onSelect([tokenKey(t)], e.currentTarget.checked)}
              />
            </Table.Td>
            <Table.Td>{t.serviceUserId}</Table.Td>
            <Table.Td>
              <Text size="sm" span>
                {t.tokenName}
              </Text>
              <Text size="xs" c="dimmed" span>
                {" "}
                by {t.createdBy}
              </Text>
            </Table.Td>
            <Table.Td>
              {t.roleId}{" "}
              {t.highPrivilege && (
                <Badge color="orange" variant="light" size="sm">
                  high privilege
                </Badge>
              )}
            </Table.Td>
            <Table.Td style={{ whiteSpace: "nowrap" }}>
              <Time value={t.createdAt} format="date" />
            </Table.Td>
            <Table.Td style={{ whiteSpace: "nowrap" }}>
              <Time value={t.expiresAt} format="date" />
            </Table.Td>
            <Table.Td>
              {t.status === "expired" ? (
                <Badge color="gray" variant="light">
                  expired
                </Badge>
              ) : (
                <Text
                  size="sm"
                  span
                  c={t.daysLeft <= 7 ? "red" : undefined}
                  fw={t.daysLeft <= 7 ? 600 : undefined}
                >
                  {t.daysLeft}
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Button
                size="compact-xs"
                variant="subtle"
                color="red"
                aria-label={`Revoke ${t.tokenName} of ${t.serviceUserId}`}
                onClick={() => onRevoke(t)}
              >
                Revoke
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
