import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpawNebScript, gpawRelaxScript } from '@/lib/campaign/gpaw';
import { parseDoneMarker } from '@/lib/campaign/results';
import { collectScript, submitScript } from '@/lib/campaign/slurm';
import { DEFAULT_SLURM } from '@/lib/campaign/types';
import { defaultIncarTemplate, kpointsText, parseIncar, renderIncar } from '@/lib/campaign/vasp';

describe('INCAR template', () => {
  it('should turn the options into the VASP tags a user would write', () => {
    const tags = parseIncar(
      defaultIncarTemplate({ encutEv: 500, functional: 'PBEsol', vdw: 'D3BJ', dipoleCorrection: true }),
    );
    const byKey = Object.fromEntries(tags.map((t) => [t.key, t.value]));
    // GGA = PS is PBEsol, IVDW = 12 is D3 with Becke-Johnson damping (VASP wiki).
    expect(byKey).toMatchObject({ ENCUT: '500', GGA: 'PS', IVDW: '12', LDIPOL: '.TRUE.', IDIPOL: '3' });
    expect(
      parseIncar(defaultIncarTemplate({ encutEv: 400, functional: 'PBE', vdw: 'none', dipoleCorrection: false })).map(
        (t) => t.key,
      ),
    ).not.toContain('IVDW');
  });

  it("should replace the template's own tag in place and append the rest", () => {
    const out = renderIncar(
      '# mine\nENCUT = 600 ! keep\nnsw = 5\n\n',
      [
        { key: 'NSW', value: '100' },
        { key: 'IBRION', value: '2' },
      ],
      'relax',
    );
    expect(out).toBe('# mine\nENCUT = 600 ! keep\nNSW = 100\n# relax (set by EPDI Lab)\nIBRION = 2\n');
    expect(parseIncar('A = 1; B = 2 # c')).toEqual([
      { key: 'A', value: '1' },
      { key: 'B', value: '2' },
    ]);
  });

  it('should write a Gamma-centred KPOINTS', () => {
    expect(kpointsText([3, 3, 1])).toBe('Gamma-centred mesh (EPDI Lab campaign)\n0\nGamma\n3 3 1\n0 0 0\n');
  });
});

describe('submit.sh and the DONE marker', () => {
  it('should hold one array over every task with the resources asked for', () => {
    const text = submitScript(
      'cX',
      'vasp',
      [
        { folder: 'calcs/00-a', kind: 'relax', lastImage: null },
        { folder: 'calcs/01-b', kind: 'neb', lastImage: 6 },
        { folder: 'calcs/02-c', kind: 'relax', lastImage: null },
      ],
      { ...DEFAULT_SLURM, partition: 'p', account: 'acc', nodes: 2, ntasks: 64, modules: ['vasp/6'] },
    );
    expect(text.match(/^#SBATCH .*$/gm)).toEqual([
      '#SBATCH --job-name=epdi-campaign',
      '#SBATCH --array=0-2',
      '#SBATCH --time=04:00:00',
      '#SBATCH --nodes=2',
      '#SBATCH --ntasks=64',
      '#SBATCH --cpus-per-task=1',
      '#SBATCH --output=slurm-%A_%a.out',
      '#SBATCH --partition=p',
      '#SBATCH --account=acc',
    ]);
    expect(text).toContain("'calcs/01-b|neb|06'");
    expect(text).toContain('if [ -f DONE ]; then');
    expect(text).toContain('VASP_PP_PATH');
    expect(collectScript('cX')).toContain('--exclude=POTCAR');
  });

  it('should read the DONE marker written by the task (sha256sum lines)', () => {
    const h = 'a'.repeat(64);
    expect(
      parseDoneMarker(`campaign cX\ncalculation 00-a\njob 7_0\nfinished now\n${h}  POSCAR\n${h}  00/POSCAR\n`),
    ).toEqual({
      campaign: 'cX',
      calculation: '00-a',
      hashes: { POSCAR: h, '00/POSCAR': h },
    });
  });
});

describe('GPAW scripts', () => {
  const python = '/usr/bin/python3';
  const hasPython = spawnSync(python, ['-c', 'pass'], { stdio: 'ignore' }).status === 0;

  it.skipIf(!hasPython)('should compile, and import only names scripts/dft defines', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'epdi-gpaw-script-'));
    try {
      const scripts = {
        'relax.py': gpawRelaxScript('t', { h_A: 0.3 }, 'S'),
        'neb.py': gpawNebScript('t', {}, 'Se', 5),
      };
      for (const [name, text] of Object.entries(scripts)) {
        writeFileSync(path.join(dir, name), text);
        execFileSync(python, ['-m', 'py_compile', path.join(dir, name)]);
      }
      const repo = path.resolve(__dirname, '..', '..', '..');
      const imported = Object.values(scripts)
        .join('\n')
        .matchAll(/from scripts\.dft(?:\.(\w+))? import ([\w, ]+)/g);
      for (const [, module, names] of imported) {
        const source = readFileSync(path.join(repo, 'scripts', 'dft', `${module ?? '__init__'}.py`), 'utf8');
        for (const n of names.split(',').map((x) => x.trim())) {
          if (module === undefined) expect(existsSync(path.join(repo, 'scripts', 'dft', `${n}.py`)), n).toBe(true);
          else expect(source, `${module}.${n}`).toMatch(new RegExp(`^(def ${n}\\(|${n} = |${n}: |class ${n}\\b)`, 'm'));
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
