import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The one workflow definition: deployed by CDK, run by the local engine. */
export const ASL_PATH = join(__dirname, 'recovery-plan.asl.json');
/** The drill cleanup workflow (docs/cleanup.md): deployed by CDK, run by the local engine, like the main one. */
export const CLEANUP_ASL_PATH = join(__dirname, 'drill-cleanup.asl.json');

const PLACEHOLDER = /\$\{([A-Za-z0-9]+)\}/g;

export function readAsl(path = ASL_PATH): string {
  return readFileSync(path, 'utf8');
}

/** Every `${Name}` placeholder in the definition text. */
export function placeholdersOf(text: string): Set<string> {
  return new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string));
}

/**
 * Fills the placeholders the way CDK's `definitionSubstitutions` does, and refuses a mismatch
 * in either direction: an unbound placeholder or a substitution the file does not use.
 */
export function substitute(text: string, substitutions: Record<string, string>): string {
  const used = placeholdersOf(text);
  const unbound = [...used].filter((name) => !(name in substitutions));
  const unused = Object.keys(substitutions).filter((name) => !used.has(name));
  if (unbound.length > 0 || unused.length > 0) {
    throw new Error(
      `ASL substitutions do not match the definition: unbound placeholders [${unbound.join(', ')}], unused substitutions [${unused.join(', ')}]`,
    );
  }
  return text.replace(PLACEHOLDER, (_, name: string) => substitutions[name] as string);
}

export interface AslState {
  Type: string;
  Resource?: string;
  Next?: string;
  Seconds?: number;
  SecondsPath?: string;
  TimestampPath?: string;
  Retry?: unknown[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
  Branches?: { States: Record<string, AslState> }[];
}

/** Every state of the definition, nested Map and Parallel states included, by name. */
export function allStates(definition: { States: Record<string, AslState> }): Map<string, AslState> {
  const out = new Map<string, AslState>();
  const visit = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      if (out.has(name)) throw new Error(`state name '${name}' is used twice; local task binding is by state name`);
      out.set(name, state);
      const nested = state.ItemProcessor ?? state.Iterator;
      if (nested) visit(nested.States);
      for (const branch of state.Branches ?? []) visit(branch.States);
    }
  };
  visit(definition.States);
  return out;
}
