import { useComputedColorScheme } from "@mantine/core";
import type { EnvironmentView } from "../../gen/bindings";

/** Colours an environment may take; red is kept for production, orange for warnings. */
export const ENVIRONMENT_PALETTE = [
  "indigo",
  "blue",
  "cyan",
  "teal",
  "green",
  "lime",
  "yellow",
  "grape",
  "violet",
  "gray",
] as const;

export const DEFAULT_ENVIRONMENT_COLOUR = "indigo";

/** The colour an environment shows everywhere: production is always red. */
export function environmentColour(env: Pick<EnvironmentView, "colour" | "production">): string {
  if (env.production) return "red";
  return env.colour?.trim() || DEFAULT_ENVIRONMENT_COLOUR;
}

/** The environment's label: production says so in words too (not only in red). */
export function environmentLabel(env: Pick<EnvironmentView, "name" | "production">): string {
  return env.production ? `${env.name} (production)` : env.name;
}

/** A CSS colour for swatches: theme colour names become Mantine's variables, anything else stays. */
export function cssColour(colour: string): string {
  return /^[a-z]+$/.test(colour) ? `var(--mantine-color-${colour}-filled)` : colour;
}

/** Red text that passes WCAG AA on the page background in both schemes (red.7 is 3.8:1 on white). */
export function useRedText(): string {
  return useComputedColorScheme("light") === "dark" ? "red.4" : "red.9";
}

/** Modals' close button has no name of its own. */
export const closeButtonProps = { "aria-label": "Close" };
