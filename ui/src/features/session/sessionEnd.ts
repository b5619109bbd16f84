import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useSession } from "../../app/session";
import { useNow } from "../identity/hooks";

/** This close to a password session's end, the app asks to sign in again. */
export const SESSION_PROMPT_MS = 5 * 60_000;

/** Where a password session stands at `now`: ending once under `SESSION_PROMPT_MS`, ended at its end. */
export type SessionEnd = {
  /** When the session ends (RFC 3339). */
  endsAt: string;
  msLeft: number;
  ending: boolean;
  ended: boolean;
};

/** The session's end as seen at `now`; null when it has none (a PAT, or not signed in). */
export function sessionEndAt(endsAt: string | null | undefined, now: number): SessionEnd | null {
  if (!endsAt) return null;
  const msLeft = Date.parse(endsAt) - now;
  if (Number.isNaN(msLeft)) return null;
  return { endsAt, msLeft, ending: msLeft > 0 && msLeft <= SESSION_PROMPT_MS, ended: msLeft <= 0 };
}

/**
 * The signed-in password session's end, ticking every `intervalMs`; null without one. Once its
 * end passes, the session is asked again, so the window shows "Session ended" (the server has
 * the last word) instead of lists it can no longer refresh.
 */
export function useSessionEnd(intervalMs = 1000): SessionEnd | null {
  const { data: session } = useSession();
  const now = useNow(intervalMs);
  const signedIn = Boolean(session?.userId) && !session?.problem;
  const end = signedIn ? sessionEndAt(session?.sessionExpiresAt, now) : null;
  const ended = end?.ended ?? false;
  const queryClient = useQueryClient();
  useEffect(() => {
    if (ended) void queryClient.invalidateQueries({ queryKey: ["sessionStatus"] });
  }, [ended, queryClient]);
  return end;
}
