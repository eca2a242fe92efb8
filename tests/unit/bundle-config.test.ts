import { parseBundleConfig } from '../../lambdas/config/bundles';
import { ConfigError } from '../../lambdas/config/env';

describe('evidence bundle builder configuration', () => {
  it('starts builds in this process locally, and by invoking the named function on AWS', () => {
    expect(parseBundleConfig({ BUNDLE_BUILDER: 'in-process' })).toEqual({ builder: 'in-process' });
    expect(parseBundleConfig({ BUNDLE_BUILDER: 'lambda', BUNDLE_BUILDER_FUNCTION: 'portal-builder' })).toEqual({
      builder: 'lambda',
      functionName: 'portal-builder',
    });
  });

  it.each([
    [{}, /BUNDLE_BUILDER/],
    [{ BUNDLE_BUILDER: 'queue' }, /BUNDLE_BUILDER/],
    [{ BUNDLE_BUILDER: 'lambda' }, /BUNDLE_BUILDER_FUNCTION is required when BUNDLE_BUILDER is lambda/],
  ])(
    'refuses %j: a function that cannot start builds fails when first asked to, naming the variable',
    (env, message) => {
      expect(() => parseBundleConfig(env)).toThrow(ConfigError);
      expect(() => parseBundleConfig(env)).toThrow(message);
    },
  );
});
