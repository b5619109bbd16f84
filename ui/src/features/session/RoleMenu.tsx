import { Box, Button, Menu, Text } from "@mantine/core";
import { useState } from "react";
import { useSession } from "../../app/session";
import { useRoleNames } from "../identity/hooks";
import { arrowsIntoMenu } from "../identity/menuKeyboard";
import { SessionEndLine } from "./SessionEndLine";
import { SignInAgainModal } from "./SignInAgainModal";

/**
 * "alice as Super admin" in the top bar; its menu says when the session ends and which roles
 * the signed-in user may act with.
 */
export function RoleMenu() {
  const { data: session } = useSession();
  const roleName = useRoleNames();
  const [signingIn, setSigningIn] = useState(false);
  if (!session?.userId) return null;
  const role = session.roleName ?? (session.roleId ? roleName(session.roleId) : null);
  return (
    // The group's label names who is signed in for tests (`[aria-label="signed in as"]`).
    <Box role="group" aria-label="signed in as">
      <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
        <Menu.Target>
          <Button
            onKeyDown={arrowsIntoMenu}
            variant="subtle"
            color="gray"
            size="compact-sm"
            title={session.roleId ? `Role ${session.roleId}` : undefined}
          >
            {/* One inline run: the button's label is a flex box, which would drop the space. */}
            <span>
              <Text span fw={600} size="sm">
                {session.userId}
              </Text>
              {role && (
                <>
                  {" "}
                  <Text span size="sm" c="dimmed">
                    as {role}
                  </Text>
                </>
              )}
            </span>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>
            Signed in to {session.environment?.name} as {session.userId}
          </Menu.Label>
          <SessionEndLine />
          <Menu.Divider />
          <Menu.Item onClick={() => setSigningIn(true)}>Sign in with another credential…</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {session.environment && (
        <SignInAgainModal
          environment={session.environment}
          opened={signingIn}
          onClose={() => setSigningIn(false)}
          title={`Sign in to ${session.environment.name}`}
          initialMethod="password"
        />
      )}
    </Box>
  );
}
