import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import DateRangePicker, { type DateRangePickerProps } from '@cloudscape-design/components/date-range-picker';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useCallback, useEffect, useState } from 'react';
import { EXECUTION_STATUSES } from '../../../functions/api/request';
import { EXECUTION_TYPES, type ExecutionStatus } from '../../../functions/shared/types';
import type { ExecutionSummary } from '../api-client';
import { useConsole } from '../context';
import { PAGINATION_LABELS } from '../labels';
import { duration, Status, time } from '../status';

const ANY: SelectProps.Option = { value: '', label: 'Any' };

/** The time range a DateRangePicker value covers, as [from, to] in ms. */
function rangeOf(value: DateRangePickerProps.Value | null, now = Date.now()): [number, number] | undefined {
  if (!value) return undefined;
  if (value.type === 'absolute') return [Date.parse(value.startDate), Date.parse(value.endDate)];
  const unit = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800, month: 2592000, year: 31536000 }[
    value.unit
  ];
  return [now - value.amount * unit * 1000, now];
}

/**
 * Every execution, newest first. Plan and status filter on the API (its query parameters); type
 * and dates filter what has been read. "Load more" reads the API's next page.
 */
export function HistoryPage() {
  const { api, notify } = useConsole();
  const [planId, setPlanId] = useState('');
  const [status, setStatus] = useState<SelectProps.Option>(ANY);
  const [type, setType] = useState<SelectProps.Option>(ANY);
  const [range, setRange] = useState<DateRangePickerProps.Value | null>(null);
  const [rows, setRows] = useState<ExecutionSummary[]>([]);
  const [nextToken, setNextToken] = useState<string>();
  const [loading, setLoading] = useState(false);

  const load = useCallback(
    async (token?: string) => {
      setLoading(true);
      try {
        const page = await api.listExecutions({
          ...(planId.trim() ? { planId: planId.trim() } : {}),
          ...(status.value ? { status: status.value as ExecutionStatus } : {}),
          ...(token ? { nextToken: token } : {}),
        });
        setRows((before) => (token ? [...before, ...page.items] : page.items));
        setNextToken(page.nextToken);
      } catch (error) {
        notify({ type: 'error', header: 'The executions could not be read', content: (error as Error).message });
      } finally {
        setLoading(false);
      }
    },
    [api, notify, planId, status],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const window = rangeOf(range);
  const shown = rows.filter((row) => {
    if (type.value && row.executionType !== type.value) return false;
    if (window && row.startedAt) {
      const at = Date.parse(row.startedAt);
      if (at < window[0] || at > window[1]) return false;
    }
    return true;
  });
  const { items, collectionProps, paginationProps } = useCollection(shown, {
    sorting: { defaultState: { sortingColumn: { sortingField: 'startedAt' }, isDescending: true } },
    pagination: { pageSize: 25 },
  });

  return (
    <Table
      {...collectionProps}
      loading={loading}
      loadingText="Reading the executions"
      header={
        <Header
          variant="h1"
          counter={`(${shown.length}${nextToken ? '+' : ''})`}
          actions={<Button iconName="refresh" ariaLabel="Refresh the history" onClick={() => void load()} />}
        >
          Execution history
        </Header>
      }
      filter={
        <SpaceBetween direction="horizontal" size="xs">
          <Input
            ariaLabel="Plan ID"
            placeholder="Plan ID"
            value={planId}
            onChange={({ detail }) => setPlanId(detail.value)}
          />
          <Select
            ariaLabel="Type"
            selectedOption={type}
            onChange={({ detail }) => setType(detail.selectedOption)}
            options={[ANY, ...EXECUTION_TYPES.map((t) => ({ value: t, label: t }))]}
          />
          <Select
            ariaLabel="Status"
            selectedOption={status}
            onChange={({ detail }) => setStatus(detail.selectedOption)}
            options={[ANY, ...EXECUTION_STATUSES.map((s) => ({ value: s, label: s }))]}
          />
          <DateRangePicker
            value={range}
            onChange={({ detail }) => setRange(detail.value)}
            placeholder="Started between"
            relativeOptions={[
              { key: 'h1', amount: 1, unit: 'hour', type: 'relative' },
              { key: 'd1', amount: 1, unit: 'day', type: 'relative' },
              { key: 'w1', amount: 1, unit: 'week', type: 'relative' },
            ]}
            isValidRange={() => ({ valid: true })}
            i18nStrings={{ ariaLabel: 'Started between' }}
          />
        </SpaceBetween>
      }
      pagination={
        <SpaceBetween direction="horizontal" size="xs">
          <Pagination {...paginationProps} ariaLabels={PAGINATION_LABELS} />
          {nextToken && (
            <Button variant="inline-link" onClick={() => void load(nextToken)}>
              Load more
            </Button>
          )}
        </SpaceBetween>
      }
      empty={<Box textAlign="center">No executions match.</Box>}
      items={items}
      columnDefinitions={[
        {
          id: 'executionId',
          header: 'Execution',
          isRowHeader: true,
          cell: (row) => <Link href={`#/executions/${row.executionId}`}>{row.executionId}</Link>,
        },
        { id: 'plan', header: 'Plan', sortingField: 'planId', cell: (row) => row.planName ?? row.planId },
        { id: 'type', header: 'Type', sortingField: 'executionType', cell: (row) => row.executionType },
        { id: 'status', header: 'Status', sortingField: 'status', cell: (row) => <Status status={row.status} /> },
        { id: 'waves', header: 'Waves', cell: (row) => `${row.completedWaves}/${row.waveCount}` },
        { id: 'startedAt', header: 'Started', sortingField: 'startedAt', cell: (row) => time(row.startedAt) },
        { id: 'took', header: 'Took', cell: (row) => (row.endedAt ? duration(row.startedAt, row.endedAt) : '-') },
        { id: 'error', header: 'Error', cell: (row) => row.error ?? '' },
      ]}
    />
  );
}
