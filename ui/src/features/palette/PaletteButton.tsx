// The top bar's way into the command palette, for those who do not know Ctrl+K yet.
import { Button, Kbd } from "@mantine/core";
import { useSession } from "../../app/session";
import { openPalette } from "./store";

export function PaletteButton() {
  const { data: session } = useSession();
  if (!session?.userId) return null;
  return (
    <Button
      variant="default"
      size="compact-sm"
      onClick={openPalette}
      aria-keyshortcuts="Control+K"
      rightSection={<Kbd size="xs">Ctrl K</Kbd>}
      style={{ flexShrink: 0 }}
      c="dimmed"
      fw={400}
    >
      Search or run…
    </Button>
  );
}
