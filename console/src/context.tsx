import type { FlashbarProps } from '@cloudscape-design/components/flashbar';
import { createContext, useContext } from 'react';
import type { ApiClient } from './api-client';
import type { ConsoleConfig } from './config';

export interface ConsoleContext {
  api: ApiClient;
  config: ConsoleConfig;
  /** Shows a message in the page's Flashbar (success after an action, an API refusal). */
  notify: (item: Omit<FlashbarProps.MessageDefinition, 'id' | 'onDismiss' | 'dismissible'>) => void;
  navigate: (hash: string) => void;
}

export const Context = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext {
  const value = useContext(Context);
  if (!value) throw new Error('useConsole outside the console');
  return value;
}
