// The DNS step of a connection to a sandbox's Service name. Every address the name resolves to must
// pass the address policy; one bad address refuses the whole answer, so a rebinding record cannot mix
// a metadata address in among good ones. IP literals never reach this (net skips lookup for them).
import dns from 'node:dns';
import { type LookupFunction } from 'node:net';
import { type AddressPolicy } from './address';
import { RouterErrorCode, UpstreamHopError } from './errors';

export function guardedLookup(policy: AddressPolicy, base: LookupFunction = dns.lookup): LookupFunction {
  return function lookupSandbox(hostname, options, callback) {
    base(hostname, options, (err, address, family) => {
      if (err) {
        callback(err, address, family);
        return;
      }
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      if (addresses.length === 0 || !addresses.every((a) => policy.allows(a, 'dns'))) {
        const refused = new UpstreamHopError(
          RouterErrorCode.blockedAddress,
          `${hostname} resolved to an address the router may not connect to`,
        );
        callback(refused, address, family);
        return;
      }
      callback(null, address, family);
    });
  };
}
