// Datasources, as an assumed service user.
import { checkCreateDatasource } from "../rules";
import { now } from "../state";
import type { CommandHandlers } from "./handler";
import { actingAs } from "./identities";

export const datasourceCommands = {
  async datasourcesAs(fake, userId) {
    actingAs(fake, userId, false);
    return fake.data.datasources;
  },

  async datasourceCreateAs(fake, userId, name, datasourceType) {
    const { role, me } = actingAs(fake, userId, true);
    checkCreateDatasource(role, name, datasourceType);
    const created = {
      datasourceId: `ds-${fake.newId()}-${name.trim()}`,
      datasourceName: name.trim(),
      datasourceType: datasourceType.trim(),
      owner: userId,
      creationTime: now(),
    };
    fake.data.datasources.push(created);
    fake.record(
      userId,
      "datasource_created",
      `datasource "${created.datasourceName}" (${created.datasourceType}) created as ${userId}`,
      me.userId,
    );
    return created;
  },
} satisfies Partial<CommandHandlers>;
