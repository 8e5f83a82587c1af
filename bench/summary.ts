import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** One figure of the summary, with the goal it is held to (null: reported, no goal). */
export interface Figure {
  name: string;
  value: number;
  goal: number | null;
  /** Whether `value` meets `goal` (null without a goal). */
  met: boolean | null;
  unit: string;
  /** Which way is better: the goal is a floor ('higher') or a ceiling ('lower'). */
  better: 'higher' | 'lower';
  /** The benchmark that measured it, its p50/p99 where it has them, and when. */
  bench: string;
  p50Ms?: number;
  p99Ms?: number;
  measuredAt: string;
  what: string;
}

export type FigureInput = Omit<Figure, 'met' | 'bench' | 'measuredAt'>;

export function figure(
  name: string,
  value: number,
  unit: string,
  goal: { better: 'higher' | 'lower'; goal: number | null },
  what: string,
  percentiles: { p50Ms?: number; p99Ms?: number } = {},
): FigureInput {
  return { name, value, unit, ...goal, what, ...percentiles };
}

export const atLeast = (goal: number) => ({ better: 'higher' as const, goal });
export const atMost = (goal: number) => ({ better: 'lower' as const, goal });
export const noGoal = (better: 'higher' | 'lower' = 'lower') => ({ better, goal: null });

function met(input: FigureInput): boolean | null {
  if (input.goal === null) return null;
  return input.better === 'higher' ? input.value >= input.goal : input.value <= input.goal;
}

/**
 * bench/results/summary.json and summary.md: every figure of the last run of each benchmark.
 * A run of some benchmarks (`npm run bench -- saga`) replaces their figures and keeps the
 * others, each with the time it was measured.
 */
export function writeSummary(
  resultsDir: string,
  measured: Record<string, FigureInput[]>,
  servers: readonly string[],
): { json: string; markdown: string } {
  const jsonFile = join(resultsDir, 'summary.json');
  const earlier: Figure[] = existsSync(jsonFile)
    ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as Figure[])
    : [];
  const now = new Date().toISOString();
  const fresh: Figure[] = Object.entries(measured).flatMap(([bench, inputs]) =>
    inputs.map((input) => ({ ...input, met: met(input), bench, measuredAt: now })),
  );
  const ran = new Set(Object.keys(measured));
  const figures = [...earlier.filter((f) => !ran.has(f.bench)), ...fresh].sort(
    (a, b) => BENCH_ORDER.indexOf(a.bench) - BENCH_ORDER.indexOf(b.bench),
  );
  const json = `${JSON.stringify(figures, null, 2)}\n`;
  writeFileSync(jsonFile, json);
  const markdown = summaryMarkdown(figures, servers);
  writeFileSync(join(resultsDir, 'summary.md'), markdown);
  return { json, markdown };
}

const BENCH_ORDER = [
  'saga',
  'flash-sale',
  'saga-cpu',
  'soak',
  'inventory',
  'functions',
  'listing',
  'memory',
  'gateway',
  'storefront',
  'catalog',
  'tracing',
  'mongo',
  'grouped',
  'passwords',
];

function goalText(f: Figure): string {
  if (f.goal === null) return '';
  return `${f.better === 'higher' ? '>=' : '<='} ${f.goal}`;
}

function summaryMarkdown(figures: readonly Figure[], servers: readonly string[]): string {
  const mark = (f: Figure) => (f.met === null ? '' : f.met ? 'met' : '**not met**');
  const pct = (n: number | undefined) => (n === undefined ? '' : String(n));
  const metCount = figures.filter((f) => f.met === true).length;
  const withGoal = figures.filter((f) => f.met !== null).length;
  return [
    '# Benchmark summary',
    '',
    `Written ${new Date().toISOString()} by \`npm run bench\` on ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB (${cpus()[0]?.model ?? 'unknown CPU'}). Servers: ${servers.join('; ')}.`,
    '',
    `Each figure is from the last run of its benchmark (the time is beside it); ratios compare with a baseline measured in the same run. ${metCount} of ${withGoal} goals met. Details: the benchmark's own file in this folder. Machine-readable: summary.json.`,
    '',
    '| figure | value | unit | goal | | p50 ms | p99 ms | benchmark, measured | what |',
    '| --- | ---: | --- | --- | --- | ---: | ---: | --- | --- |',
    ...figures.map(
      (f) =>
        `| \`${f.name}\` | ${f.value} | ${f.unit} | ${goalText(f)} | ${mark(f)} | ${pct(f.p50Ms)} | ${pct(f.p99Ms)} | ${f.bench}, ${f.measuredAt.slice(0, 16).replace('T', ' ')} | ${f.what} |`,
    ),
    '',
  ].join('\n');
}
