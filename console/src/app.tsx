import AppLayout from '@cloudscape-design/components/app-layout';
import BreadcrumbGroup, { type BreadcrumbGroupProps } from '@cloudscape-design/components/breadcrumb-group';
import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import SideNavigation from '@cloudscape-design/components/side-navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient } from './api-client';
import type { ConsoleConfig } from './config';
import { type ConsoleContext, Context } from './context';
import { ExecutionPage } from './pages/execution';
import { HistoryPage } from './pages/history';
import { PlanEditorPage } from './pages/plan-editor';
import { PlansPage } from './pages/plans';
import { ReportPage } from './pages/report';
import { StartPage } from './pages/start';

/** The page a hash names: `#/plans`, `#/plans/new`, `#/plans/<id>/edit`, `#/plans/<id>/start`, `#/executions[/<id>[/report]]`. */
type Route =
  | { page: 'plans' }
  | { page: 'new-plan' }
  | { page: 'edit-plan'; planId: string }
  | { page: 'start'; planId: string }
  | { page: 'history' }
  | { page: 'execution'; executionId: string }
  | { page: 'report'; executionId: string };

export function routeOf(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'plans' && parts[1] === 'new') return { page: 'new-plan' };
  if (parts[0] === 'plans' && parts[1] && parts[2] === 'edit') return { page: 'edit-plan', planId: parts[1] };
  if (parts[0] === 'plans' && parts[1] && parts[2] === 'start') return { page: 'start', planId: parts[1] };
  if (parts[0] === 'executions' && parts[1] && parts[2] === 'report') return { page: 'report', executionId: parts[1] };
  if (parts[0] === 'executions' && parts[1]) return { page: 'execution', executionId: parts[1] };
  if (parts[0] === 'executions') return { page: 'history' };
  return { page: 'plans' };
}

function breadcrumbsOf(route: Route): BreadcrumbGroupProps.Item[] {
  const root = { text: 'DRS orchestrator', href: '#/plans' };
  const plans = { text: 'Plans', href: '#/plans' };
  const history = { text: 'Executions', href: '#/executions' };
  switch (route.page) {
    case 'plans':
      return [root, plans];
    case 'new-plan':
      return [root, plans, { text: 'Create plan', href: '#/plans/new' }];
    case 'edit-plan':
      return [root, plans, { text: route.planId, href: `#/plans/${route.planId}/edit` }];
    case 'start':
      return [root, plans, { text: `Start ${route.planId}`, href: `#/plans/${route.planId}/start` }];
    case 'history':
      return [root, history];
    case 'execution':
      return [root, history, { text: route.executionId, href: `#/executions/${route.executionId}` }];
    case 'report':
      return [
        root,
        history,
        { text: route.executionId, href: `#/executions/${route.executionId}` },
        { text: 'Report', href: `#/executions/${route.executionId}/report` },
      ];
  }
}

export function App({ api, config, signOut }: { api: ApiClient; config: ConsoleConfig; signOut?: () => void }) {
  const [hash, setHash] = useState(window.location.hash);
  const [flashes, setFlashes] = useState<FlashbarProps.MessageDefinition[]>([]);
  useEffect(() => {
    const onChange = () => {
      setHash(window.location.hash);
      setFlashes((items) => items.filter((item) => item.type === 'error'));
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const route = routeOf(hash);

  const notify = useCallback<ConsoleContext['notify']>((item) => {
    const id = `${Date.now()}-${Math.random()}`;
    setFlashes((items) => [
      ...items.slice(-4),
      {
        ...item,
        id,
        dismissible: true,
        dismissLabel: 'Dismiss',
        onDismiss: () => setFlashes((all) => all.filter((f) => f.id !== id)),
      },
    ]);
  }, []);
  const navigate = useCallback((to: string) => {
    window.location.hash = to;
  }, []);
  const context = useMemo(() => ({ api, config, notify, navigate }), [api, config, notify, navigate]);
  const active =
    route.page === 'history' || route.page === 'execution' || route.page === 'report' ? '#/executions' : '#/plans';

  return (
    <Context.Provider value={context}>
      <AppLayout
        toolsHide
        ariaLabels={{
          navigation: 'Console navigation',
          navigationClose: 'Close navigation',
          navigationToggle: 'Open navigation',
        }}
        breadcrumbs={<BreadcrumbGroup items={breadcrumbsOf(route)} ariaLabel="Breadcrumbs" />}
        notifications={<Flashbar items={flashes} />}
        navigation={
          <SideNavigation
            header={{
              text: config.mode === 'local' ? `DRS orchestrator (local, ${config.speed}× time)` : 'DRS orchestrator',
              href: '#/plans',
            }}
            activeHref={active}
            items={[
              { type: 'link', text: 'Plans', href: '#/plans' },
              { type: 'link', text: 'Executions', href: '#/executions' },
              ...(config.mode === 'aws'
                ? [{ type: 'divider' as const }, { type: 'link' as const, text: 'Sign out', href: '#/sign-out' }]
                : []),
            ]}
            onFollow={(event) => {
              if (event.detail.href === '#/sign-out') {
                event.preventDefault();
                signOut?.();
              }
            }}
          />
        }
        content={<Page route={route} />}
      />
    </Context.Provider>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'plans':
      return <PlansPage />;
    case 'new-plan':
      return <PlanEditorPage />;
    case 'edit-plan':
      return <PlanEditorPage key={route.planId} planId={route.planId} />;
    case 'start':
      return <StartPage key={route.planId} planId={route.planId} />;
    case 'history':
      return <HistoryPage />;
    case 'execution':
      return <ExecutionPage key={route.executionId} executionId={route.executionId} />;
    case 'report':
      return <ReportPage key={route.executionId} executionId={route.executionId} />;
  }
}
