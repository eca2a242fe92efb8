import { ROUTES } from '../../lambdas/api/routes';
import { ROUTE_AREAS, routeArea } from '../../lib/constructs/route-areas';
import { type SynthesizedPortal, synthesizePortal } from './portal-app';

// CloudFormation refuses a stack of more than 500 resources at deploy time; this guard finds it at test time, with
// room for what is still to come (per-function alarms, more routes).
const MAX_RESOURCES_PER_STACK = 400;

let portal: SynthesizedPortal;
beforeAll(() => {
  portal = synthesizePortal();
});

const resourceCount = (template: SynthesizedPortal['template']) =>
  Object.keys(template.toJSON().Resources ?? {}).length;

describe('stack layout', () => {
  it(`keeps every stack, the portal stack and each nested stack, at ${MAX_RESOURCES_PER_STACK} resources or fewer`, () => {
    // Act
    const counts = Object.fromEntries(
      portal.stackTemplates.map(({ path, template }) => [path, resourceCount(template)]),
    );

    // Assess: the counts are printed on failure, so the stack that outgrew the limit is named.
    const over = Object.fromEntries(Object.entries(counts).filter(([, count]) => count > MAX_RESOURCES_PER_STACK));
    expect({ over, counts }).toEqual({ over: {}, counts });
  });

  it('puts the route functions, their routes, integrations and permissions in one nested stack per area', () => {
    // Prepare
    const areas = [...new Set(ROUTES.map(routeArea))];

    // Act
    const nested = portal.stackTemplates.filter(({ stack }) => stack.nested);

    // Assess
    expect(nested.map(({ path }) => path).sort()).toEqual(
      areas.map((area) => `${portal.stack.stackName}/Routes/${area}`).sort(),
    );
    const top = portal.stackTemplates[0]!.template;
    for (const type of ['AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Integration']) {
      expect(Object.keys(top.findResources(type))).toEqual([]);
    }
    for (const { path, template } of nested) {
      const area = path.split('/').pop();
      const routes = ROUTES.filter((route) => routeArea(route) === area);
      const routeCount = routes.length + routes.filter((route) => route.machineAccess).length;
      expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(routes.length);
      expect(Object.keys(template.findResources('AWS::ApiGatewayV2::Route'))).toHaveLength(routeCount);
      expect(Object.keys(template.findResources('AWS::ApiGatewayV2::Integration'))).toHaveLength(routeCount);
      // One invoke permission per route: scoped to its API and its path, none shared between routes or APIs.
      expect(Object.keys(template.findResources('AWS::Lambda::Permission'))).toHaveLength(routeCount);
    }
  });

  it('assigns each route to an area by its path, so adding a route never moves another', () => {
    expect(routeArea({ path: '/notices' })).toBe('Notices');
    expect(routeArea({ path: '/notices/{noticeId}/issue' })).toBe('Notices');
    expect(routeArea({ path: '/notices/{noticeId}/submissions/{submissionId}/finalize' })).toBe('Submissions');
    expect(routeArea({ path: '/notices/{noticeId}/submissions' })).toBe('Submissions');
    expect(routeArea({ path: '/platforms/{platformId}/api-clients' })).toBe('Platforms');
    expect(routeArea({ path: '/users/{subject}/disable' })).toBe('Users');
    expect(routeArea({ path: '/.well-known/jwks.json' })).toBe('Service');
    expect(routeArea({ path: '/notice-types' })).toBe('Service');
    for (const route of ROUTES) expect(ROUTE_AREAS).toContain(routeArea(route));
  });

  it('keeps the logical ids of the stateful resources of the single-stack layout, so a deployment never replaces them', () => {
    // Prepare: the ids as deployed before the route functions moved to nested stacks. A changed id means
    // CloudFormation creates a new resource and drops the old one (table, buckets, keys and user pool are retained,
    // so the data would be orphaned, not deleted, but the portal would run on empty new ones).
    const deployed = {
      'AWS::DynamoDB::Table': ['DataTableFDBAD0F2'],
      'AWS::S3::Bucket': ['StorageAccessLogs96FB524C', 'StorageResponsesD285ED60', 'WebAppE4D87402', 'WebLogsD9759FC4'],
      // The backup vault's and the alarm topic's keys came later (issue 13); they are listed so their ids are kept
      // from now on too.
      'AWS::KMS::Key': [
        'AccessTokensKeyEE97DA60',
        'BackupsKeyC696F888',
        'DataKey5F086070',
        'MonitoringTopicKey423AF5B2',
        'ReceiptsKey86AC75FD',
        'StorageKeyBAA9457B',
      ],
      'AWS::KMS::Alias': ['AccessTokensKeyAlias35653CFE', 'ReceiptsKeyAlias4408AC25'],
      'AWS::Cognito::UserPool': ['IdentityUserPool96FE3B9B'],
      'AWS::Cognito::UserPoolClient': ['IdentityUserPoolWebClient274C53C4'],
      'AWS::Cognito::UserPoolDomain': ['IdentityUserPoolDomain56C2A4C9'],
      'AWS::Cognito::UserPoolGroup': [
        'IdentityUserPoolPlatformResponderA1A70329',
        'IdentityUserPoolRegulatorAdminEBA4C138',
        'IdentityUserPoolRegulatorOfficerBAD22499',
      ],
      'AWS::SQS::Queue': [
        'CheckpointsDeadLetterQueue3A287373',
        'EvidenceBundlesDeadLetterQueue53B1F088',
        'PendingVerificationDeadLetterQueue18450F4B',
        'ProjectionRepairDeadLetterQueue800B67E3',
        'RemindersRecorderDeadLetterQueue2C2A3812',
        'RemindersRunDeadLetterQueue67E3CF4F',
        'UploadHashingDeadLetterQueue64A3C838',
      ],
      'AWS::CloudFront::Distribution': ['WebDistributionCF3E234B'],
      'AWS::ApiGatewayV2::Api': ['ApiHttpApi4C294DC0', 'MachineApiHttpApi430B0681'],
      'AWS::ApiGatewayV2::Stage': ['ApiHttpApiDefaultStageE708EF42', 'MachineApiHttpApiDefaultStageF919A019'],
    };

    // Act: in the portal stack itself, not merely somewhere in the merged template.
    const top = portal.stackTemplates[0]!.template;
    const now = Object.fromEntries(
      Object.keys(deployed).map((type) => [type, Object.keys(top.findResources(type)).sort()]),
    );

    // Assess
    expect(now).toEqual(deployed);
  });
});
