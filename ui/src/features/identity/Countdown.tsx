import { Badge, Text } from "@mantine/core";
import { formatExact } from "../../app/dateTime";
import { formatLeft, urgencyOf, useNow } from "./hooks";

/** A live mm:ss countdown to `expiresAt`: orange under 10 minutes, red once expired. */
export function Countdown({ expiresAt }: { expiresAt: string }) {
  const now = useNow(1000);
  const left = Date.parse(expiresAt) - now;
  const urgency = urgencyOf(left);
  const label = urgency === "expired" ? "expired" : formatLeft(left);
  const until = formatExact(expiresAt);
  if (urgency === "ok") {
    return (
      <Text
        span
        ff="monospace"
        fw={600}
        size="sm"
        role="timer"
        aria-label="time left"
        data-urgency={urgency}
        style={{ flexShrink: 0 }}
        title={`The token expires at ${until}`}
      >
        {label}
      </Text>
    );
  }
  // Filled badges: the theme's autoContrast keeps the text readable on orange and red.
  return (
    <Badge
      variant="filled"
      color={urgency === "expired" ? "red" : "orange"}
      tt="none"
      ff="monospace"
      role="timer"
      aria-label="time left"
      data-urgency={urgency}
      style={{ flexShrink: 0 }}
      title={urgency === "expired" ? `The token expired at ${until}` : `The token expires at ${until}`}
    >
      {label}
    </Badge>
  );
}
