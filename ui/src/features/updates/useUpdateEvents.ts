// The events Rust sends about updates: a background check found a newer version (a toast that
// opens the dialog), and an install's progress (for the dialog's bar).
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { events, type UpdateProgress } from "../../gen/bindings";
import { openUpdatesDialog } from "./updatesDialogStore";

type Stop = () => void;

function listening(starts: Promise<Stop>[]): () => void {
  let cancelled = false;
  const stops: Stop[] = [];
  for (const start of starts) {
    start
      .then((stop) => (cancelled ? stop() : stops.push(stop)))
      // No event plugin (a test without Tauri): nothing to listen to.
      .catch(() => {});
  }
  return () => {
    cancelled = true;
    for (const stop of stops) {
      try {
        Promise.resolve(stop() as unknown).catch(() => {});
      } catch {}
    }
  };
}

/** A toast when the check at start (or the daily one) finds a newer version. */
export function useUpdateAvailableToast(): void {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      listening([
        events.updateAvailable.listen(({ payload }) => {
          void queryClient.invalidateQueries({ queryKey: ["updateStatus"] });
          notifications.show({
            id: "update-available",
            color: "blue",
            title: `Version ${payload.update.version} is available`,
            message: "Open “Check for updates” in the version menu to see what is new and install it.",
            autoClose: false,
            onClick: openUpdatesDialog,
            style: { cursor: "pointer" },
          });
        }),
      ]),
    [queryClient],
  );
}

/** The latest progress of an install (null before the first event). */
export function useUpdateProgress(): UpdateProgress | null {
  const [progress, setProgress] = useState<UpdateProgress | null>(null);
  useEffect(() => listening([events.updateProgress.listen(({ payload }) => setProgress(payload))]), []);
  return progress;
}
