// Loading, empty and error states shared by the drawer's tabs.
import { Alert, Skeleton, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { Time } from "../../../app/Time";
import type { BackendError } from "../../../ipc";

export function LoadingRows({ rows = 3, label }: { rows?: number; label: string }) {
  return (
    <Stack gap={6} aria-busy="true" aria-label={label} role="status">
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders without identity
        <Skeleton key={i} height={24} radius="sm" />
      ))}
    </Stack>
  );
}

export function LoadError({ title, error }: { title: string; error: BackendError }) {
  return (
    <Alert color="red" role="alert" title={title} data-error-code={error.code}>
      {error.message}
    </Alert>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return (
    <Text c="dimmed" size="sm" py="sm">
      {children}
    </Text>
  );
}

/** A yellow note when a read came from the cache. */
export function StaleNote({ stale, asOf }: { stale: boolean; asOf: string | null }) {
  if (!stale) return null;
  return (
    <Alert color="yellow" role="status" title="Offline" py={6}>
      From the cache as of <Time value={asOf} empty="an unknown time" />.
    </Alert>
  );
}
