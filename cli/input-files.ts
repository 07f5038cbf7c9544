import { readFileSync } from 'node:fs';
import { approvalProblemsAgainstPlan } from '../local/approval-scenario';
import { parseScenario, type Scenario, ScenarioInvalid } from '../local/drs-simulator';
import { scenarioProblemsAgainstPlan, serverIDsInPlan } from '../local/scenario-plan-check';
import { actionNamesInPlan } from '../local/wave-actions-scenario';
import { BadInput } from './exit-codes';
import { findJsonSyntaxProblem } from './json-syntax';

/** Reads a JSON file; an unreadable file or text that is not JSON is bad input naming the file. */
export function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new BadInput(`cannot read the ${what} file ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const problem = findJsonSyntaxProblem(text);
    const where = problem
      ? ` at position ${problem.position} (line ${problem.line}, column ${problem.column}): ${problem.reason}`
      : `: ${(error as Error).message}`;
    throw new BadInput(`the ${what} file ${path} is not valid JSON${where}`, { cause: error });
  }
}

/**
 * The simulator's scenario from `--scenario`, or the default world when none is given; checked
 * against the plan it will run with, so an entry for a server the plan does not hold (a typo) is
 * refused instead of silently unused.
 */
export function readScenario(path: string | undefined, plan: unknown): Scenario {
  if (!path) return parseScenario({});
  try {
    const scenario = parseScenario(readJson(path, 'scenario'));
    const problems = [
      ...scenarioProblemsAgainstPlan(scenario, serverIDsInPlan(plan, scenario), actionNamesInPlan(plan)),
      ...approvalProblemsAgainstPlan(scenario.approvals, plan),
    ];
    if (problems.length > 0) throw new ScenarioInvalid(problems);
    return scenario;
  } catch (error) {
    if (error instanceof ScenarioInvalid)
      throw new BadInput(`the scenario file ${path} is not valid: ${error.message}`, { cause: error });
    throw error;
  }
}
