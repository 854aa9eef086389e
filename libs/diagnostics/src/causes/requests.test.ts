import { podAmounts } from './requests';

describe('podAmounts', () => {
  it('sums containers, takes the largest init container, and adds sidecars and overhead', () => {
    const amounts = podAmounts({
      containers: [
        {
          name: 'app',
          resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '512Mi' } },
        },
        { name: 'proxy', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
      ],
      initContainers: [
        { name: 'migrate', resources: { requests: { cpu: '2', memory: '128Mi' } } },
        {
          name: 'log-shipper',
          restartPolicy: 'Always',
          resources: { requests: { cpu: '50m', memory: '32Mi' } },
        },
      ],
      overhead: { cpu: '10m' },
    });
    expect(amounts['requests.cpu']).toBeCloseTo(2.01);
    expect(amounts['requests.memory']).toBe((256 + 64 + 32) * 2 ** 20);
    expect(amounts['limits.memory']).toBe(512 * 2 ** 20);
    expect(amounts.cpu).toBeCloseTo(2.01);
  });

  it('defaults a missing request to the limit, as the API server does', () => {
    expect(
      podAmounts({ containers: [{ name: 'a', resources: { limits: { memory: '1Gi' } } }] })[
        'requests.memory'
      ],
    ).toBe(2 ** 30);
  });

  it('is empty for containers without resources', () => {
    expect(podAmounts({ containers: [{ name: 'a' }] })).toEqual({});
  });
});
