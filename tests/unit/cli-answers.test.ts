import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAnswers } from '../../cli/answers';
import { CliError } from '../../cli/errors';
import { folderProblems, STATE_FILE, scanFolder } from '../../cli/folder';
import { folderChanges, newStateFile } from '../../cli/upload-state';

function problemsWith(json: unknown): string[] {
  try {
    parseAnswers(json);
  } catch (error) {
    if (error instanceof CliError) return [...error.details];
    throw error;
  }
  return [];
}

describe('the answers file', () => {
  it('accepts an answer or a reason it cannot be answered, unchanged', () => {
    const answers = [
      { question: '1', answer: '  Hash matching.  ' },
      { question: '3(a)', cannotAnswer: { reason: 'Not recorded by our systems.' } },
    ];

    expect(parseAnswers(answers)).toEqual(answers);
  });

  it('names the entry and field of every problem', () => {
    const problems = problemsWith([
      { question: 1, answer: 'x' },
      { question: '2' },
      { question: '3', answer: '   ' },
      { question: '4', cannotAnswer: { reason: 'short' } },
      { question: '5', answer: 'x', cannotAnswer: { reason: 'both given here' } },
    ]);

    expect(problems).toEqual([
      expect.stringMatching(/^answers\[0\]\.question: must be the question number as a string/),
      expect.stringMatching(/^answers\[1\]: must be \{"question"/),
      'answers[2].answer: must not be blank',
      'answers[3].cannotAnswer.reason: must explain why (at least 10 characters)',
      expect.stringMatching(/^answers\[4\]: must be \{"question"/),
    ]);
  });

  it('refuses a question answered twice, and a file that is not a list', () => {
    expect(
      problemsWith([
        { question: '1', answer: 'a' },
        { question: '1', answer: 'b' },
      ]),
    ).toEqual(['answers[1].question: question 1 is answered twice']);
    expect(problemsWith({ question: '1', answer: 'a' })).toEqual(['answers: must be a JSON array of answers']);
  });
});

describe('the response folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-folder-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the regular files directly in it; dotfiles, the state file, receipts, subfolders and links are left out', async () => {
    writeFileSync(join(dir, 'b.csv'), 'x,y\n');
    writeFileSync(join(dir, 'a.pdf'), '%PDF');
    writeFileSync(join(dir, '.DS_Store'), '');
    writeFileSync(join(dir, STATE_FILE), '{}');
    writeFileSync(join(dir, 'receipt-NRP-2026-7K3F-9Q2M-XA.jws'), 'a.b.c');
    mkdirSync(join(dir, 'drafts'));
    symlinkSync(join(dir, 'a.pdf'), join(dir, 'link.pdf'));

    const scan = await scanFolder(dir);

    expect(scan.files.map((f) => [f.name, f.size, f.contentType])).toEqual([
      ['a.pdf', 4, 'application/pdf'],
      ['b.csv', 4, 'text/csv'],
    ]);
    expect(scan.skipped.map((s) => s.name)).toEqual(['drafts/', 'link.pdf', 'receipt-NRP-2026-7K3F-9Q2M-XA.jws']);
  });

  it('refuses empty files before anything is sent', async () => {
    writeFileSync(join(dir, 'empty.txt'), '');

    expect(folderProblems((await scanFolder(dir)).files)).toEqual([
      'empty.txt: the file is empty, and an empty file cannot be filed',
    ]);
  });

  it('refuses an empty folder unless --no-files says the response has none, and refuses files with --no-files', async () => {
    const empty = await scanFolder(dir);
    writeFileSync(join(dir, 'response.pdf'), '%PDF');
    const withFile = await scanFolder(dir);

    expect(folderProblems(empty.files)).toEqual([
      'the folder has no files to upload (for a response of answers only, with no files, pass --no-files)',
    ]);
    expect(folderProblems(empty.files, { noFiles: true })).toEqual([]);
    expect(folderProblems(withFile.files, { noFiles: true })).toEqual([
      '--no-files says the response has no files, but the folder has 1 (response.pdf); remove them, or leave out --no-files to file them',
    ]);
  });

  it('tells which files changed since an upload started', async () => {
    writeFileSync(join(dir, 'a.pdf'), '%PDF');
    writeFileSync(join(dir, 'b.csv'), 'x');
    const declared = (await scanFolder(dir)).files.map(newStateFile);
    writeFileSync(join(dir, 'b.csv'), 'x,y');
    writeFileSync(join(dir, 'c.txt'), 'new');
    rmSync(join(dir, 'a.pdf'));

    expect(folderChanges(declared, (await scanFolder(dir)).files)).toEqual([
      'a.pdf was removed',
      'b.csv changed size (1 → 3 bytes)',
      'c.txt was added',
    ]);
  });
});
