import { Text, useComputedColorScheme } from "@mantine/core";
import { formatExact, formatRelative, formatTimeOfDay } from "../../app/dateTime";
import { useSession } from "../../app/session";
import { useSessionEnd } from "./sessionEnd";

/**
 * When the signed-in session ends, for the role and environment menus: "Session ends at 14:05
 * (in 42 min.)" for a password session; an access token's sign-in has no session end.
 */
export function SessionEndLine() {
  const { data: session } = useSession();
  // A minute's precision is enough here; the prompt counts the last minutes in seconds.
  const end = useSessionEnd(15_000);
  const orange = useComputedColorScheme("light") === "dark" ? "orange.4" : "orange.9";
  if (!session?.userId || session.problem) return null;
  if (session.auth === "pat") {
    return (
      <Text size="xs" c="dimmed" px="sm" py={4}>
        Signed in with an access token: no session end.
      </Text>
    );
  }
  if (!end) return null;
  return (
    <Text
      size="xs"
      c={end.ending ? orange : "dimmed"}
      fw={end.ending ? 700 : undefined}
      px="sm"
      py={4}
      title={formatExact(end.endsAt)}
      data-session-end={end.endsAt}
    >
      Session ends at {formatTimeOfDay(end.endsAt)} ({formatRelative(end.endsAt)})
    </Text>
  );
}
