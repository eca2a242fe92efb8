import { VERIFY_BUNDLE_HELP } from '../../cli/commands/verify-bundle';

/** `verify-bundle --help`: the usage line names every option the help describes (it had left out --verbose). */
it('names every described option in the usage line', () => {
  const [usage, ...rest] = VERIFY_BUNDLE_HELP.split('\n');
  const described = [...rest.join('\n').matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
  expect(described).toEqual(expect.arrayContaining(['--keys', '--checkpoint', '--json', '--verbose']));
  for (const option of described) expect(usage).toContain(`[${option}`);
});
