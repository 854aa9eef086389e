import { parseCliOptions } from './options';

describe('make up / make demo options', () => {
  it('takes fixed ports for make up, free ones for make demo, flags over FOXHOUND_*_PORT', () => {
    expect(parseCliOptions([], { ports: 'fixed' }, {}).ports).toStrictEqual({
      gateway: 8000,
      router: 8080,
      manager: 8081,
      kubeSim: 6443,
      prometheus: 9090,
    });
    expect(parseCliOptions([], { ports: 'free' }, {}).ports.gateway).toBe(0);
    const options = parseCliOptions(['--gateway-port', '18000'], { ports: 'fixed' }, {
      FOXHOUND_GATEWAY_PORT: '28000',
      FOXHOUND_KUBE_PORT: '16443',
    });
    expect(options.ports).toMatchObject({ gateway: 18000, kubeSim: 16443, router: 8080 });
  });

  it('is single-operator (self-approval) unless --no-self-approval', () => {
    expect(parseCliOptions([], undefined, {}).selfApproval).toBe(true);
    expect(parseCliOptions(['--no-self-approval'], undefined, {}).selfApproval).toBe(false);
  });

  it.each([
    [['--gateway-port', 'http'], {}, '--gateway-port must be a port number (0-65535), not "http"'],
    [[], { FOXHOUND_ROUTER_PORT: '70000' }, 'FOXHOUND_ROUTER_PORT must be a port number (0-65535), not "70000"'],
    [['--router-port', '9000', '--manager-port', '9000'], {}, '--router-port and --manager-port are both 9000'],
  ])('refuses %j %j', (argv, env, message) => {
    expect(() => parseCliOptions(argv, { ports: 'fixed' }, env)).toThrow(message);
  });
});
