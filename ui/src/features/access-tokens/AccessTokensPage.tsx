// Administration > Access tokens: every PAT of the service users you have access to, with days
// left, filtered (expiring within 7 or 30 days, high privilege, one service user); select and
// revoke one or many after a confirmation; the tokens assumed on this machine alongside.
import {
  Alert,
  Button,
  Checkbox,
  Group,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { notifySuccess } from "../../app/notify";
import { useSession } from "../../app/session";
import { Time } from "../../app/Time";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import type { FleetTokensFilter, FleetTokenView, RevokeOutcomeView } from "../../gen/bindings";
import { useBackendMutation, useBackendQuery } from "../../ipc/queries";
import { Empty, LoadError, LoadingRows, StaleNote } from "../service-users/detail/states";
import { AssumedHere } from "./AssumedHere";
import { FleetTokensTable, tokenKey } from "./FleetTokensTable";

const EXPIRING = [
  { value: "any", label: "Any expiry" },
  { value: "7", label: "Within 7 days" },
  { value: "30", label: "Within 30 days" },
];

export function AccessTokensPage() {
  const [expiring, setExpiring] = useState("any");
  const [highPrivilegeOnly, setHighPrivilegeOnly] = useState(false);
  const [serviceUser, setServiceUser] = useState("");
  const [debouncedUser] = useDebouncedValue(serviceUser, 200);
  const filter: FleetTokensFilter = {
    expiringWithinDays: expiring === "any" ? null : Number(expiring),
    highPrivilegeOnly,
    serviceUser: debouncedUser.trim() || null,
  };
  const list = useBackendQuery("fleetAccessTokens", [filter], { staleTime: 0 });
  const { data: session } = useSession();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [revoking, setRevoking] = useState<FleetTokenView[] | null>(null);
  const [failures, setFailures] = useState<RevokeOutcomeView[]>([]);
  const revoke = useBackendMutation("fleetAccessTokensRevoke", {
    invalidates: ["fleetAccessTokens", "serviceUserAccessTokens", "journalList"],
    onSuccess: (outcomes) => {
      const done = outcomes.filter((o) => o.code === null);
      if (done.length > 0) notifySuccess(`${done.length} access token(s) revoked`);
      setFailures(outcomes.filter((o) => o.code !== null));
      setSelected(new Set());
      setRevoking(null);
    },
  });
  const tokens = list.data?.tokens ?? [];
  const chosen = tokens.filter((t) => selected.has(tokenKey(t)));
  const select = (keys: string[], on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      for (const k of keys) on ? next.add(k) : next.delete(k);
      return next;
    });
  const one = revoking?.length === 1 ? revoking[0] : null;

  return (
    <Stack gap="sm" p="xs">
      <Group justify="space-between">
        <Title order={2}>Access tokens</Title>
        <Button color="red" disabled={chosen.length === 0} onClick={() => setRevoking(chosen)}>
          Revoke selected ({chosen.length})
        </Button>
      </Group>
      <Group gap="sm" align="flex-end">
        <SegmentedControl aria-label="Expiring" data={EXPIRING} value={expiring} onChange={setExpiring} />
        <Checkbox
          label="High privilege only"
          checked={highPrivilegeOnly}
          onChange={(e) => setHighPrivilegeOnly(e.currentTarget.checked)}
        />
        <TextInput
          label="Service user"
          placeholder="Its id"
          value={serviceUser}
          onChange={(e) => setServiceUser(e.currentTarget.value)}
          w={220}
        />
      </Group>
      {list.data && (
        <>
          <StaleNote stale={list.data.freshness.stale} asOf={list.data.freshness.asOf} />
          <Text size="xs" c="dimmed">
            As of <Time value={list.data.freshness.asOf} />
          </Text>
        </>
      )}
      {failures.length > 0 && (
        <Alert
          color="red"
          role="alert"
          title="Some tokens were not revoked"
          withCloseButton
          onClose={() => setFailures([])}
        >
          {failures.map((f) => (
            <Text size="sm" key={`${f.serviceUserId}/${f.tokenId}`} data-error-code={f.code}>
              {f.serviceUserId} {f.tokenId}: {f.message}
            </Text>
          ))}
        </Alert>
      )}
      {list.isPending ? (
        <LoadingRows label="Loading the access tokens" />
      ) : list.error ? (
        <LoadError title="Could not load the access tokens" error={list.error} />
      ) : tokens.length === 0 ? (
        <Empty>No access token of your service users matches.</Empty>
      ) : (
        <FleetTokensTable
          tokens={tokens}
          selected={selected}
          onSelect={select}
          onRevoke={(t) => setRevoking([t])}
        />
      )}
      <AssumedHere />
      <ConfirmDialog
        opened={revoking !== null}
        title={
          one ? `Revoke the access token ${one.tokenName}?` : `Revoke ${revoking?.length ?? 0} access tokens?`
        }
        environment={session?.environment}
        typeToConfirm={one ? one.tokenName : `${revoking?.length ?? 0} tokens`}
        confirmLabel={one ? "Revoke token" : `Revoke ${revoking?.length ?? 0} tokens`}
        loading={revoke.isPending}
        onConfirm={() =>
          revoking &&
          revoke.mutate([revoking.map((t) => ({ serviceUserId: t.serviceUserId, tokenId: t.tokenId }))])
        }
        onClose={() => setRevoking(null)}
      >
        <Text size="sm">Automation using these tokens stops working at once. This cannot be undone.</Text>
        <Stack gap={2}>
          {revoking?.map((t) => (
            <Text size="sm" key={tokenKey(t)}>
              {t.serviceUserId}: {t.tokenName} ({t.roleId})
            </Text>
          ))}
        </Stack>
      </ConfirmDialog>
    </Stack>
  );
}
