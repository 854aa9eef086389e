// Kubeconfigs pointing at a running kube-sim: as an object for @kubernetes/client-node's
// KubeConfig.loadFromOptions() and as YAML for kubectl. An https server's certificate is pinned as
// the cluster CA; an http:// server needs skipTLSVerify in client-node (kubectl then sends no token).
import { stringify } from 'yaml';
import { type TokenEntry } from './auth/authn';

export interface KubeconfigOptions {
  /** Pick the token of this user (from the configured tokens); default: the first token. */
  user?: string;
  /** Use this token as is (for testing a wrong or unknown token). */
  token?: string;
  namespace?: string;
}

export interface KubeconfigObject {
  clusters: { name: string; server: string; skipTLSVerify: boolean; caData?: string }[];
  users: { name: string; token?: string }[];
  contexts: { name: string; cluster: string; user: string; namespace: string }[];
  currentContext: string;
}

export function kubeconfigFor(
  url: string,
  tokens: TokenEntry[] | undefined,
  o: KubeconfigOptions = {},
  caPem?: string,
): KubeconfigObject {
  let token = o.token;
  let user = o.user ?? 'kube-sim-admin';
  if (token === undefined && tokens !== undefined) {
    const entry = o.user ? tokens.find((t) => t.user === o.user) : tokens[0];
    if (!entry) throw new Error(`kube-sim has no token for user "${o.user}"`);
    token = entry.token;
    user = entry.user;
  }
  const userName = user.replace(/[^A-Za-z0-9._-]/g, '-');
  return {
    clusters: [
      caPem
        ? {
            name: 'kube-sim',
            server: url,
            skipTLSVerify: false,
            caData: Buffer.from(caPem).toString('base64'),
          }
        : { name: 'kube-sim', server: url, skipTLSVerify: true },
    ],
    users: [{ name: userName, ...(token !== undefined ? { token } : {}) }],
    contexts: [
      { name: 'kube-sim', cluster: 'kube-sim', user: userName, namespace: o.namespace ?? 'default' },
    ],
    currentContext: 'kube-sim',
  };
}

export function kubeconfigYaml(c: KubeconfigObject): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: c.clusters.map((x) => ({
      name: x.name,
      cluster: { server: x.server, 'insecure-skip-tls-verify': true },
    })),
    users: c.users.map((u) => ({ name: u.name, user: u.token !== undefined ? { token: u.token } : {} })),
    contexts: c.contexts.map((x) => ({
      name: x.name,
      context: { cluster: x.cluster, user: x.user, namespace: x.namespace },
    })),
    'current-context': c.currentContext,
    preferences: {},
  });
}
