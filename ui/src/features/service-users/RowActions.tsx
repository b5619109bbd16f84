// Each row's menu: copy the user's id, and for a service user the `amorphic-su exec` line that
// runs a command as it. Nothing secret is copied, so the webview's own clipboard API is enough
// (a PAT's secret goes through the app core, which clears the clipboard after a minute).
import { ActionIcon, Menu } from "@mantine/core";
import type { SyntheticEvent } from "react";
import { notifyError, notifySuccess } from "../../app/notify";
import type { UserView } from "../../ipc";
import { execCommand } from "./execCommand";

/** The actions column's width (px). */
export const ROW_ACTIONS_WIDTH = 40;

/** Copies `text`, saying what was copied (or why not). */
export function copyText(text: string, what: string): Promise<void> {
  return navigator.clipboard.writeText(text).then(
    () => {
      notifySuccess(`Copied ${what}.`);
    },
    (e: unknown) => {
      notifyError({ code: "clipboard_unavailable", message: String(e) }, "Could not copy");
    },
  );
}

export function copyId(user: Pick<UserView, "userId">): Promise<void> {
  return copyText(user.userId, `the id ${user.userId}`);
}

export function copyCommand(user: Pick<UserView, "userId" | "roles" | "defaultRoleId">): Promise<void> {
  const line = execCommand(user);
  return copyText(line, `the command ${line.trim()}`);
}

// The menu lives in a portal, but React still bubbles its events to the row: a click would open
// the drawer and arrows would move the row selection.
const stop = (e: SyntheticEvent) => e.stopPropagation();

export function RowActions({ user, focusable }: { user: UserView; focusable: boolean }) {
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="sm"
          aria-label={`Actions for ${user.userId}`}
          tabIndex={focusable ? 0 : -1}
          onClick={stop}
          onKeyDown={stop}
        >
          <span aria-hidden="true" style={{ fontWeight: 700, letterSpacing: 1 }}>
            ⋯
          </span>
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown onClick={stop} onKeyDown={stop}>
        <Menu.Item onClick={() => void copyId(user)}>Copy id</Menu.Item>
        {user.isServiceUser && <Menu.Item onClick={() => void copyCommand(user)}>Copy command</Menu.Item>}
      </Menu.Dropdown>
    </Menu>
  );
}
