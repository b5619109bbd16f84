import { CONTRACT, type IdentityState, type IdentityView, type RefusalReason } from "../../gen/bindings";
import { WARN_BEFORE_MS } from "./hooks";

/**
 * The identity's state now: what Rust said at its last check, moved on by the clock between
 * checks (a live token becomes expiring, then expired, without asking). A refusal stands until
 * the next check or a new token; a token past its end is expired whatever else is known.
 */
export function stateNow(identity: IdentityView, now: number): IdentityState {
  const left = Date.parse(identity.expiresAt) - now;
  if (left <= 0 || identity.state === "expired") return "expired";
  if (identity.state === "refused") return "refused";
  return left <= WARN_BEFORE_MS ? "expiring" : "live";
}

/** Whether "Assume again" can succeed now: expired, or refused for a reason that allows it. */
export function canAssumeAgainNow(identity: IdentityView, now: number): boolean {
  const state = stateNow(identity, now);
  return state === "expired" || (state === "refused" && identity.canAssumeAgain);
}

/** A refusal in a few words, as the tray says it ("disabled", "not shared with you"). */
export function refusalWords(reason: RefusalReason): string {
  return CONTRACT.refusalReasons[reason].words;
}

/** The identity's state in a few words for menus: "refused: disabled", "expired", "expiring". */
export function stateLabel(identity: IdentityView, now: number): string | null {
  const state = stateNow(identity, now);
  if (state === "refused")
    return identity.refusal ? `refused: ${refusalWords(identity.refusal.reason)}` : "refused";
  if (state === "expired" || state === "expiring") return state;
  return null;
}
