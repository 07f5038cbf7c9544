import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import type { ExecutionWave } from '../api-client';
import { Status } from '../status';

/**
 * The waves as a dependency graph, for plans whose waves branch or join (issue 12): one column per
 * topological level (a wave sits one column right of its deepest dependency), each node a wave with
 * its status, an arrow from each dependency. Cloudscape has no graph component, so this small one
 * is ours; the wave sections below it keep every detail.
 */

type GraphWave = Pick<ExecutionWave, 'index' | 'name' | 'status'> & { dependsOn?: string[] };

const NODE_WIDTH = 200;
const NODE_HEIGHT = 76;
const GAP_X = 56;
const GAP_Y = 16;

/** What a wave waits for: the API's resolved `dependsOn`, or (an answer without it) the previous wave. */
const dependsOnOf = (waves: readonly GraphWave[], i: number): string[] =>
  waves[i]?.dependsOn ?? (i > 0 ? [waves[i - 1]?.name ?? ''] : []);

/** Whether some wave depends on other than the wave before it: then the page draws the graph. */
export function isWaveGraph(waves: readonly GraphWave[]): boolean {
  return waves.some((_, i) => dependsOnOf(waves, i).join('\n') !== (i === 0 ? '' : (waves[i - 1]?.name ?? '')));
}

/** Each wave's level: 0 without dependencies, else one more than its deepest dependency's. */
export function levelsOf(waves: readonly GraphWave[]): number[] {
  const byName = new Map(waves.map((w, i) => [w.name, i]));
  const levels: (number | undefined)[] = [];
  const levelOf = (i: number, seen: Set<number>): number => {
    const known = levels[i];
    if (known !== undefined) return known;
    // The plan rules refuse a cycle; the guard keeps a bad answer from looping forever.
    if (seen.has(i)) return 0;
    seen.add(i);
    const deps = dependsOnOf(waves, i).flatMap((name) => byName.get(name) ?? []);
    const level = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => levelOf(d, seen)));
    levels[i] = level;
    return level;
  };
  return waves.map((_, i) => levelOf(i, new Set()));
}

export function WaveGraph({ waves }: { waves: readonly GraphWave[] }) {
  const levels = levelsOf(waves);
  const rowInLevel = new Map<number, number>();
  const position = waves.map((_, i) => {
    const level = levels[i] ?? 0;
    const row = rowInLevel.get(level) ?? 0;
    rowInLevel.set(level, row + 1);
    return { x: level * (NODE_WIDTH + GAP_X), y: row * (NODE_HEIGHT + GAP_Y) };
  });
  const columns = Math.max(1, ...levels.map((l) => l + 1));
  const rows = Math.max(1, ...rowInLevel.values());
  const width = columns * NODE_WIDTH + (columns - 1) * GAP_X;
  const height = rows * NODE_HEIGHT + (rows - 1) * GAP_Y;
  const indexOf = new Map(waves.map((w, i) => [w.name, i]));
  const edges = waves.flatMap((_, i) =>
    dependsOnOf(waves, i).flatMap((name) => {
      const from = position[indexOf.get(name) ?? -1];
      const to = position[i];
      if (!from || !to) return [];
      const [x1, y1, x2, y2] = [from.x + NODE_WIDTH, from.y + NODE_HEIGHT / 2, to.x, to.y + NODE_HEIGHT / 2];
      const bend = (x2 - x1) / 2;
      return [{ key: `${name}->${i}`, d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2 - 6},${y2}` }];
    }),
  );

  return (
    <Container
      header={
        <Header variant="h2" description="Each wave starts once every wave it depends on is COMPLETED.">
          Wave dependencies
        </Header>
      }
    >
      <div style={{ overflowX: 'auto' }}>
        <div style={{ position: 'relative', width, height }}>
          {/* The arrows repeat what each node's "after" line says: hidden from screen readers. */}
          <svg width={width} height={height} aria-hidden="true" style={{ position: 'absolute', inset: 0 }}>
            <defs>
              <marker
                id="wave-graph-arrow"
                viewBox="0 0 8 8"
                refX="2"
                refY="4"
                markerWidth="8"
                markerHeight="8"
                orient="auto"
              >
                <path d="M0,0 L8,4 L0,8 z" fill="#8d99a8" />
              </marker>
            </defs>
            {edges.map((edge) => (
              <path
                key={edge.key}
                d={edge.d}
                fill="none"
                stroke="#8d99a8"
                strokeWidth={1.5}
                markerEnd="url(#wave-graph-arrow)"
              />
            ))}
          </svg>
          <ul aria-label="Waves by dependency" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {waves.map((wave, i) => {
              const deps = dependsOnOf(waves, i);
              return (
                <li
                  key={wave.index}
                  data-wave-level={levels[i]}
                  style={{
                    position: 'absolute',
                    left: position[i]?.x,
                    top: position[i]?.y,
                    width: NODE_WIDTH,
                    height: NODE_HEIGHT,
                    boxSizing: 'border-box',
                    padding: '6px 10px',
                    border: '1px solid #8d99a8',
                    borderRadius: 8,
                    overflow: 'hidden',
                  }}
                >
                  <Box fontWeight="bold">
                    {wave.index + 1}. {wave.name}
                  </Box>
                  <Status status={wave.status} />
                  <Box fontSize="body-s" color="text-body-secondary">
                    {deps.length === 0 ? 'No dependencies' : `After ${deps.join(', ')}`}
                  </Box>
                </li>
              );
            })}
          </ul>
        </div>
      </div>
    </Container>
  );
}
