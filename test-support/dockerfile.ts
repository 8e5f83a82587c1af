/** What the runtime stage of a Dockerfile declares (the part after its last FROM). */
export interface RuntimeStage {
  env: Record<string, string>;
  workdir: string;
  /** `COPY --from=<stage> <from> <to>` pairs, `to` relative to WORKDIR. */
  copiesFromBuild: [string, string][];
  /** The HEALTHCHECK command in exec form, or empty. */
  healthcheck: string[];
  /** The CMD in exec form. */
  cmd: string[];
  stopSignal: string;
}

/**
 * Reads the runtime stage of a Dockerfile, so a test can run an image's entry point as a
 * process with the image's own command, environment and probe (no container engine needed).
 * Exec-form (JSON) CMD and HEALTHCHECK only, which is what this project's Dockerfiles use.
 */
export function readRuntimeStage(text: string): RuntimeStage {
  const lines = text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stage = lines.slice(lines.findLastIndex((line) => line.startsWith('FROM ')));
  const argsOf = (instruction: string) =>
    stage
      .filter((line) => line.startsWith(`${instruction} `))
      .map((line) => line.slice(instruction.length + 1));
  const env: Record<string, string> = {};
  for (const line of argsOf('ENV')) {
    for (const [, key, value] of line.matchAll(/(\w+)=(\S+)/g))
      env[key as string] = value as string;
  }
  const execForm = (value: string | undefined) => JSON.parse(value ?? '[]') as string[];
  return {
    env,
    workdir: argsOf('WORKDIR').at(-1) ?? '/',
    copiesFromBuild: argsOf('COPY')
      .filter((line) => line.startsWith('--from='))
      .map((line) => line.split(/\s+/).slice(1) as [string, string]),
    healthcheck: execForm(argsOf('HEALTHCHECK')[0]?.replace(/^.*?CMD\s+/, '')),
    cmd: execForm(argsOf('CMD').at(-1)),
    stopSignal: argsOf('STOPSIGNAL').at(-1) ?? 'SIGTERM',
  };
}
