import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useCallback, useEffect, useState } from 'react';
import type { ExecutionSummary, StoredPlan } from '../api-client';
import { useConsole } from '../context';
import { PAGINATION_LABELS } from '../labels';
import { Status, time } from '../status';

interface PlanRow {
  plan: StoredPlan;
  servers: number;
  last?: ExecutionSummary;
}

const serversOf = (plan: StoredPlan) =>
  new Set(plan.waves.flatMap((wave) => [...wave.sourceServerIDs, ...(wave.optionalSourceServerIDs ?? [])])).size;

/** Every stored plan, with its waves, servers and last execution's verdict. */
export function PlansPage() {
  const { api, navigate, notify } = useConsole();
  const [rows, setRows] = useState<PlanRow[]>([]);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const plans: StoredPlan[] = [];
      let nextToken: string | undefined;
      do {
        const page = await api.listPlans(nextToken);
        plans.push(...page.items);
        nextToken = page.nextToken;
      } while (nextToken);
      const withLast = await Promise.all(
        plans.map(async (plan) => {
          const last = (await api.listExecutions({ planId: plan.planId, limit: 1 })).items[0];
          return { plan, servers: serversOf(plan), ...(last ? { last } : {}) };
        }),
      );
      setRows(withLast);
    } catch (error) {
      notify({ type: 'error', header: 'The plans could not be read', content: (error as Error).message });
    } finally {
      setLoading(false);
    }
  }, [api, notify]);

  useEffect(() => {
    void load();
  }, [load]);

  const { items, collectionProps, filterProps, paginationProps, filteredItemsCount } = useCollection(rows, {
    filtering: {
      filteringFunction: (row, text) =>
        `${row.plan.planId} ${row.plan.name} ${row.plan.description ?? ''}`.toLowerCase().includes(text.toLowerCase()),
      empty: <Box textAlign="center">No plans yet: create one.</Box>,
      noMatch: <Box textAlign="center">No plan matches the filter.</Box>,
    },
    sorting: { defaultState: { sortingColumn: { sortingField: 'name' } } },
    pagination: { pageSize: 20 },
    selection: {},
  });
  const selected = collectionProps.selectedItems?.[0];

  return (
    <Table
      {...collectionProps}
      selectionType="single"
      trackBy={(row) => row.plan.planId}
      loading={loading}
      loadingText="Reading the plans"
      ariaLabels={{
        selectionGroupLabel: 'Plans',
        itemSelectionLabel: (_, row) => `Select plan ${row.plan.name}`,
        allItemsSelectionLabel: () => 'Select all plans',
      }}
      header={
        <Header
          variant="h1"
          counter={`(${rows.length})`}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button iconName="refresh" ariaLabel="Refresh the plans" onClick={() => void load()} />
              <Button disabled={!selected} onClick={() => selected && navigate(`/plans/${selected.plan.planId}/edit`)}>
                Edit
              </Button>
              <Button disabled={!selected} onClick={() => selected && navigate(`/plans/${selected.plan.planId}/start`)}>
                Start
              </Button>
              <Button variant="primary" onClick={() => navigate('/plans/new')}>
                Create plan
              </Button>
            </SpaceBetween>
          }
        >
          Recovery plans
        </Header>
      }
      filter={
        <TextFilter
          {...filterProps}
          filteringPlaceholder="Find plans"
          filteringAriaLabel="Find plans"
          countText={`${filteredItemsCount ?? 0} match${filteredItemsCount === 1 ? '' : 'es'}`}
        />
      }
      pagination={<Pagination {...paginationProps} ariaLabels={PAGINATION_LABELS} />}
      items={items}
      columnDefinitions={[
        {
          id: 'name',
          header: 'Name',
          sortingComparator: (a, b) => a.plan.name.localeCompare(b.plan.name),
          cell: (row) => <Link href={`#/plans/${row.plan.planId}/edit`}>{row.plan.name}</Link>,
          isRowHeader: true,
        },
        { id: 'planId', header: 'Plan ID', sortingField: 'planId', cell: (row) => row.plan.planId },
        {
          id: 'waves',
          header: 'Waves',
          sortingComparator: (a, b) => a.plan.waves.length - b.plan.waves.length,
          cell: (row) => row.plan.waves.length,
        },
        {
          id: 'servers',
          header: 'Servers',
          sortingComparator: (a, b) => a.servers - b.servers,
          cell: (row) => row.servers,
        },
        {
          id: 'last',
          header: 'Last execution',
          sortingComparator: (a, b) => (a.last?.startedAt ?? '').localeCompare(b.last?.startedAt ?? ''),
          cell: (row) =>
            row.last ? (
              <SpaceBetween direction="horizontal" size="xs">
                <Status status={row.last.status} />
                <Link href={`#/executions/${row.last.executionId}`}>
                  {row.last.executionType} {time(row.last.startedAt)}
                </Link>
              </SpaceBetween>
            ) : (
              'Never run'
            ),
        },
      ]}
    />
  );
}
