// Binds the gateway's ports to @foxhound/store. The only translation is paging: a replay walks the
// event table in pages so a long investigation never loads in one query.
import { type StoredEvent } from '@foxhound/contracts';
import { type EventWriterOptions, type Store } from '@foxhound/store';
import { type EventsPort } from '../investigations/ports';

const PAGE = 1000;

export function eventsPort(store: Store, writerOptions: EventWriterOptions = {}): EventsPort {
  return {
    writer: (investigationId) => store.openEventWriter(investigationId, writerOptions),
    async list(investigationId, afterSeq) {
      const all: StoredEvent[] = [];
      for (let after = afterSeq; ;) {
        const page = await store.events.list(investigationId, { afterSeq: after, limit: PAGE });
        all.push(...page);
        if (page.length < PAGE) return all;
        after = page[page.length - 1]!.seq;
      }
    },
  };
}
