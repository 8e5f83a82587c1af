import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath, runCommand } from '../localstack/infra/commands.js';
import { installOnce } from '../localstack/infra/install-once.js';
import { CACHE_DIR } from '../localstack/infra/paths.js';

/** The CloudFormation linter the template test runs, from PyPI, pinned. */
export const CFN_LINT_VERSION = '1.58.0';

const VENV = join(CACHE_DIR, 'tools', `cfn-lint-${CFN_LINT_VERSION}`);
/** Run through its Python, not its script: a venv's scripts name the folder it was built in. */
const RUN_CFN_LINT =
  'import sys; from cfnlint.runner import main; sys.argv[0] = "cfn-lint"; sys.exit(main())';
const PYTHON = join(VENV, 'bin', 'python');
const INSTALLED = join(VENV, '.installed');

/**
 * The Python that runs cfn-lint, installed once into a virtual environment under .cache/tools/ (built
 * in a temporary folder and moved in place, under a lock, so a half-made one is never used).
 * Needs Python 3 with venv and pip, and PyPI.
 */
export async function ensureCfnLint(): Promise<string> {
  await installOnce(
    VENV,
    () => existsSync(INSTALLED),
    async (staging) => {
      const python = findOnPath('python3') ?? findOnPath('python');
      if (!python)
        throw new Error('Python 3 is needed to install cfn-lint from PyPI; none is on PATH');
      await runCommand(python, ['-m', 'venv', staging]);
      await runCommand(join(staging, 'bin', 'python'), [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        `cfn-lint==${CFN_LINT_VERSION}`,
      ]);
      writeFileSync(join(staging, '.installed'), `cfn-lint ${CFN_LINT_VERSION}\n`);
    },
  );
  return PYTHON;
}

export interface CfnLintFinding {
  rule: string;
  message: string;
  path: string;
}

/** Lints a template and returns every finding (errors E, warnings W, informational I). */
export async function lintTemplate(template: string): Promise<CfnLintFinding[]> {
  const python = await ensureCfnLint();
  // cfn-lint's exit status is a bit mask of what it found; its JSON report is what counts.
  const run = spawnSync(python, ['-c', RUN_CFN_LINT, '--format', 'json', '--', template], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error || run.stdout.trim() === '') {
    throw new Error(`cfn-lint did not report: ${run.error?.message ?? run.stderr.slice(-2_000)}`);
  }
  const report = JSON.parse(run.stdout) as {
    Rule: { Id: string };
    Message: string;
    Location: { Path: (string | number)[] };
  }[];
  return report.map((finding) => ({
    rule: finding.Rule.Id,
    message: finding.Message,
    path: finding.Location.Path.join('/'),
  }));
}
