// Saving an export: the fake checks the name as the app core does and answers where the new file
// would be, writing nothing.
import { refuse } from "../errors";
import type { CommandHandlers } from "./handler";

export const downloadsCommands = {
  async saveDownload(_fake, fileName, _contents) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.(csv|json)$/.test(fileName))
      refuse(
        "invalid_input",
        `file name '${fileName}' must be letters, digits, '.', '-' or '_' ending in .csv or .json`,
      );
    return `/home/alice/Downloads/${fileName}`;
  },
} satisfies Partial<CommandHandlers>;
