// kubectl JSONPath templates, the examples of https://kubernetes.io/docs/reference/kubectl/jsonpath/
// against a kubectl-shaped list, plus the expressions engineers use on pods and nodes.
import { evaluateJsonPath, isValidJsonPath, JsonPathError } from './jsonpath';

const list = {
  kind: 'List',
  items: [
    {
      kind: 'Pod',
      metadata: {
        name: 'web-1',
        labels: { app: 'web', 'app.kubernetes.io/name': 'web' },
        annotations: { 'kubectl.kubernetes.io/default-container': 'app' },
      },
      spec: {
        containers: [
          { name: 'app', image: 'web:1' },
          { name: 'proxy', image: 'envoy:1.30' },
        ],
      },
      status: {
        phase: 'Running',
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'PodScheduled', status: 'True' },
        ],
        containerStatuses: [
          { name: 'app', restartCount: 4 },
          { name: 'proxy', restartCount: 0 },
        ],
      },
    },
    {
      kind: 'Pod',
      metadata: { name: 'web-2', labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'web:2' }] },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [{ name: 'app', restartCount: 0 }],
      },
    },
  ],
};

describe('evaluateJsonPath', () => {
  it.each([
    ['a field', '{.kind}', 'List'],
    ['a bare path without braces', '.items[0].metadata.name', 'web-1'],
    ['every element', '{.items[*].metadata.name}', 'web-1 web-2'],
    ['a negative index', '{.items[-1].metadata.name}', 'web-2'],
    ['a slice', '{.items[0:1].metadata.name}', 'web-1'],
    ['recursive descent', '{..image}', 'web:1 envoy:1.30 web:2'],
    ['a quoted key with dots', "{.items[0].metadata.labels['app.kubernetes.io/name']}", 'web'],
    ['an escaped dot', '{.items[0].metadata.annotations.kubectl\\.kubernetes\\.io/default-container}', 'app'],
    ['a filter on equality', '{.items[*].status.conditions[?(@.type=="Ready")].status}', 'True False'],
    ['a filter on a number', '{.items[*].status.containerStatuses[?(@.restartCount>0)].name}', 'app'],
    ['a filter on presence', '{.items[?(@.metadata.annotations)].metadata.name}', 'web-1'],
    [
      'range with literals',
      '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}',
      'web-1\tRunning\nweb-2\tPending\n',
    ],
    ['an object as JSON', '{.items[1].spec.containers[0]}', '{"name":"app","image":"web:2"}'],
    ['a wildcard over an object', '{.items[0].metadata.labels.*}', 'web web'],
    ['a missing field renders empty', '{.items[0].spec.nodeName}', ''],
    [
      'text around expressions',
      'pod {.items[0].metadata.name} is {.items[0].status.phase}',
      'pod web-1 is Running',
    ],
  ])('%s', (_name, template, expected) => {
    expect(evaluateJsonPath(template, list)).toBe(expected);
  });

  it.each([
    ['an unclosed brace', '{.items[0]', 'unclosed "{"'],
    ['an unclosed bracket', '{.items[0}', 'unclosed "["'],
    ['a range without end', '{range .items[*]}{.kind}', '{range} without {end}'],
    ['an end without range', '{.kind}{end}', '{end} without {range}'],
    ['a broken filter', '{.items[?(type=="x")]}', 'invalid filter'],
    ['a bad subscript', '{.items[a-b]}', 'invalid subscript [a-b]'],
  ])('rejects %s with a message that says where', (_name, template, message) => {
    expect(() => evaluateJsonPath(template, list)).toThrow(JsonPathError);
    expect(() => evaluateJsonPath(template, list)).toThrow(message);
    expect(isValidJsonPath(template)).toBe(false);
  });
});
