/** Thrown at start-up when the environment does not hold a valid configuration. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads typed values from environment variables and collects every problem, so that a
 * misconfigured process reports all missing or invalid variables at once, by name.
 * A value is "missing" when it is unset or blank.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  private raw(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  /** A required string; `fallback` (when given) is used instead of failing. */
  string(name: string, fallback?: string): string {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) {
      this.problems.push(`${name} is required but not set`);
      return '';
    }
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  /** An integer within [min, max]. */
  int(
    name: string,
    fallback: number | undefined,
    range: { min?: number; max?: number } = {},
  ): number {
    const text = this.raw(name);
    if (text === undefined) {
      if (fallback === undefined) this.problems.push(`${name} is required but not set`);
      return fallback ?? 0;
    }
    const value = Number(text);
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max}, got "${text}"`);
      return fallback ?? 0;
    }
    return value;
  }

  /** A comma-separated list with blanks removed; required to have at least one entry. */
  list(name: string, fallback?: readonly string[]): string[] {
    const text = this.raw(name);
    const values = text === undefined ? [...(fallback ?? [])] : splitList(text);
    if (values.length === 0) this.problems.push(`${name} is required but not set`);
    return values;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const text = this.raw(name);
    if (text === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(text)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${text}"`);
      return fallback;
    }
    return text as T;
  }

  /** Records a problem found by a check of its own (e.g. a secret too short). */
  report(problem: string): void {
    this.problems.push(problem);
  }

  /** Throws a ConfigError naming every problem found so far. */
  assertValid(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
