import { Box, Text } from "@mantine/core";
import { useSession } from "../../app/session";
import type { IdentityView } from "../../gen/bindings";
import { useRedText } from "../environments/environmentColour";
import { useIdentities } from "./hooks";
import { stateNow } from "./identityState";

/** The refused banner's height, under the top bar (and the production banner). */
export const REFUSED_BANNER_HEIGHT = 30;

/** The identity the window acts as, when the server refuses its token (null otherwise). */
export function useRefusedIdentity(): IdentityView | null {
  const { data: session } = useSession();
  const signedIn = Boolean(session?.userId) && !session?.problem;
  const { active } = useIdentities(signedIn);
  return active && stateNow(active, Date.now()) === "refused" ? active : null;
}

/**
 * Under the top bar while the server refuses the active identity's token: why, in the app
 * core's sentence ("etl-bot is disabled: an owner must enable it, then assume it again."), so
 * nothing in the window looks as if it still acts as it.
 */
export function RefusedBanner({ identity }: { identity: IdentityView }) {
  const red = useRedText();
  return (
    <Box
      role="alert"
      aria-label="Identity refused"
      h={REFUSED_BANNER_HEIGHT}
      px="md"
      bg="var(--mantine-color-red-light)"
      style={{ display: "flex", alignItems: "center", minWidth: 0 }}
    >
      <Text size="sm" c={red} truncate="end" title={identity.refusal?.message}>
        <Text span fw={700} inherit>
          The server refuses {identity.serviceUserId}'s token.
        </Text>{" "}
        {identity.refusal?.sentence ?? "Assume it again or forget it."}
      </Text>
    </Box>
  );
}
