import { mkdirSync, mkdtempSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecurringProblem } from '../../electron/station/health/recurring-problem.js';
import { recentProblems } from '../../electron/station/log.js';

describe('a timer check that fails (the 5-second disk check)', () => {
  it('is a problem on the health page once per distinct failure, and again after it recovered and failed anew', async () => {
    const dir = join(mkdtempSync(join(process.env.PW_TEST_ROOT ?? tmpdir(), 'pw-disk-')), 'data');
    const problem = new RecurringProblem('the 5-second disk check failed');
    const check = () => statfs(dir).then(() => problem.succeeded(), (err: unknown) => problem.failed(err));
    const ours = () => recentProblems().filter((p) => /^the 5-second disk check failed: /i.test(p.message));
    for (let i = 0; i < 5; i++) await check();
    expect(ours()).toHaveLength(1);
    expect(ours()[0]!.level).toBe('error');
    expect(ours()[0]!.message).toContain('ENOENT');
    mkdirSync(dir);
    await check();
    await check();
    expect(ours()).toHaveLength(1);
    problem.failed(new Error('EIO: i/o error, statfs'));
    problem.failed(new Error('EIO: i/o error, statfs'));
    expect(ours()).toHaveLength(2);
    expect(ours()[0]!.message).toContain('EIO');
  });
});
