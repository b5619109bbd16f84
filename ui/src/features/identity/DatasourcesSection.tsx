import {
  Alert,
  Button,
  EmptyState,
  Group,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { type FormEvent, useState } from "react";
import { notifySuccess } from "../../app/notify";
import { Time } from "../../app/Time";
import { useBackendMutation, useBackendQuery } from "../../ipc/queries";
import { errorTitle } from "../environments/errors";

const DATASOURCE_TYPES = ["s3", "jdbc", "redshift", "s3athena"];

/** Datasources as the service user sees them, and a form to create one as it (it owns it). */
export function DatasourcesSection({ userId }: { userId: string }) {
  const datasources = useBackendQuery("datasourcesAs", [userId]);
  const [name, setName] = useState("");
  const [type, setType] = useState("s3");
  const [missing, setMissing] = useState(false);
  const create = useBackendMutation("datasourceCreateAs", {
    invalidates: ["datasourcesAs"],
    onSuccess: (d) => {
      setName("");
      setMissing(false);
      notifySuccess(`Created datasource ${d.datasourceName} as ${d.owner}.`);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setMissing(true);
      return;
    }
    create.mutate([userId, name.trim(), type]);
  };

  const list = datasources.data ?? [];
  return (
    <Stack gap="sm" component="section" aria-labelledby="datasources-heading">
      <Title order={3} size="h4" id="datasources-heading">
        Datasources
      </Title>
      <form onSubmit={submit} aria-label="Create datasource" noValidate>
        <Group align="flex-start" gap="sm">
          <TextInput
            label="Datasource name"
            placeholder="sales-raw"
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={missing ? "Give the datasource a name." : undefined}
            w={260}
          />
          <Select
            label="Datasource type"
            data={DATASOURCE_TYPES}
            value={type}
            onChange={(v) => v && setType(v)}
            allowDeselect={false}
            w={160}
          />
          <Button type="submit" mt={25} loading={create.isPending}>
            Create datasource
          </Button>
        </Group>
      </form>
      {datasources.error && (
        <Alert color="red" role="alert" title={errorTitle(datasources.error, "Could not list datasources")}>
          {datasources.error.message}
        </Alert>
      )}
      {datasources.isPending && (
        <div role="status" aria-label="Loading datasources">
          {[0, 1, 2].map((i) => (
            <Skeleton key={i} height={28} mb={6} />
          ))}
        </div>
      )}
      {datasources.data && list.length === 0 && (
        <EmptyState
          size="sm"
          title="No datasources"
          description={`${userId} sees no datasource yet. Create one above; ${userId} will own it.`}
        />
      )}
      {list.length > 0 && (
        <Table aria-label="Datasources" verticalSpacing={6} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Owner</Table.Th>
              <Table.Th>Created</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((d) => (
              <Table.Tr key={d.datasourceId} data-datasource-id={d.datasourceId}>
                <Table.Td fw={600}>{d.datasourceName}</Table.Td>
                <Table.Td ff="monospace">{d.datasourceType}</Table.Td>
                <Table.Td>{d.owner}</Table.Td>
                <Table.Td>
                  <Text span size="sm">
                    <Time value={d.creationTime} />
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
