/**
 * A state machine execution drawn as a graph, as the Step Functions console's graph view shows it:
 * the definition's top-level states as boxes, ranked from `StartAt` along their transitions (Next,
 * Choice rules and Default, Catch), the path the execution took highlighted, the state it failed in
 * marked. Drawn here as SVG text (the page inserts it), so the drawing is tested in Node as well as seen
 * in a browser. States inside Parallel branches and Map iterations count towards their top-level state.
 *
 * @example
 * const graph = executionGraph(JSON.parse(definitionText), history, 'FAILED');
 * graph.states.find((state) => state.status === 'failed')?.name; // 'AuthorizePayment'
 * response.end(graph.svg);
 */

export type StateStatus = 'visited' | 'failed' | 'running' | 'not-visited';

export interface GraphState {
  name: string;
  type: string;
  status: StateStatus;
  x: number;
  y: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** `next`, `choice`, `default` or `catch`. */
  kind: string;
  taken: boolean;
}

export interface ExecutionGraph {
  states: GraphState[];
  edges: GraphEdge[];
  /** The top-level states in the order the execution entered them. */
  path: string[];
  svg: string;
}

/** A history event as GetExecutionHistory gives it: a type and a details object named after it. */
export interface GraphHistoryEvent {
  type: string;
  [details: string]: unknown;
}

interface StateDefinition {
  Type?: string;
  Next?: string;
  Default?: string;
  Choices?: { Next?: string }[];
  Catch?: { Next?: string }[];
}

const BOX = { width: 190, height: 38, gapX: 28, gapY: 46, margin: 20 };
/** Events that mean the state they happen in failed (a retry that then succeeds clears it). */
const FAILURE =
  /(?:Task(?:Failed|TimedOut|StartFailed|SubmitFailed)|(?:Map|Parallel)StateFailed|EvaluationFailed|ExecutionFailed|ExecutionTimedOut)$/;
const SUCCESS = /^(?:TaskSucceeded|MapStateSucceeded|ParallelStateSucceeded)$/;

export function executionGraph(
  definition: { StartAt?: string; States?: Record<string, StateDefinition> },
  history: GraphHistoryEvent[],
  executionStatus: string,
): ExecutionGraph {
  const states = definition.States ?? {};
  const edges = transitionsOf(states);
  const ranks = rank(definition.StartAt, states, edges);
  const { path, status } = walk(history, states, executionStatus);
  const taken = new Set(path.slice(1).map((name, index) => `${path[index]}→${name}`));
  const placed = place(ranks, states, status);
  const graphEdges = edges.map((edge) => ({ ...edge, taken: taken.has(`${edge.from}→${edge.to}`) }));
  return { states: placed.states, edges: graphEdges, path, svg: draw(placed, graphEdges) };
}

function transitionsOf(states: Record<string, StateDefinition>): Omit<GraphEdge, 'taken'>[] {
  const edges: Omit<GraphEdge, 'taken'>[] = [];
  const add = (from: string, to: string | undefined, kind: string) => {
    if (to && states[to] && !edges.some((edge) => edge.from === from && edge.to === to)) edges.push({ from, to, kind });
  };
  for (const [name, state] of Object.entries(states)) {
    add(name, state.Next, 'next');
    for (const choice of state.Choices ?? []) add(name, choice.Next, 'choice');
    add(name, state.Default, 'default');
    for (const catcher of state.Catch ?? []) add(name, catcher.Next, 'catch');
  }
  return edges;
}

/** Rows from StartAt, breadth first; states no transition reaches (a broken definition) go last. */
function rank(startAt: string | undefined, states: Record<string, StateDefinition>, edges: Omit<GraphEdge, 'taken'>[]): string[][] {
  const rows: string[][] = [];
  const seen = new Set<string>();
  let row = startAt && states[startAt] ? [startAt] : [];
  for (const name of row) seen.add(name);
  while (row.length > 0) {
    rows.push(row);
    const next: string[] = [];
    for (const from of row) {
      for (const edge of edges) {
        if (edge.from !== from || seen.has(edge.to)) continue;
        seen.add(edge.to);
        next.push(edge.to);
      }
    }
    row = next;
  }
  const unreached = Object.keys(states).filter((name) => !seen.has(name));
  if (unreached.length > 0) rows.push(unreached);
  return rows;
}

