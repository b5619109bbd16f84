// Which columns the users table shows, kept in the window's preferences. The id always shows:
// it is what a row is.
import { Button, Checkbox, Popover, Stack, Text } from "@mantine/core";
import { usePreference } from "../../app/preferences";
import { COLUMNS, type ColumnKey } from "./columns";

const CHOOSABLE = COLUMNS.filter((c) => c.key !== "id");

function isHiddenList(v: unknown): v is ColumnKey[] {
  return Array.isArray(v) && v.every((k) => CHOOSABLE.some((c) => c.key === k));
}

/** The hidden columns and their setter (the same preference in both lists). */
export function useHiddenColumns(): [ColumnKey[], (hidden: ColumnKey[]) => void] {
  return usePreference<ColumnKey[]>("users.hiddenColumns", [], isHiddenList);
}

export function ColumnChooser({ showKind }: { showKind: boolean }) {
  const [hidden, setHidden] = useHiddenColumns();
  const choosable = CHOOSABLE.filter((c) => showKind || c.key !== "kind");
  const toggle = (key: ColumnKey, shown: boolean) =>
    setHidden(shown ? hidden.filter((k) => k !== key) : [...hidden, key]);
  return (
    <Popover position="bottom-end" trapFocus returnFocus withinPortal shadow="md">
      <Popover.Target>
        <Button variant="default" size="sm">
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Text size="xs" c="dimmed" fw={500} pb={6}>
          Show columns
        </Text>
        <Stack gap={6} role="group" aria-label="Shown columns">
          {choosable.map((c) => (
            <Checkbox
              key={c.key}
              size="sm"
              label={c.label}
              checked={!hidden.includes(c.key)}
              onChange={(e) => toggle(c.key, e.currentTarget.checked)}
            />
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
