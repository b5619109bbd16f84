// Administration > Diagnostics: the same checks as `amorphic-su doctor` (keychain, server, TLS,
// clock, base URL, session, token keys, cache, versions), one row each with what was found and
// what to do. "Run again" after fixing something; "Copy report" puts the CLI's text on the
// clipboard (nothing secret is in it) for a ticket or a colleague.
import { Alert, Badge, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { Time } from "../../app/Time";
import type { Check, CheckStatus } from "../../ipc";
import { useBackendQuery } from "../../ipc/queries";
import { LoadError, LoadingRows } from "../service-users/detail/states";
import { copyText } from "../service-users/RowActions";

const STATUS: Record<CheckStatus, { label: string; color: string }> = {
  ok: { label: "ok", color: "green" },
  warn: { label: "warning", color: "yellow" },
  fail: { label: "failed", color: "red" },
  skipped: { label: "skipped", color: "gray" },
};

export function DiagnosticsPage() {
  // Always run anew: the point is what is true now. Never retried: a failure is the answer.
  const run = useBackendQuery("diagnosticsRun", [], {
    staleTime: 0,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
  const report = run.data?.report;
  const failed = report?.checks.filter((c) => c.status === "fail") ?? [];
  const count = (s: CheckStatus) => report?.checks.filter((c) => c.status === s).length ?? 0;

  return (
    <Stack gap="sm" p="xs">
      <Group justify="space-between">
        <Title order={2}>Diagnostics</Title>
        <Group gap="xs">
          <Button loading={run.isFetching} onClick={() => run.refetch()}>
            Run again
          </Button>
          <Button
            variant="default"
            disabled={!run.data || run.isFetching}
            onClick={() => run.data && copyText(run.data.text, "the diagnostics report")}
          >
            Copy report
          </Button>
        </Group>
      </Group>
      {run.error && <LoadError title="The checks did not run" error={run.error} />}
      {!report && run.isPending && <LoadingRows rows={6} label="Running the checks" />}
      {report && (
        <>
          <Text size="sm" c="dimmed" data-testid="diagnostics-summary">
            {report.profile ? `Environment ${report.profile} at ${report.baseUrl}` : "No environment"}, app{" "}
            {report.appVersion}, checked <Time value={report.checkedAt} />: {count("ok")} ok, {count("warn")}{" "}
            warning(s), {count("fail")} failed, {count("skipped")} skipped.
          </Text>
          {failed.length > 0 ? (
            <Alert color="red" title={`${failed.length} check(s) failed`} role="alert">
              Start with {failed[0].title}: {failed[0].fix ?? failed[0].message}
            </Alert>
          ) : (
            <Alert color="green" title="Nothing failed" role="status">
              {count("warn") > 0 ? "Read the warnings below." : "Every check passed."}
            </Alert>
          )}
          <Table aria-label="Diagnostics" verticalSpacing="xs" aria-busy={run.isFetching}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={100}>Status</Table.Th>
                <Table.Th w={170}>Check</Table.Th>
                <Table.Th>Finding and fix</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.checks.map((c) => (
                <CheckRow key={c.id} check={c} />
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}

function CheckRow({ check }: { check: Check }) {
  const s = STATUS[check.status];
  return (
    <Table.Tr data-check={check.id} data-status={check.status}>
      <Table.Td>
        <Badge color={s.color} variant="light">
          {s.label}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={600}>
          {check.title}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ wordBreak: "break-word" }}>
          {check.message}
        </Text>
        {check.fix && (
          <Text size="sm" c="dimmed" style={{ wordBreak: "break-word" }}>
            Fix: {check.fix}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
