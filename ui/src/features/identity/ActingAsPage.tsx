import { Alert, Button, Divider, EmptyState, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useState } from "react";
import { useSession } from "../../app/session";
import { Time } from "../../app/Time";
import type { IdentityView } from "../../gen/bindings";
import { useBackendMutation } from "../../ipc/queries";
import { errorTitle } from "../environments/errors";
import { AccessTokensSection } from "./AccessTokensSection";
import { Countdown } from "./Countdown";
import { DatasourcesSection } from "./DatasourcesSection";
import { ForgetIdentityDialog } from "./ForgetIdentityDialog";
import { useIdentities, useNow, useRoleNames } from "./hooks";
import { canAssumeAgainNow, stateNow } from "./identityState";
import { useIdentityActions } from "./useIdentityActions";

/** What the window does as the active assumed identity: datasources and its own access tokens. */
export function ActingAsPage() {
  const { active, identities, isPending, error } = useIdentities();
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

  return (
    <Stack gap="lg">
      <ActiveIdentityHeader identity={active} />
      <DatasourcesSection userId={active.serviceUserId} />
      <Divider />
      <AccessTokensSection identity={active} />
    </Stack>
  );
}

/**
 * Who the window acts as and how it stands: live, the role and a countdown; expired or refused
 * by the server, why (no countdown), with Assume again where it can succeed and Forget.
 */
function ActiveIdentityHeader({ identity }: { identity: IdentityView }) {
  const id = identity.serviceUserId;
  const roleName = useRoleNames();
  const now = useNow(1000);
  const state = stateNow(identity, now);
  const actions = useIdentityActions();
  const [forgetting, setForgetting] = useState(false);
  const canAssumeAgain = canAssumeAgainNow(identity, now);
  const role = identity.roleName ?? roleName(identity.roleId);
  const { data: session } = useSession();
  const buttons = (
    <Group gap="xs">
      {canAssumeAgain && (
        <Button
          size="xs"
          loading={actions.assumeAgain.isPending}
          onClick={() => actions.assumeAgain.mutate([id])}
        >
          Assume again
        </Button>
      )}
      <Button size="xs" variant="default" onClick={() => setForgetting(true)}>
        Forget
      </Button>
    </Group>
  );
  return (
    <Stack gap="sm" data-state={state}>
      <Stack gap={4}>
        <Title order={2} size="h3">
          {state === "live" || state === "expiring" ? `Acting as ${id}` : `${id} (${state})`}
        </Title>
        {state === "live" || state === "expiring" ? (
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              Role {role}; token valid for
            </Text>
            <Countdown expiresAt={identity.expiresAt} />
            {identity.sessionEndsFirst && session?.sessionExpiresAt && (
              <Text size="sm" c="dimmed" data-testid="session-ends-first">
                — your session ends first, <Time value={session.sessionExpiresAt} format="timeOfDay" />: the
                window stops acting as {id} then, until you sign in again.
              </Text>
            )}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            Role {role}
          </Text>
        )}
      </Stack>
      {state === "expired" && (
        <Alert color="red" role="alert" title="The token expired">
          <Stack gap="xs">
            <Text size="sm">
              It expired <Time value={identity.expiresAt} />. Assume {id} again to keep acting as it.
            </Text>
            {buttons}
          </Stack>
        </Alert>
      )}
      {state === "refused" && (
        <Alert color="red" role="alert" title={`The server refuses ${id}'s token`}>
          <Stack gap="xs">
            <Text size="sm">{identity.refusal?.sentence}</Text>
            {identity.refusal && (
              <Text size="xs" c="dimmed">
                The server said: {identity.refusal.message} ({identity.refusal.code},{" "}
                <Time value={identity.refusal.at} />)
              </Text>
            )}
            {buttons}
          </Stack>
        </Alert>
      )}
      <ForgetIdentityDialog
        identity={identity}
        opened={forgetting}
        loading={actions.forget.isPending}
        onConfirm={() => actions.forget.mutate([id], { onSuccess: () => setForgetting(false) })}
        onClose={() => setForgetting(false)}
      />
    </Stack>
  );
}
