// The app itself: its name and version, and the clipboard.
import type { CommandHandlers } from "./handler";

export const appCommands = {
  async appInfo(fake) {
    return fake.data.appInfo;
  },

  async clipboardCopySecret(fake, text) {
    fake.data.clipboard = text;
    return null;
  },
} satisfies Partial<CommandHandlers>;
