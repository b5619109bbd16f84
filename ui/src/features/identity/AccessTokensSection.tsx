import { Alert, Badge, Button, EmptyState, Group, Skeleton, Stack, Table, Text, Title } from "@mantine/core";
import { useState } from "react";
import { notifySuccess } from "../../app/notify";
import { useSession } from "../../app/session";
import { Time } from "../../app/Time";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import type { AccessTokenView, IdentityView } from "../../gen/bindings";
import { useBackendMutation, useBackendQuery } from "../../ipc/queries";
import { errorTitle } from "../environments/errors";
import { useRoleNames } from "./hooks";
import { NewAccessTokenDialog } from "./NewAccessTokenDialog";

/** The service user's own access tokens, acting as it: list, create (secret shown once), delete. */
export function AccessTokensSection({ identity }: { identity: IdentityView }) {
  const userId = identity.serviceUserId;
  const tokens = useBackendQuery("accessTokensAs", [userId]);
  const roleName = useRoleNames();
  const { data: session } = useSession();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<AccessTokenView | null>(null);
  const remove = useBackendMutation("accessTokenDeleteAs", {
    invalidates: ["accessTokensAs", "serviceUserAccessTokens"],
    onSuccess: () => {
      notifySuccess(`Deleted the access token ${deleting?.tokenName ?? ""}.`);
      setDeleting(null);
    },
  });

  const list = tokens.data ?? [];
  return (
    <Stack gap="sm" component="section" aria-labelledby="access-tokens-heading">
      <Group justify="space-between">
        <Title order={3} size="h4" id="access-tokens-heading">
          Access tokens of {userId}
        </Title>
        <Button onClick={() => setCreating(true)}>New access token</Button>
      </Group>
      {tokens.error && (
        <Alert color="red" role="alert" title={errorTitle(tokens.error, "Could not list access tokens")}>
          {tokens.error.message}
        </Alert>
      )}
      {tokens.isPending && (
        <div role="status" aria-label="Loading access tokens">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} height={28} mb={6} />
          ))}
        </div>
      )}
      {tokens.data && list.length === 0 && (
        <EmptyState
          size="sm"
          title="No access tokens"
          description={`${userId} has no personal access token. Create one for automation that runs as ${userId}.`}
        />
      )}
      {list.length > 0 && (
        <Table aria-label="Access tokens" verticalSpacing={6} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>
                <Text span size="sm" fw={700}>
                  Actions
                </Text>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((t) => (
              <Table.Tr key={t.tokenId} data-token-id={t.tokenId}>
                <Table.Td fw={600}>{t.tokenName}</Table.Td>
                <Table.Td>{t.description ?? ""}</Table.Td>
                <Table.Td>{roleName(t.roleId)}</Table.Td>
                <Table.Td>
                  <Time value={t.expiresAt} format="date" />
                </Table.Td>
                <Table.Td>
                  <Time value={t.creationTime} format="date" />
                </Table.Td>
                <Table.Td>
                  <Badge variant="dot" color={t.active ? "green" : "gray"}>
                    {t.active ? "active" : "inactive"}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    aria-label={`Delete token ${t.tokenName}`}
                    onClick={() => setDeleting(t)}
                  >
                    Delete
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <NewAccessTokenDialog identity={identity} opened={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        opened={deleting !== null}
        title={`Delete the access token ${deleting?.tokenName ?? ""}?`}
        environment={session?.environment}
        typeToConfirm={deleting?.tokenName}
        confirmLabel="Delete token"
        loading={remove.isPending}
        onConfirm={() => deleting && remove.mutate([userId, deleting.tokenId])}
        onClose={() => setDeleting(null)}
      >
        <Text size="sm">
          Automation using this token stops working as {userId} at once. This cannot be undone.
        </Text>
      </ConfirmDialog>
    </Stack>
  );
}