/** The top-level states entered in order, and each one's status. */
function walk(
  history: GraphHistoryEvent[],
  states: Record<string, StateDefinition>,
  executionStatus: string,
): { path: string[]; status: Map<string, StateStatus> } {
  const path: string[] = [];
  const status = new Map<string, StateStatus>();
  let current: string | undefined;
  let exited = true;
  for (const event of history) {
    const entered = event.type.endsWith('StateEntered') ? nameIn(event.stateEnteredEventDetails) : undefined;
    if (entered !== undefined && states[entered]) {
      current = entered;
      exited = false;
      path.push(entered);
      status.set(entered, states[entered].Type === 'Fail' ? 'failed' : 'visited');
      continue;
    }
    const exitedName = event.type.endsWith('StateExited') ? nameIn(event.stateExitedEventDetails) : undefined;
    if (exitedName !== undefined && exitedName === current) exited = true;
    if (current === undefined) continue;
    if (FAILURE.test(event.type)) status.set(current, 'failed');
    else if (SUCCESS.test(event.type) && status.get(current) === 'failed' && !exited) status.set(current, 'visited');
  }
  if (current !== undefined && !exited) {
    if (executionStatus === 'RUNNING') status.set(current, 'running');
    else if (executionStatus !== 'SUCCEEDED') status.set(current, 'failed');
  }
  return { path, status };
}

function nameIn(details: unknown): string | undefined {
  const name = (details as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

interface Placed {
  states: GraphState[];
  width: number;
  height: number;
}

function place(rows: string[][], states: Record<string, StateDefinition>, status: Map<string, StateStatus>): Placed {
  const widest = Math.max(1, ...rows.map((row) => row.length));
  const width = BOX.margin * 2 + widest * BOX.width + (widest - 1) * BOX.gapX;
  const placed: GraphState[] = [];
  rows.forEach((row, rowIndex) => {
    const rowWidth = row.length * BOX.width + (row.length - 1) * BOX.gapX;
    const left = (width - rowWidth) / 2;
    row.forEach((name, column) => {
      placed.push({
        name,
        type: states[name]?.Type ?? '?',
        status: status.get(name) ?? 'not-visited',
        x: left + column * (BOX.width + BOX.gapX),
        y: BOX.margin + rowIndex * (BOX.height + BOX.gapY),
      });
    });
  });
  return { states: placed, width, height: BOX.margin * 2 + rows.length * BOX.height + Math.max(0, rows.length - 1) * BOX.gapY };
}

function draw(placed: Placed, edges: GraphEdge[]): string {
  const at = new Map(placed.states.map((state) => [state.name, state]));
  // Taken edges last, so they are drawn over the others.
  const lines = [...edges]
    .sort((a, b) => Number(a.taken) - Number(b.taken))
    .map((edge) => {
      const from = at.get(edge.from)!;
      const to = at.get(edge.to)!;
      const x1 = from.x + BOX.width / 2;
      const y1 = from.y + BOX.height;
      const x2 = to.x + BOX.width / 2;
      const y2 = to.y;
      // A transition back up (a loop) goes round the right of both boxes.
      const d =
        y2 > y1
          ? `M${x1},${y1} C${x1},${y1 + BOX.gapY / 2} ${x2},${y2 - BOX.gapY / 2} ${x2},${y2}`
          : `M${from.x + BOX.width},${from.y + BOX.height / 2} C${from.x + BOX.width + 60},${from.y} ${to.x + BOX.width + 60},${to.y + BOX.height} ${to.x + BOX.width},${to.y + BOX.height / 2}`;
      const classes = ['edge', `edge-${edge.kind}`, edge.taken ? 'taken' : ''].filter(Boolean).join(' ');
      return `<path class="${classes}" d="${d}" marker-end="url(#arrow${edge.taken ? '-taken' : ''})"><title>${escape(`${edge.from} → ${edge.to} (${edge.kind})`)}</title></path>`;
    });
  const boxes = placed.states.map(
    (state) =>
      `<g class="state ${state.status}" data-state="${escape(state.name)}" data-status="${state.status}">` +
      `<rect x="${state.x}" y="${state.y}" width="${BOX.width}" height="${BOX.height}" rx="6"/>` +
      `<text x="${state.x + BOX.width / 2}" y="${state.y + 16}">${escape(shorten(state.name, 26))}</text>` +
      `<text class="type" x="${state.x + BOX.width / 2}" y="${state.y + 30}">${escape(state.type)}${state.status === 'failed' ? ' ✗' : ''}</text>` +
      `<title>${escape(`${state.name} (${state.type}): ${state.status}`)}</title></g>`,
  );
  const marker = (id: string) =>
    `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="execution-graph" width="${placed.width + 70}" height="${placed.height}" viewBox="0 0 ${placed.width + 70} ${placed.height}">` +
    `<defs>${marker('arrow')}${marker('arrow-taken')}</defs>${lines.join('')}${boxes.join('')}</svg>`
  );
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
