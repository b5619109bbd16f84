// Everyone who can act as the service user: its owners directly, its owners through tags (with
// the people carrying the tag), and its access tokens (each revocable).
import { Badge, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { notifySuccess } from "../../../app/notify";
import { Time } from "../../../app/Time";
import { ConfirmDialog } from "../../../components/ConfirmDialog";
import type { AccessTokenView, SharePrincipal, UserView } from "../../../gen/bindings";
import { useBackendMutation, useBackendQuery } from "../../../ipc/queries";
import { useRoleNames } from "../../identity/hooks";
import { GuardedButton } from "../actions/GuardedButton";
import { AFTER } from "../actions/invalidation";
import { firstReason, noAccessReason, useOfflineReason } from "../actions/policy";
import { OWNER_WHY, ShareDialog } from "../actions/ShareDialog";
import { Empty, LoadError, LoadingRows, StaleNote } from "./states";

function principalLabel(p: SharePrincipal): string {
  return p.kind === "user" ? p.id : `tag ${p.id}`;
}

export function WhoCanActTab({ user }: { user: UserView }) {
  const shares = useBackendQuery("serviceUserShares", [user.userId]);
  const offline = useOfflineReason();
  const [sharing, setSharing] = useState(false);
  const [unsharing, setUnsharing] = useState<SharePrincipal | null>(null);
  const changeReason = firstReason(noAccessReason(user, "share it"), offline);

  const unshare = useBackendMutation("serviceUserUnshare", {
    invalidates: AFTER.shares,
    onSuccess: (_s, [, p]) => {
      setUnsharing(null);
      notifySuccess(`${user.userId} is no longer shared with ${principalLabel(p)}.`);
    },
  });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6}>
            <Text size="sm" fw={600}>
              Access:
            </Text>
            <Badge variant="light" color="gray">
              Owner
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            {OWNER_WHY}
          </Text>
        </Stack>
        <GuardedButton
          size="xs"
          reason={changeReason}
          onClick={() => setSharing(true)}
          style={{ flexShrink: 0 }}
        >
          Share…
        </GuardedButton>
      </Group>

      {shares.isPending ? (
        <LoadingRows label="Loading shares" />
      ) : shares.error ? (
        <LoadError title="Could not load the shares" error={shares.error} />
      ) : (
        <>
          <StaleNote stale={shares.data.freshness.stale} asOf={shares.data.freshness.asOf} />
          <section aria-labelledby="owners-direct">
            <Title order={4} size="h6" id="owners-direct" mb={4}>
              Owners
            </Title>
            {shares.data.users.length === 0 ? (
              <Empty>No user owns {user.userId} directly. Share it with a user to let them act as it.</Empty>
            ) : (
              <Table aria-label="Owners" verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>User</Table.Th>
                    <Table.Th>Access</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shares.data.users.map((s) => (
                    <Table.Tr key={s.userId} data-user-id={s.userId}>
                      <Table.Td>{s.userId}</Table.Td>
                      <Table.Td>Owner</Table.Td>
                      <Table.Td>
                        <UnshareButton
                          label={`Unshare ${s.userId}`}
                          reason={changeReason}
                          onClick={() => setUnsharing({ kind: "user", id: s.userId })}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </section>
          <section aria-labelledby="owners-tags">
            <Title order={4} size="h6" id="owners-tags" mb={4}>
              Owners through tags
            </Title>
            {shares.data.tags.length === 0 ? (
              <Empty>
                Not shared with any tag. Share it with a tag to let everyone carrying it act as it.
              </Empty>
            ) : (
              <Table aria-label="Owners through tags" verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Tag</Table.Th>
                    <Table.Th>Members</Table.Th>
                    <Table.Th>Access</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shares.data.tags.map((t) => (
                    <Table.Tr key={t.tagId} data-tag-id={t.tagId}>
                      <Table.Td>#{t.tagId}</Table.Td>
                      <Table.Td>
                        {t.members.length ? (
                          t.members.join(", ")
                        ) : (
                          <Text span size="sm" c="dimmed">
                            nobody yet
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>Owner</Table.Td>
                      <Table.Td>
                        <UnshareButton
                          label={`Unshare tag ${t.tagId}`}
                          reason={changeReason}
                          onClick={() => setUnsharing({ kind: "tag", id: t.tagId })}
                        />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </section>
        </>
      )}

      <AccessTokens user={user} />

      <ShareDialog user={user} opened={sharing} onClose={() => setSharing(false)} />
      <ConfirmDialog
        opened={unsharing !== null}
        onClose={() => setUnsharing(null)}
        title={unsharing ? `Unshare ${user.userId} with ${principalLabel(unsharing)}?` : "Unshare"}
        confirmLabel="Unshare"
        typeToConfirm={user.userId}
        loading={unshare.isPending}
        onConfirm={() => unsharing && unshare.mutate([user.userId, unsharing])}
      >
        <Text size="sm">
          {unsharing?.kind === "tag"
            ? `People carrying the tag ${unsharing.id} can no longer act as ${user.userId} (unless they own it another way).`
            : `${unsharing?.id ?? ""} can no longer act as ${user.userId} (unless through a tag).`}
        </Text>
      </ConfirmDialog>
    </Stack>
  );
}

function AccessTokens({ user }: { user: UserView }) {
  const tokens = useBackendQuery("serviceUserAccessTokens", [user.userId], {
    enabled: user.callerHasAccess,
  });
  const offline = useOfflineReason();
  const roleName = useRoleNames();
  const [revoking, setRevoking] = useState<AccessTokenView | null>(null);
  const revoke = useBackendMutation("serviceUserAccessTokenRevoke", {
    invalidates: AFTER.tokens,
    onSuccess: () => {
      notifySuccess(`Revoked the access token ${revoking?.tokenName ?? ""} of ${user.userId}.`);
      setRevoking(null);
    },
  });

  return (
    <section aria-labelledby="access-tokens">
      <Title order={4} size="h6" id="access-tokens" mb={4}>
        Access tokens
      </Title>
      {!user.callerHasAccess ? (
        <Empty>Only the owners of {user.userId} can see its access tokens.</Empty>
      ) : tokens.isPending ? (
        <LoadingRows label="Loading access tokens" rows={2} />
      ) : tokens.error ? (
        <LoadError title="Could not load the access tokens" error={tokens.error} />
      ) : tokens.data.tokens.length === 0 ? (
        <Empty>
          No access tokens: only people who assume {user.userId} can act as it. Assume it to create one.
        </Empty>
      ) : (
        <Table aria-label="Access tokens" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Created by</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.tokens.map((t) => (
              <Table.Tr key={t.tokenId} data-token-id={t.tokenId}>
                <Table.Td>
                  {t.tokenName}
                  {!t.active && (
                    <Badge ml={6} size="xs" color="gray" variant="light">
                      inactive
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td title={t.roleId}>{roleName(t.roleId)}</Table.Td>
                <Table.Td>
                  <Time value={t.expiresAt} format="date" />
                </Table.Td>
                <Table.Td>{t.createdBy}</Table.Td>
                <Table.Td>
                  <GuardedButton
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    aria-label={`Revoke ${t.tokenName}`}
                    reason={offline}
                    onClick={() => setRevoking(t)}
                  >
                    Revoke
                  </GuardedButton>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ConfirmDialog
        opened={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke ${revoking?.tokenName ?? "the token"}?`}
        confirmLabel="Revoke"
        typeToConfirm={user.userId}
        loading={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate([user.userId, revoking.tokenId])}
      >
        <Text size="sm">
          Automation using the access token {revoking?.tokenName} stops authenticating as {user.userId} at
          once. This cannot be undone.
        </Text>
      </ConfirmDialog>
    </section>
  );
}

/** A share's Unshare action (explains itself when the change is not allowed). */
function UnshareButton({
  label,
  reason,
  onClick,
}: {
  label: string;
  reason?: string | null;
  onClick: () => void;
}) {
  return (
    <GuardedButton
      size="compact-xs"
      variant="subtle"
      color="red"
      aria-label={label}
      reason={reason}
      onClick={onClick}
    >
      Unshare
    </GuardedButton>
  );
}
