import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CellOutcome, FAULTS, matrixTable, PLANS, runCell } from './fault-matrix';

/**
 * The whole fault matrix (`npm run test:faults`): every fault against every plan, each checked
 * against the DRS simulator's ground truth. It prints the table and writes it into
 * docs/reliability.md, so the document always shows the latest run.
 */
const DOC = join(__dirname, '..', '..', 'docs', 'reliability.md');
const cells: CellOutcome[] = [];

describe('the fault matrix', () => {
  for (const fault of FAULTS) {
    describe(fault.name, () => {
      for (const plan of PLANS) {
        it(`keeps every invariant for ${plan.name}`, async () => {
          const cell = await runCell(fault, plan);
          cells.push(cell);
          expect(cell.violations).toEqual([]);
        });
      }
    });
  }

  afterAll(() => {
    const table = matrixTable(cells);
    process.stdout.write(`\n${table}\n`);
    const doc = readFileSync(DOC, 'utf8');
    const updated = doc.replace(
      /<!-- matrix:start -->[\s\S]*<!-- matrix:end -->/,
      `<!-- matrix:start -->\n${table}\n<!-- matrix:end -->`,
    );
    writeFileSync(DOC, updated);
  });
});
