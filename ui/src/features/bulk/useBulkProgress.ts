// A run's progress, from the typed `bulkProgressEvent` Rust sends while it runs (the window
// without Tauri, in component tests, has none: the run then shows as going until it ends).
import { useEffect, useState } from "react";
import { events } from "../../gen/bindings";

export type Progress = { finished: number; total: number };

export function useBulkProgress(runId: string | null): Progress | null {
  const [progress, setProgress] = useState<Progress | null>(null);
  useEffect(() => {
    setProgress(null);
    if (!runId || typeof window === "undefined" || !("__TAURI_INTERNALS__" in window)) return;
    let stop: (() => void) | null = null;
    let cancelled = false;
    events.bulkProgressEvent
      .listen((e) => {
        if (e.payload.runId === runId) setProgress({ finished: e.payload.finished, total: e.payload.total });
      })
      .then((s) => {
        if (cancelled) s();
        else stop = s;
      })
      .catch(() => {});
    return () => {
      cancelled = true;
      try {
        stop?.();
      } catch {}
    };
  }, [runId]);
  return progress;
}
