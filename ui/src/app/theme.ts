import { type CSSVariablesResolver, createTheme, Notification } from "@mantine/core";

export const theme = createTheme({
  primaryColor: "indigo",
  // Shade 6 under white text is 4.3:1; 7 and 8 pass WCAG AA (4.5:1).
  primaryShade: { light: 7, dark: 8 },
  // Filled colours (an environment's own colour) get black or white text, whichever contrasts more.
  autoContrast: true,
  luminanceThreshold: 0.18,
  defaultRadius: "sm",
  // No transitions for people who ask the OS for reduced motion (and for the browser tests).
  respectReducedMotion: true,
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
  components: {
    Notification: Notification.extend({
      // Mantine's close button has no accessible name of its own.
      defaultProps: { closeButtonProps: { "aria-label": "Dismiss" } },
      // Under a title, the message is gray-6 / dark-2 (3.3-3.5:1): use the accessible dimmed colour.
      styles: { description: { color: "var(--mantine-color-dimmed)" } },
    }),
  },
});

/** Mantine's dimmed text and yellow alert titles are below 4.5:1; these pass in both schemes (axe-checked). */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "#5c636a",
    "--mantine-color-yellow-light-color": "#8a5300",
    // indigo-9 on a hovered light background (an active nav link under the mouse) is 4.1:1.
    "--mantine-primary-color-light-color": "#2b3f9e",
  },
  dark: {
    "--mantine-color-dimmed": "#a3a3a3",
  },
});
