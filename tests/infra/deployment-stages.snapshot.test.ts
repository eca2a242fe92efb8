import { synthesizePortal } from './portal-app';

/**
 * Snapshots of every template of both stages (the portal stack and each nested stack), so any change to what is
 * deployed shows up in review as a diff of the template. Update them with
 * `npx jest tests/infra/deployment-stages.snapshot.test.ts -u` when a change is intended.
 *
 * Normalised so that only a change to the infrastructure changes them: asset hashes (function code, the web app,
 * nested templates: they change with any edit of the code they stand for, which the function tests cover) become
 * `<asset-hash>`.
 */
const ASSET_HASH = /\b[0-9a-f]{64}\b/g;

function normalisedTemplate(template: unknown): string {
  return JSON.stringify(template, null, 1).replace(ASSET_HASH, '<asset-hash>');
}

describe.each([
  ['dev', { stage: 'dev' }],
  ['prod', { stage: 'prod', opsEmail: 'portal-ops@regulator.example' }],
])('the %s stage', (_stage, context) => {
  const templates: Array<{ path: string; json: string }> = [];
  beforeAll(() => {
    for (const { path, template } of synthesizePortal(context).stackTemplates) {
      templates.push({ path, json: normalisedTemplate(template.toJSON()) });
    }
  });

  it('has the stacks it had', () => {
    expect(templates.map(({ path }) => path)).toMatchSnapshot();
  });

  it('deploys the templates it deployed, asset hashes aside', () => {
    // One snapshot per stack, named by it, so a diff says which stack changed.
    for (const { path, json } of templates) expect(json).toMatchSnapshot(path);
  });
});
