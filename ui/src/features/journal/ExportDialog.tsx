// Exports the journal as it is filtered to a new CSV or JSON file: a path typed here, or a new
// file in the downloads folder. The app core never overwrites a file.
import { Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { notifySuccess } from "../../app/notify";
import type { JournalFilter, JournalFormat } from "../../ipc";
import { useBackendMutation } from "../../ipc/queries";

export function ExportDialog({
  format,
  filter,
  onClose,
}: {
  format: JournalFormat | null;
  filter: JournalFilter;
  onClose: () => void;
}) {
  const [path, setPath] = useState("");
  const exported = useBackendMutation("journalExport", {
    meta: { errorToast: false },
    onSuccess: (done) => {
      notifySuccess(`${done.entries} entries saved to ${done.path}`, "Journal exported");
      setPath("");
      onClose();
    },
  });
  const label = format?.toUpperCase() ?? "";
  return (
    <Modal opened={format !== null} onClose={onClose} title={`Export the journal as ${label}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (format) exported.mutate([filter, format, path.trim() === "" ? null : path.trim()]);
        }}
      >
        <Stack gap="sm">
          <Text size="sm">The entries the page shows now (its filters apply), in a new file.</Text>
          <TextInput
            label="File"
            description={`An absolute path ending in .${format ?? ""}; empty: a new file in your downloads folder`}
            placeholder={`/home/you/journal.${format ?? ""}`}
            value={path}
            onChange={(e) => setPath(e.currentTarget.value)}
            error={exported.error?.message}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={exported.isPending}>
              Export {label}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
