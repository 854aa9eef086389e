// What every resource handler receives: the parsed request, the caller, the resolved resource
// row, and the server's shared parts (store, logs, clock).
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ResourceType } from '../api/resources';
import { type LogStore } from '../logs/log-store';
import { type ResourceRequestInfo } from '../server/request-info';
import { type KubeStore } from '../store';
import { type UserInfo } from '../types';

export interface ServerParts {
  store: KubeStore;
  logs: LogStore;
  /** Longest a watch stays open when the client names no timeoutSeconds. */
  maxWatchSeconds: number;
  /** How often a watch that allows bookmarks gets one. */
  bookmarkIntervalMs: number;
  /** Open streams (watches, log follows) to end when the server closes. */
  streams: Set<() => void>;
}

export interface HandlerContext extends ServerParts {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  info: ResourceRequestInfo;
  resource: ResourceType;
  user: UserInfo;
}
