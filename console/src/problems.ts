/**
 * The API names each validation problem `<where>: <what>`, `where` written as JSON paths are
 * (`waves[0].sourceServerIDs[2]`, functions/shared/zod-problems.ts). This places each one at the
 * form field it concerns: the field whose path is the problem's, or its nearest ancestor.
 */
export interface PlacedProblem {
  path: string;
  message: string;
}

const PATH = /^((?:[A-Za-z_$][\w$]*|\[\d+\])(?:\.[A-Za-z_$][\w$]*|\[\d+\])*): (.*)$/s;

export function placeProblem(problem: string): PlacedProblem {
  const match = PATH.exec(problem);
  return match ? { path: match[1] ?? '', message: match[2] ?? problem } : { path: '', message: problem };
}

/** The problems for one field: those at its path or below it (an element of a list field). */
export function problemsAt(problems: readonly PlacedProblem[], path: string): PlacedProblem[] {
  return problems.filter((p) => p.path === path || p.path.startsWith(`${path}[`) || p.path.startsWith(`${path}.`));
}

/** `waves[0].sourceServerIDs[2]: …` shown at its field as `[2]: …`, the field's own problems as they are. */
export function errorText(problems: readonly PlacedProblem[], path: string): string | undefined {
  const here = problemsAt(problems, path);
  if (here.length === 0) return undefined;
  return here.map((p) => (p.path === path ? p.message : `${p.path.slice(path.length)}: ${p.message}`)).join(' · ');
}
