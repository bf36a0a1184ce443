import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const WORKSPACE = join(__dirname, '..', '..', '..');
const READMES = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*README.md'], {
  cwd: WORKSPACE,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => file && existsSync(join(WORKSPACE, file)));

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsIn(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1])));
}

/** Every relative link target of a README, as written (`path#anchor`), outside code blocks. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]).filter((target) => !/^[a-z]+:/i.test(target));
}

describe('READMEs', () => {
  it('when the READMEs are listed, then the front door and one beside each part are there', () => {
    expect(READMES).toEqual(
      expect.arrayContaining([
        'README.md',
        'apps/README.md',
        'libs/README.md',
        'tools/README.md',
        'tools/benchmarks/README.md',
        'k8s/README.md',
      ]),
    );
  });

  it('when the front door is read, then it stays under 250 lines', () => {
    expect(readFileSync(join(WORKSPACE, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(250);
  });

  it.each(READMES)('when %s links somewhere, then the target (and its heading) is in this repository', (readme) => {
    const markdown = readFileSync(join(WORKSPACE, readme), 'utf8');
    const broken = relativeLinks(markdown).filter((link) => {
      const [path, anchor] = link.split('#');
      const target = path ? resolve(WORKSPACE, dirname(readme), path) : join(WORKSPACE, readme);
      if (relative(WORKSPACE, target).startsWith('..') || !existsSync(target)) return true;
      if (!anchor) return false;
      return !statSync(target).isFile() || !anchorsIn(readFileSync(target, 'utf8')).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it('when code comments cite a README section (`libs/stock/README.md#…`), then that README and heading exist', () => {
    const sources = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.yaml'], {
      cwd: WORKSPACE,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((file) => file && existsSync(join(WORKSPACE, file)));
    const cited = sources.flatMap((file) =>
      [...readFileSync(join(WORKSPACE, file), 'utf8').matchAll(/((?:apps|libs|tools|k8s)\/[\w./-]*README\.md)#([\w-]+)/g)].map((match) => ({
        file,
        readme: match[1],
        anchor: match[2],
      })),
    );
    expect(cited.length).toBeGreaterThan(10);
    const broken = cited.filter(
      ({ readme, anchor }) => !existsSync(join(WORKSPACE, readme)) || !anchorsIn(readFileSync(join(WORKSPACE, readme), 'utf8')).has(anchor),
    );
    expect(broken).toEqual([]);
  });
});
