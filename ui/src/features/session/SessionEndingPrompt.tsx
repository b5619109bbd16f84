import { Button, Dialog, Group, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { formatTimeOfDay } from "../../app/dateTime";
import { useSession } from "../../app/session";
import { formatLeft } from "../identity/hooks";
import { SignInAgainModal } from "./SignInAgainModal";
import { useSessionEnd } from "./sessionEnd";

/**
 * A few minutes before a password session ends: "Your session ends in 04:59, at 14:05", with
 * "Sign in again" (the password form of the current environment) and "Later". Not modal: the
 * window stays usable until the end, when the sign-in screen takes over.
 */
export function SessionEndingPrompt({ top }: { top: number }) {
  const { data: session } = useSession();
  const end = useSessionEnd();
  // "Later" holds for this session's end; a new session (a new end) may ask again.
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const env = session?.environment;
  if (!env || !end) return null;
  const opened = end.ending && dismissed !== end.endsAt && !signingIn;
  return (
    <>
      <Dialog
        opened={opened}
        position={{ top: top + 8, right: 16 }}
        size="lg"
        withBorder
        shadow="md"
        role="dialog"
        aria-labelledby="session-ending-title"
        data-testid="session-ending"
      >
        <Stack gap="xs">
          <Text id="session-ending-title" fw={700} size="sm">
            Your session ends in{" "}
            <Text span ff="monospace" fw={700} role="timer" aria-label="session time left">
              {formatLeft(end.msLeft)}
            </Text>
          </Text>
          <Text size="sm">
            The password session in {env.name} ends at {formatTimeOfDay(end.endsAt)}. Sign in again to keep
            working without an interruption.
          </Text>
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={() => setDismissed(end.endsAt)}>
              Later
            </Button>
            <Button size="xs" onClick={() => setSigningIn(true)}>
              Sign in again
            </Button>
          </Group>
        </Stack>
      </Dialog>
      <SignInAgainModal
        environment={env}
        opened={signingIn}
        onClose={() => setSigningIn(false)}
        title={`Sign in again to ${env.name}`}
        initialMethod="password"
      />
    </>
  );
}
