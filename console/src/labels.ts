import type { PaginationProps } from '@cloudscape-design/components/pagination';

/** Names a screen reader gives the pagination buttons. */
export const PAGINATION_LABELS: PaginationProps.Labels = {
  nextPageLabel: 'Next page',
  previousPageLabel: 'Previous page',
  pageLabel: (page) => `Page ${page}`,
};
