import { Box, Text } from "@mantine/core";
import { formatExact, formatTimeOfDay } from "../../app/dateTime";
import { useSession } from "../../app/session";
import { useSync } from "../../app/sync";
import { useRedText } from "../environments/environmentColour";
import { RoleMenu } from "./RoleMenu";

/**
 * Who the window acts for, at the right of the top bar: "alice as Super admin" (the role menu)
 * when signed in; "offline: alice (cached as of 10:42)" when the server cannot be reached but the
 * session stands; "Session ended: sign in" once it ended; else "Not signed in".
 */
export function SessionStatus() {
  const { data: session } = useSession();
  const sync = useSync({ enabled: false });
  const red = useRedText();
  if (!session) return null;
  if (session.userId && !session.problem) return <RoleMenu />;
  if (session.userId && session.online === false) {
    const asOf = session.cachedAsOf ?? sync.data?.asOf ?? null;
    return (
      <Box role="group" aria-label="session">
        <Text size="sm" style={{ whiteSpace: "nowrap" }} title={asOf ? formatExact(asOf) : undefined}>
          <Text span c="dimmed">
            offline:{" "}
          </Text>
          <Text span fw={600}>
            {session.userId}
          </Text>
          <Text span c="dimmed">
            {" "}
            ({asOf ? `cached as of ${formatTimeOfDay(asOf)}` : "cached"})
          </Text>
        </Text>
      </Box>
    );
  }
  if (session.problem?.code === "session_expired") {
    return (
      <Box role="group" aria-label="session">
        <Text size="sm" fw={600} c={red} style={{ whiteSpace: "nowrap" }}>
          Session ended: sign in
        </Text>
      </Box>
    );
  }
  return (
    <Text size="sm" c="dimmed" style={{ whiteSpace: "nowrap" }}>
      Not signed in
    </Text>
  );
}
