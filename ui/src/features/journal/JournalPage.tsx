// Administration > Journal: every action this app and the CLI did in the environment (yours),
// filtered by action, service user and text; exported as CSV or JSON; its hash chain checked.
import { Alert, Button, Group, Select, Stack, TextInput, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { useState } from "react";
import { CONTRACT, type JournalFormat } from "../../gen/bindings";
import { useBackendMutation, useBackendQuery } from "../../ipc/queries";
import { Empty, LoadError, LoadingRows } from "../service-users/detail/states";
import { ExportDialog } from "./ExportDialog";
import { JournalTable } from "./JournalTable";
import { actionWords, EMPTY_FILTER, type JournalFilterInput, toBackendFilter } from "./journalFilter";

const ACTIONS = CONTRACT.journalActions.map((a) => ({ value: a, label: actionWords(a) }));

export function JournalPage() {
  const [input, setInput] = useState<JournalFilterInput>(EMPTY_FILTER);
  const [debounced] = useDebouncedValue(input, 200);
  const filter = toBackendFilter(debounced);
  // Always fresh: every other screen adds to it.
  const entries = useBackendQuery("journalList", [filter], { staleTime: 0 });
  const verify = useBackendMutation("journalVerify", { meta: { errorToast: false } });
  const [exporting, setExporting] = useState<JournalFormat | null>(null);
  const set = (patch: Partial<JournalFilterInput>) => setInput((f) => ({ ...f, ...patch }));

  return (
    <Stack gap="sm" p="xs">
      <Group justify="space-between">
        <Title order={2}>Journal</Title>
        <Group gap="xs">
          <Button variant="default" onClick={() => setExporting("csv")}>
            Export CSV
          </Button>
          <Button variant="default" onClick={() => setExporting("json")}>
            Export JSON
          </Button>
          <Button variant="default" loading={verify.isPending} onClick={() => verify.mutate([])}>
            Verify chain
          </Button>
        </Group>
      </Group>
      <Group gap="xs" align="flex-end">
        <Select
          label="Action"
          placeholder="Any action"
          data={ACTIONS}
          value={input.action}
          onChange={(action) => set({ action })}
          clearable
          w={220}
        />
        <TextInput
          label="Service user"
          placeholder="Its id"
          value={input.serviceUser}
          onChange={(e) => set({ serviceUser: e.currentTarget.value })}
          w={220}
        />
        <TextInput
          label="Search"
          placeholder="Name, detail, code, role"
          value={input.search}
          onChange={(e) => set({ search: e.currentTarget.value })}
          style={{ flex: 1 }}
        />
      </Group>
      {verify.data &&
        (verify.data.brokenSeq === null ? (
          <Alert color="green" title="The journal is intact" withCloseButton onClose={() => verify.reset()}>
            {verify.data.entries} entries checked.
          </Alert>
        ) : (
          <Alert color="red" role="alert" title={`The journal is broken at entry ${verify.data.brokenSeq}`}>
            {verify.data.reason}. Entries 1 to {verify.data.entries} are sound.
          </Alert>
        ))}
      {verify.error && <LoadError title="Could not check the journal" error={verify.error} />}
      {entries.isPending ? (
        <LoadingRows label="Loading the journal" />
      ) : entries.error ? (
        <LoadError title="Could not load the journal" error={entries.error} />
      ) : entries.data.length === 0 ? (
        <Empty>
          Nothing in the journal matches. Sign-ins, role switches and every change you make are recorded here.
        </Empty>
      ) : (
        <JournalTable entries={entries.data} />
      )}
      <ExportDialog format={exporting} filter={filter} onClose={() => setExporting(null)} />
    </Stack>
  );
}
