import { Badge, Indicator, Menu, UnstyledButton } from "@mantine/core";
import { useBackendQuery } from "../../ipc/queries";
import { arrowsIntoMenu } from "../identity/menuKeyboard";
import { UpdatesDialog } from "./UpdatesDialog";
import { openUpdatesDialog } from "./updatesDialogStore";
import { useUpdateAvailableToast } from "./useUpdateEvents";

/**
 * The app's version in the top bar, as a menu: "Check for updates…" opens the updates dialog. A
 * dot marks it while a check found a newer version that is not installed.
 */
export function UpdatesMenu({ version }: { version: string }) {
  useUpdateAvailableToast();
  const status = useBackendQuery("updateStatus", []);
  const available = status.data?.available ?? null;
  return (
    <>
      <Menu position="bottom-start" withinPortal withInitialFocusPlaceholder={false}>
        <Menu.Target>
          <UnstyledButton
            onKeyDown={arrowsIntoMenu}
            aria-label={
              available
                ? `v${version}: update ${available.version} available`
                : `v${version}: check for updates`
            }
            style={{ flexShrink: 0, display: "flex" }}
          >
            <Indicator disabled={!available} size={8} color="blue" offset={2}>
              <Badge
                variant="light"
                color="gray"
                tt="none"
                aria-label="app version"
                style={{ cursor: "pointer" }}
              >
                v{version}
              </Badge>
            </Indicator>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={openUpdatesDialog}>Check for updates…</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <UpdatesDialog />
    </>
  );
}
