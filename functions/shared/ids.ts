/**
 * The ID formats the orchestrator checks, one of each: the plan rules, the API's filters and the
 * DRS simulator test against the same pattern, and name it in their messages with the same words.
 */

/** A DRS source server ID, as the DRS API defines it. */
export const SOURCE_SERVER_ID = /^s-[0-9a-zA-Z]{17}$/;
export const SOURCE_SERVER_ID_RULE = "'s-' followed by 17 letters or digits";

/** A DRS recovery job ID, as the DRS API defines it. */
export const JOB_ID = /^drsjob-[0-9a-zA-Z]{17}$/;

/**
 * A plan ID. It is a table key and the start of every execution name, so it stays short and
 * plain (execution-naming.ts turns its '.' into '_').
 */
export const PLAN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const PLAN_ID_RULE = "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";
