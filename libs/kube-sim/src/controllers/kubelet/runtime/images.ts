// What catalogued images do when they run, for declared-behaviour containers: the commands on
// their PATH, their shell, their default command's program (its log lines as the real image
// prints them, the port it listens on, the memory it needs, or the error it exits with when its
// required configuration is missing: the postgres and mysql entrypoints). Images outside this
// table are the project's own: they run their command forever and listen on their declared ports.
import { normalizeImage } from '../images';
import { FOREVER, type Step } from './program';

export interface RuntimeImage {
  /** Commands on PATH; undefined for images we know nothing of. */
  commands?: ReadonlySet<string>;
  dialect: 'ash' | 'dash';
  /** The default command (ENTRYPOINT + CMD) as a program, given the container's env. */
  defaultProgram(env: Record<string, string>): Step[];
  /** Names that start the image's main program (`nginx`, `docker-entrypoint.sh`). */
  mainCommands: string[];
}

const MiB = 1024 * 1024;
const logs = (lines: string[]): Step[] => lines.map((line) => ({ op: 'log', line }));

const BUSYBOX_APPLETS = new Set(
  (
    'sh ash echo printf sleep cat ls touch rm mkdir rmdir env printenv date true false wget nc httpd ping ' +
    'nslookup top ps kill head tail grep sed awk tr wc sort uniq cut find xargs tee dd hostname id whoami ' +
    'uname vi mount df du free uptime watch chmod chown cp mv ln basename dirname test [ expr seq yes ' +
    'timeout stat md5sum sha256sum base64 gzip gunzip tar netstat ifconfig ip route traceroute telnet ' +
    'nohup nice time usleep which stress'
  ).split(' '),
);
const ALPINE_COMMANDS = new Set([...BUSYBOX_APPLETS, 'apk', 'ssl_client', 'scanelf']);
const DEBIAN_COMMANDS = new Set(
  (
    'sh dash bash echo printf sleep cat ls touch rm mkdir rmdir env printenv date true false head tail ' +
    'grep sed awk tr wc sort uniq cut find xargs tee dd hostname id whoami uname mount df du chmod chown ' +
    'cp mv ln basename dirname test [ expr seq yes timeout stat kill ps apt apt-get dpkg'
  ).split(' '),
);
const withCommands = (base: Set<string>, extra: string[]) => new Set([...base, ...extra]);

/** A shell with no script and no terminal reads EOF and exits 0 at once (`kubectl run --image=busybox`). */
const shellOnly: Step[] = [{ op: 'exit', code: 0 }];

const nginx = (port: number): RuntimeImage => ({
  commands: withCommands(DEBIAN_COMMANDS, ['nginx', 'curl', 'docker-entrypoint.sh']),
  dialect: 'dash',
  mainCommands: ['nginx', '/docker-entrypoint.sh', 'docker-entrypoint.sh'],
  defaultProgram: () => [
    ...logs([
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
      '[notice] 1#1: using the "epoll" event method',
      '[notice] 1#1: start worker processes',
    ]),
    { op: 'memory', bytes: 12 * MiB },
    { op: 'listen', port },
    FOREVER,
  ],
});

const RUNTIME_IMAGES: Record<string, RuntimeImage> = {
  'docker.io/library/busybox': {
    commands: BUSYBOX_APPLETS,
    dialect: 'ash',
    mainCommands: [],
    defaultProgram: () => shellOnly,
  },
  'docker.io/library/alpine': {
    commands: ALPINE_COMMANDS,
    dialect: 'ash',
    mainCommands: [],
    defaultProgram: () => shellOnly,
  },
  'docker.io/library/nginx': nginx(80),
  'docker.io/nginxinc/nginx-unprivileged': nginx(8080),
  'docker.io/library/redis': {
    commands: withCommands(DEBIAN_COMMANDS, ['redis-server', 'redis-cli', 'docker-entrypoint.sh']),
    dialect: 'dash',
    mainCommands: ['redis-server', 'docker-entrypoint.sh'],
    defaultProgram: () => [
      ...logs([
        '1:C * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
        '1:C * Configuration loaded',
        '1:M * Running mode=standalone, port=6379.',
        '1:M * Server initialized',
        '1:M * Ready to accept connections tcp',
      ]),
      { op: 'memory', bytes: 8 * MiB },
      { op: 'listen', port: 6379 },
      FOREVER,
    ],
  },
  'docker.io/library/postgres': {
    commands: withCommands(DEBIAN_COMMANDS, ['postgres', 'psql', 'pg_isready', 'docker-entrypoint.sh']),
    dialect: 'dash',
    mainCommands: ['postgres', 'docker-entrypoint.sh'],
    // docker-library/postgres docker-entrypoint.sh docker_verify_minimum_env.
    defaultProgram: (env) =>
      env.POSTGRES_PASSWORD || env.POSTGRES_HOST_AUTH_METHOD === 'trust'
        ? [
            ...logs([
              'PostgreSQL init process complete; ready for start up.',
              'LOG:  listening on IPv4 address "0.0.0.0", port 5432',
              'LOG:  database system is ready to accept connections',
            ]),
            { op: 'memory', bytes: 40 * MiB },
            { op: 'listen', port: 5432 },
            FOREVER,
          ]
        : [
            ...logs([
              'Error: Database is uninitialized and superuser password is not specified.',
              '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
              '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
              '',
              '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all',
              '       connections without a password. This is *not* recommended.',
              '',
              '       See PostgreSQL documentation about "trust":',
              '       https://www.postgresql.org/docs/current/auth-trust.html',
            ]),
            { op: 'exit', code: 1 },
          ],
  },
  'docker.io/library/mysql': {
    commands: withCommands(DEBIAN_COMMANDS, ['mysqld', 'mysql', 'docker-entrypoint.sh']),
    dialect: 'dash',
    mainCommands: ['mysqld', 'docker-entrypoint.sh'],
    // docker-library/mysql docker-entrypoint.sh docker_verify_minimum_env.
    defaultProgram: (env) =>
      env.MYSQL_ROOT_PASSWORD || env.MYSQL_ALLOW_EMPTY_PASSWORD || env.MYSQL_RANDOM_ROOT_PASSWORD
        ? [
            ...logs(['[System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. port: 3306']),
            { op: 'memory', bytes: 360 * MiB },
            { op: 'listen', port: 3306 },
            FOREVER,
          ]
        : [
            ...logs([
              '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified',
              '    You need to specify one of the following as an environment variable:',
              '    - MYSQL_ROOT_PASSWORD',
              '    - MYSQL_ALLOW_EMPTY_PASSWORD',
              '    - MYSQL_RANDOM_ROOT_PASSWORD',
            ]),
            { op: 'exit', code: 1 },
          ],
  },
  'docker.io/polinux/stress': {
    commands: withCommands(ALPINE_COMMANDS, ['stress']),
    dialect: 'ash',
    mainCommands: [],
    defaultProgram: () => shellOnly,
  },
  'registry.k8s.io/pause': {
    commands: new Set(['pause']),
    dialect: 'ash',
    mainCommands: ['/pause', 'pause'],
    defaultProgram: () => [FOREVER],
  },
};

/** The image's runtime description, or undefined for an image outside the table. */
export function runtimeImage(image: string): RuntimeImage | undefined {
  const ref = normalizeImage(image);
  const repository = ref.includes('@') ? ref.slice(0, ref.indexOf('@')) : ref.slice(0, ref.lastIndexOf(':'));
  return RUNTIME_IMAGES[repository];
}
