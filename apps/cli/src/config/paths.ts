// Where the user config file lives: $XDG_CONFIG_HOME/foxhound/config.json, else
// ~/.config/foxhound/config.json (the XDG base directory default).
import os from 'node:os';
import path from 'node:path';

export function configPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
    ? env.XDG_CONFIG_HOME
    : path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'foxhound', 'config.json');
}
