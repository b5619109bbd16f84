import { Alert, Button, Divider, EmptyState, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useBackendMutation } from "../../ipc/queries";
import { errorTitle } from "../environments/errors";
import { AccessTokensSection } from "./AccessTokensSection";
import { Countdown } from "./Countdown";
import { DatasourcesSection } from "./DatasourcesSection";
import { useIdentities, useRoleNames } from "./hooks";

/** What the window does as the active assumed identity: datasources and its own access tokens. */
export function ActingAsPage() {
  const { active, identities, isPending, error } = useIdentities();
  const roleName = useRoleNames();
  const activate = useBackendMutation("identityActivate", { invalidates: ["identitiesList"] });

  if (isPending) {
    return (
      <div role="status" aria-label="Loading identities">
        <Skeleton height={32} mb="sm" w={320} />
        <Skeleton height={120} />
      </div>
    );
  }
  if (error) {
    return (
      <Alert color="red" role="alert" title={errorTitle(error, "Could not read the assumed identities")}>
        {error.message}
      </Alert>
    );
  }
  if (!active) {
    return (
      <Stack gap="sm">
        <Title order={2} size="h3">
          Acting as
        </Title>
        <EmptyState
          title="You act as yourself"
          description="Assume a service user from the service users list (Assume) to create datasources and manage its access tokens here."
        >
          {identities.length > 0 && (
            <EmptyState.Actions>
              {identities.map((i) => (
                <Button
                  key={i.serviceUserId}
                  variant="light"
                  onClick={() => activate.mutate([i.serviceUserId])}
                  loading={activate.isPending && activate.variables?.[0] === i.serviceUserId}
                >
                  Act as {i.serviceUserId}
                </Button>
              ))}
            </EmptyState.Actions>
          )}
        </EmptyState>
      </Stack>
    );
  }

  const expired = active.expired || Date.parse(active.expiresAt) <= Date.now();
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={2} size="h3">
          Acting as {active.serviceUserId}
        </Title>
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            Role {roleName(active.roleId)}; token valid for
          </Text>
          <Countdown expiresAt={active.expiresAt} />
        </Group>
      </Stack>
      {expired && (
        <Alert color="red" role="alert" title="The token expired">
          Renew it in the top bar to keep acting as {active.serviceUserId}.
        </Alert>
      )}
      <DatasourcesSection userId={active.serviceUserId} />
      <Divider />
      <AccessTokensSection identity={active} />
    </Stack>
  );
}
